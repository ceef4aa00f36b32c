from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .filters import AuditEntryFilter
from .selectors import audit_entries


@permission_required("audit.view_auditentry", raise_exception=True)
def search(request):
    filterset = AuditEntryFilter(request.GET or None, queryset=audit_entries())
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/search.html",
        {"filter": filterset, "form": filterset.form, "page": page, "query": query.urlencode()},
    )
