from celery.exceptions import CeleryError
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from kombu import Connection

from ascm.core.policies import PUBLIC, SIGNED_IN, policy_required
from ascm.organisation.selectors import teams_of_member

from .extensions import home_panels, panels_for_user
from .forms import GovukFormMixin


class LoginForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask an administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["username"].widget.attrs["spellcheck"] = "false"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@login_not_required
@never_cache
@policy_required(PUBLIC)
def signed_out(request):
    """Where signing out ends up. A GET never signs anyone out (a link or an image could otherwise do
    it): a signed-in visitor is offered the sign-out button, which posts."""
    timed_out = request.GET.get("timeout") == "1"
    return render(request, "registration/signed_out.html",
                  {"timed_out": timed_out, "idle_minutes": max(1, settings.SESSION_COOKIE_AGE // 60)})


@require_POST
@policy_required(SIGNED_IN)
def session_keepalive(request):
    """"Stay signed in": the session is saved now, which slides its idle limit."""
    from .middleware import session_touch

    session_touch(request)
    return HttpResponse(status=204)


@never_cache
@policy_required(SIGNED_IN)
def home(request):
    return render(request, "core/home.html", {
        "teams": teams_of_member(user=request.user), "panels": panels_for_user(home_panels, user=request.user),
    })


@login_not_required
@policy_required(PUBLIC)
def accessibility(request):
    return render(request, "core/accessibility.html")


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"status": "ok", "vendor": connection.vendor}
    except Exception as error:  # noqa: BLE001 - health reports any failure
        return {"status": "error", "detail": type(error).__name__}


def _check_cache() -> dict:
    try:
        cache.set("ascm:healthz", "1", 10)
        ok = cache.get("ascm:healthz") == "1"
        backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        return {"status": "ok" if ok else "error", "backend": backend}
    except Exception as error:  # noqa: BLE001
        return {"status": "error", "detail": type(error).__name__}


def _check_broker_and_worker() -> tuple[dict, dict]:
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        embedded = {"status": "ok", "detail": "tasks run in-process"}
        return embedded, embedded
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        broker = {"status": "ok"}
    except Exception as error:  # noqa: BLE001
        return {"status": "error", "detail": type(error).__name__}, {"status": "unknown", "detail": "broker down"}
    from ascm.celery import app

    try:
        replies = app.control.ping(timeout=1.0) or []
    except (CeleryError, OSError) as error:
        return broker, {"status": "error", "detail": type(error).__name__}
    if not replies:
        return broker, {"status": "error", "detail": "no worker answered"}
    return broker, {"status": "ok", "workers": len(replies)}


@login_not_required
@never_cache
@require_GET
@policy_required(PUBLIC)
def healthz(request):
    """200 while the database answers (the app can work); the body says how every part is."""
    database = _check_database()
    broker, worker = _check_broker_and_worker()
    checks = {"database": database, "cache": _check_cache(), "broker": broker, "worker": worker}
    healthy = all(c["status"] == "ok" for c in checks.values())
    body = {"status": "ok" if healthy else "degraded", "checks": checks}
    if database["status"] != "ok":
        body["status"] = "error"
        return JsonResponse(body, status=503)
    return JsonResponse(body)


def redirect_next(request, fallback: str):
    """Redirect to the posted `next` if it stays on this site (never to //elsewhere), else to fallback."""
    from django.shortcuts import redirect
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)
