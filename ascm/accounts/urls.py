from django.urls import path

from ascm.core.policies import SIGNED_IN, policy_required

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("password/", policy_required(SIGNED_IN)(views.PasswordChangeView.as_view()), name="password"),
    path("token/", views.token_create, name="token-create"),
    path("token/revoke/", views.token_revoke, name="token-revoke"),
]
