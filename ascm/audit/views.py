from django.core.paginator import Paginator
from django.shortcuts import render

from ascm.core.policies import policy_required

from .filters import AuditEntryFilter
from .permissions import audit_entry_policy
from .selectors import audit_entries
from .serializers import audit_changed_fields, audit_reason


@policy_required(audit_entry_policy, "view")
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
