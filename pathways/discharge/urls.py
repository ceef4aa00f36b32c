from django.urls import path

from . import views

app_name = "discharge"
urlpatterns = [
    path("", views.tracking, name="tracking"),
    path("new/", views.new, name="new"),
    path("from-referral/<int:referral_pk>/", views.from_referral, name="from-referral"),
    path("summary/", views.summary, name="summary"),
    path("alert-rules/", views.alert_rules, name="alert-rules"),
    path("alert-rules/<int:pk>/retire/", views.alert_rule_retire, name="alert-rule-retire"),
    path("<int:pk>/", views.record, name="record"),
    path("<int:pk>/ready-date/", views.ready_date, name="ready-date"),
    path("<int:pk>/pathway/", views.pathway, name="pathway"),
    path("<int:pk>/delay/", views.delay, name="delay"),
    path("<int:pk>/plan/", views.plan, name="plan"),
    path("<int:pk>/discharged/", views.complete, name="complete"),
]
