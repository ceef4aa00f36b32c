import re
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core import signing
from django.http import QueryDict

_request_id: ContextVar[str | None] = ContextVar("ascm_request_id", default=None)
_request: ContextVar = ContextVar("ascm_request", default=None)
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def get_request_id() -> str | None:
    """The current request's id: the audit log's correlation id."""
    return _request_id.get()


def get_request_user():
    """The signed-in user of the current request, however they authenticated (session, token),
    read when it is needed: API authentication happens inside the view, after the middleware."""
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


class RequestIdMiddleware:
    """Give every request an id (or keep a well-formed X-Request-ID from the proxy) and echo it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        request_token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
            _request.reset(request_token)
        response["X-Request-ID"] = request_id
        return response


PENDING_WORK_KEY = "ascm_pending_work"
LAST_USER_COOKIE = "ascm_last_user"
_LAST_USER_SALT = "ascm.core.last-user"


class KeepWorkLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs sign-in (unless marked otherwise) and no work is lost to a session timeout.

    A form posted after the session expired is kept in the new (anonymous) session; the user is
    sent to sign in, and when the same user comes back to the page the form is submitted again
    for them, so it is saved (or shown with its errors) exactly as if the session had not expired.
    The CSRF check has already passed on the original post when we keep it. A signed cookie
    remembers who was signed in, so on a shared computer nobody else's sign-in can save it.
    """

    def process_request(self, request):
        pending = request.session.get(PENDING_WORK_KEY) if hasattr(request, "session") else None
        if not pending or not request.user.is_authenticated or request.method != "GET":
            return None
        if pending["path"] != request.path:
            return None
        del request.session[PENDING_WORK_KEY]
        if pending["user_id"] != request.user.pk:
            return None
        data = QueryDict(mutable=True)
        for key, values in pending["data"]:
            data.setlist(key, values)
        request.method = "POST"
        request.META["REQUEST_METHOD"] = "POST"
        request.POST = data
        request._dont_enforce_csrf_checks = True
        messages.info(request, "You were signed out, so we kept what you had entered. It has now been submitted.")
        return None

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.method == "POST"
            and not request.user.is_authenticated
            and getattr(view_func, "login_required", True)
            and not request.path.startswith("/api/")
        ):
            request.session[PENDING_WORK_KEY] = {
                "path": request.path,
                "user_id": self._last_user_id(request),
                "data": [(k, v) for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"],
            }
            messages.warning(
                request,
                "You were signed out after 30 minutes without activity. Sign in again and we will save your work.",
            )
        return super().process_view(request, view_func, view_args, view_kwargs)

    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and self._last_user_id(request) != user.pk:
            response.set_signed_cookie(
                LAST_USER_COOKIE,
                str(user.pk),
                salt=_LAST_USER_SALT,
                max_age=12 * 60 * 60,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    @staticmethod
    def _last_user_id(request) -> int | None:
        try:
            return int(request.get_signed_cookie(LAST_USER_COOKIE, salt=_LAST_USER_SALT))
        except (KeyError, ValueError, signing.BadSignature):
            return None
