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


class RequestLimitsMiddleware:
    """A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is answered 413 before anything reads it (Django
    itself would answer 400 from deep inside the form parsing). Every dynamic response carries
    Cache-Control: no-store: pages, API answers and PDFs hold personal data that no browser or proxy
    cache may keep (static files are served before this, by WhiteNoise, and stay cacheable)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            response = self._too_large(request, limit)
        else:
            response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def _too_large(request, limit):
        from django.http import JsonResponse
        from django.shortcuts import render

        if request.path.startswith("/api/"):
            return JsonResponse({"status": 413, "code": "request_too_large", "detail": "The request body is too large.",
                                 "errors": {}}, status=413)
        return render(request, "413.html", {"limit_mb": round(limit / 1_048_576, 1)}, status=413)


SESSION_TOUCHED_KEY = "ascm_touched"


def session_touch(request) -> None:
    """Slide the session's idle limit now (the keep-alive button, any form the person posts)."""
    import time

    request.session[SESSION_TOUCHED_KEY] = int(time.time())


class SessionTouchMiddleware:
    """The idle limit slides without writing the session on every request: it is saved when it changed,
    or when the last touch is older than a tenth of the idle limit (at most a minute). So the limit is
    exact to within that, and a busy page costs no session write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        response = self.get_response(request)
        from django.contrib.auth import SESSION_KEY

        session = getattr(request, "session", None)
        # Only a signed-in browser session: an API call with a token must never start one.
        if session is not None and not session.modified and SESSION_KEY in session:
            every = max(1, min(60, settings.SESSION_COOKIE_AGE // 10))
            if time.time() - session.get(SESSION_TOUCHED_KEY, 0) >= every:
                session_touch(request)
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
            and request.user.is_authenticated
            and request.POST.get("ascm_timed_out") == "1"
            and getattr(view_func, "login_required", True)
            and not request.path.startswith("/api/")
        ):
            # The timeout warning ran out with text typed on the page: it posts the form here, marked.
            # Sign out now (the CSRF check has passed), then keep the form as for an expired session.
            from django.contrib.auth import logout

            user_id = request.user.pk
            data = [(k, v) for k, v in request.POST.lists() if k not in ("csrfmiddlewaretoken", "ascm_timed_out")]
            logout(request)
            return self._keep(request, view_func, user_id, data)
        if (
            request.method == "POST"
            and not request.user.is_authenticated
            and getattr(view_func, "login_required", True)
            and not request.path.startswith("/api/")
        ):
            data = [(k, v) for k, v in request.POST.lists() if k not in ("csrfmiddlewaretoken", "ascm_timed_out")]
            return self._keep(request, view_func, self._last_user_id(request), data)
        return super().process_view(request, view_func, view_args, view_kwargs)

    def _keep(self, request, view_func, user_id, data):
        request.session[PENDING_WORK_KEY] = {"path": request.path, "user_id": user_id, "data": data}
        minutes = max(1, settings.SESSION_COOKIE_AGE // 60)
        messages.warning(
            request,
            f"You were signed out after {minutes} minute{'s' if minutes != 1 else ''} without activity. "
            "Sign in again and we will save your work.",
        )
        return self.handle_no_permission(request, view_func)

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
