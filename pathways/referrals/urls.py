from django.urls import path

from . import rule_views, targets, views

app_name = "referrals"
urlpatterns = [
    path("rules/", rule_views.rule_list, name="rules"),
    path("response-targets/", targets.response_targets_page, name="response-targets"),
    path("rules/new/", rule_views.rule_create, name="rule-create"),
    path("rules/<int:pk>/", rule_views.rule_edit, name="rule-edit"),
    path("rules/<int:pk>/move/<str:direction>/", rule_views.rule_move, name="rule-move"),
    path("new/<int:client_pk>/", views.referral_create, name="create"),
    path("new/<int:client_pk>/check/", views.referral_check, name="check"),
    path("new/<int:client_pk>/<slug:step>/", views.referral_step, name="step"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/pick-up/", views.referral_pick_up, name="pick-up"),
    path("teams/<int:team_pk>/", views.team_queue, name="team-queue"),
    path("teams/<int:team_pk>/pick-next/", views.team_pick_next, name="pick-next"),
]
