from django.urls import path

from . import views, weights

app_name = "mdt"
urlpatterns = [
    path("", views.meeting_list, name="meetings"),
    path("caseload-weights/", weights.caseload_weights_page, name="caseload-weights"),
    path("new/", views.meeting_create, name="meeting-create"),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/attendees/", views.attendee_add, name="attendee-add"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="meeting-cancel"),
    path("<int:pk>/pack/", views.meeting_pack, name="pack"),
    path("<int:pk>/pack.pdf", views.meeting_pack_pdf, name="pack-pdf"),
    path("agenda/add/<int:client_pk>/", views.agenda_add, name="agenda-add"),
    path("agenda/<int:pk>/discussion/", views.discussion, name="discussion"),
    path("agenda/<int:pk>/withdraw/", views.agenda_withdraw, name="agenda-withdraw"),
    path("actions/<int:pk>/status/", views.action_status, name="action-status"),
    path("caseload/", views.caseload_review, name="caseload"),
    path("caseload/<int:worker_pk>/<slug:figure>/", views.caseload_drilldown, name="drilldown"),
    path("localities/", views.locality_overview, name="localities"),
]
