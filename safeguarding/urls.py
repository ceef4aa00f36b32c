from django.urls import path

from . import views

app_name = "safeguarding"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/<int:client_pk>/", views.concern_raise, name="raise"),
    path("concerns/<int:pk>/", views.concern_detail, name="concern"),
    path("concerns/<int:pk>/access/", views.access_grant, name="access-grant"),
    path("access/<int:pk>/revoke/", views.access_revoke, name="access-revoke"),
    path("adults/<int:pk>/decision/", views.decision, name="decision"),
    path("decision-targets/", views.targets, name="targets"),
]
