from django.urls import path

from . import settings, views

app_name = "care"
urlpatterns = [
    path("work/", views.work, name="work"),
    path("settings/pathways/", settings.pathway_settings_page, name="pathway-settings"),
    path("settings/reminder-thresholds/", settings.reminder_thresholds_page, name="reminder-thresholds"),
    path("work/overdue-reviews/", views.overdue_reviews, name="overdue-reviews"),
    path("assessments/new/<int:client_pk>/", views.assessment_start, name="assessment-start"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/check/", views.assessment_check, name="assessment-check"),
    path("assessments/<int:pk>/print/", views.assessment_print, name="assessment-print"),
    path("assessments/<int:pk>/sign-off/", views.assessment_sign_off, name="assessment-sign-off"),
    path("assessments/<int:pk>/return/", views.assessment_return, name="assessment-return"),
    path("assessments/<int:pk>/correct/", views.assessment_correct, name="assessment-correct"),
    path("assessments/<int:pk>/continue/", views.assessment_continue, name="assessment-continue"),
    path("assessments/<int:pk>/<slug:section>/", views.assessment_section, name="assessment-section"),
    path("plans/new/<int:client_pk>/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/print/", views.plan_print, name="plan-print"),
    path("reviews/<int:pk>/", views.review_record, name="review"),
    # Episodes start from a referral: the URL stays under /referrals/ where the referral is.
    path("referrals/<int:pk>/start-episode/", views.episode_start_from_referral, name="start-episode"),
    path("referrals/episodes/<int:pk>/close/", views.episode_close, name="close-episode"),
]
