from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from ascm.core.policies import policy_required
from ascm.core.views import redirect_next

from . import services
from .permissions import notification_policy
from .selectors import notifications_for


@policy_required(notification_policy)
def inbox(request):
    page = Paginator(notifications_for(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@policy_required(notification_policy)
def notification_open(request, pk: int):
    """Follow a notification to what it is about; opening it is reading it."""
    note = get_object_or_404(notifications_for(user=request.user), pk=pk)
    services.notification_mark_read(user=request.user, notification_id=note.pk)
    request.GET = request.GET.copy()
    request.GET["next"] = note.url
    return redirect_next(request, "notifications:inbox")


@require_POST
@policy_required(notification_policy)
def mark_read(request, pk: int):
    services.notification_mark_read(user=request.user, notification_id=pk)
    return redirect_next(request, "notifications:inbox")


@require_POST
@policy_required(notification_policy)
def mark_all_read(request):
    services.notifications_mark_all_read(user=request.user)
    return redirect_next(request, "notifications:inbox")
