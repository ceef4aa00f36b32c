"""The signed-in person's own account: their password and their API token."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from ascm.core.forms import GovukFormMixin
from ascm.core.policies import SIGNED_IN, policy_required

from . import tokens


class GovukPasswordChangeForm(GovukFormMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs["autocomplete"] = "current-password"
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = GovukPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps the person signed in (update_session_auth_hash)
        messages.success(self.request, "Your password has been changed")
        return response


@policy_required(SIGNED_IN)
def account(request):
    from django.conf import settings
    from django.utils import timezone

    token = tokens.token_for(user=request.user)
    expires = tokens.token_expires_at(token) if token else None
    return render(request, "accounts/account.html", {
        "token": token, "token_expires_at": expires, "token_expired": bool(expires and expires <= timezone.now()),
        "token_days": settings.ASCM_API_TOKEN_DAYS})


@require_POST
@policy_required(SIGNED_IN)
def token_create(request):
    token = tokens.token_create(user=request.user)
    # The key is shown once, on this response only; it is never shown again.
    return render(request, "accounts/token_created.html",
                  {"token": token, "token_expires_at": tokens.token_expires_at(token)})


@require_POST
@policy_required(SIGNED_IN)
def token_revoke(request):
    if tokens.token_revoke(user=request.user):
        messages.success(request, "Your API token has been revoked: it no longer works")
    return redirect("accounts:account")
