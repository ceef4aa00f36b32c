from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .filters import AuditEntryFilter
from .selectors import audit_entries
from .serializers import audit_changed_fields, audit_reason


@permission_required("audit.view_auditentry", raise_exception=True)
def search(request):
    filterset = AuditEntryFilter(request.GET or None, queryset=audit_entries())
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    for entry in page:  # field names only: the values may be clinical content
        entry.changed_fields, entry.reason = audit_changed_fields(entry), audit_reason(entry)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/search.html",
        {"filter": filterset, "form": filterset.form, "page": page, "query": query.urlencode()},
    )
