from django.urls import path

from . import dols_views, enquiry_views, return_views, views

app_name = "safeguarding"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/<int:client_pk>/", views.concern_raise, name="raise"),
    path("concerns/<int:pk>/", views.concern_detail, name="concern"),
    path("concerns/<int:pk>/access/", views.access_grant, name="access-grant"),
    path("concerns/<int:pk>/adults/", views.adult_add, name="adult-add"),
    path("access/<int:pk>/revoke/", views.access_revoke, name="access-revoke"),
    path("adults/<int:pk>/decision/", views.decision, name="decision"),
    path("decision-targets/", views.targets, name="targets"),
    path("overview/", views.overview, name="overview"),
    path("dols/", dols_views.queue, name="dols-queue"),
    path("dols/new/", dols_views.receive, name="dols-receive"),
    path("dols/<int:pk>/", dols_views.application, name="dols-application"),
    path("dols/<int:pk>/screen/", dols_views.screen, name="dols-screen"),
    path("dols/<int:pk>/extend/", dols_views.extend, name="dols-extend"),
    path("dols/<int:pk>/assessments/", dols_views.assessment, name="dols-assessment"),
    path("dols/<int:pk>/decision/", dols_views.decide, name="dols-decide"),
    path("dols/<int:pk>/authorisation/", dols_views.authorisation_status, name="dols-authorisation"),
    path("dols/<int:pk>/withdraw/", dols_views.withdraw, name="dols-withdraw"),
    path("dols/<int:pk>/renewal/", dols_views.renewal, name="dols-renewal"),
    path("dols/<int:pk>/review/", dols_views.review, name="dols-review"),
    path("dols/<int:pk>/print/<slug:kind>/", dols_views.letter, name="dols-letter"),
    path("dols/backlog/", dols_views.dashboard, name="dols-dashboard"),
    path("dols/backlog/<str:key>/", dols_views.dashboard_cases, name="dols-dashboard-cases"),  # "high_22-90"
    path("dols/returns/", dols_views.dols_return, name="dols-return"),
    path("dols/returns/<int:year>.csv", dols_views.dols_return_csv, name="dols-return-csv"),
    path("dols/returns/<int:year>/<slug:key>/", dols_views.dols_return_figure, name="dols-return-figure"),
    path("returns/", return_views.sac, name="sac"),
    path("returns/<int:year>/missing/", return_views.sac_missing, name="sac-missing"),
    path("returns/<int:year>/<slug:key>.csv", return_views.sac_csv, name="sac-csv"),
    path("returns/<int:year>/<slug:key>/<str:row>/", return_views.sac_cases, name="sac-cases"),  # "95+" is a row
    path("enquiries/<int:pk>/", enquiry_views.enquiry_detail, name="enquiry"),
    path("enquiries/<int:pk>/officer/", enquiry_views.officer, name="enquiry-officer"),
    path("enquiries/<int:pk>/personal/", enquiry_views.personal, name="enquiry-personal"),
    path("enquiries/<int:pk>/allegations/", enquiry_views.allegation_add, name="allegation-add"),
    path("allegations/<int:pk>/conclude/", enquiry_views.allegation_conclude, name="allegation-conclude"),
    path("enquiries/<int:pk>/meetings/", enquiry_views.meeting_add, name="meeting-add"),
    path("enquiries/<int:pk>/actions/", enquiry_views.action_add, name="action-add"),
    path("actions/<int:pk>/done/", enquiry_views.action_done, name="action-done"),
    path("enquiries/<int:pk>/conclude/", enquiry_views.conclude, name="enquiry-conclude"),
    path("enquiries/<int:pk>/reopen/", enquiry_views.reopen, name="enquiry-reopen"),
]
