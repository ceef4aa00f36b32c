from django.conf import settings

from ascm.accounts.selectors import user_navigation, user_role_summary
from ascm.notifications.selectors import unread_count


def ascm(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_TIMEOUT_WARNING_SECONDS,
        "navigation": user_navigation(request) if signed_in else [],
        "role_summary": user_role_summary(user) if signed_in else "",
        "unread_notifications": (lambda: unread_count(user=user)) if signed_in else 0,  # one query, only if shown
    }
