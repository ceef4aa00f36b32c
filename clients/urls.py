from django.urls import path

from . import views

app_name = "clients"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.client_create, name="create"),
    path("break-glass-report/", views.break_glass_report, name="break-glass-report"),
    path("<int:pk>/", views.record, name="record"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
    path("<int:pk>/access/", views.break_glass, name="break-glass"),
    path("<int:pk>/notes/", views.notes, name="notes"),
    path("<int:pk>/notes/new/", views.note_add, name="note-add"),
    path("<int:pk>/notes/<int:note_pk>/amend/", views.note_amend, name="note-amend"),
    path("<int:pk>/relationships/new/", views.relationship_add, name="relationship-add"),
    path("<int:pk>/strengths/new/", views.asset_add, name="asset-add"),
    path("<int:pk>/relationships/<int:relationship_pk>/end/", views.relationship_end, name="relationship-end"),
    path("<int:pk>/strengths/<int:asset_pk>/end/", views.asset_end, name="asset-end"),
    path("<int:pk>/merge/", views.merge, name="merge"),
]
