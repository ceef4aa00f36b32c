from django.urls import path

from . import views

app_name = "performance"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("exports/<int:pk>/", views.export, name="export"),
    path("exports/<int:pk>/download/", views.export_download, name="export-download"),
    path("<slug:key>/", views.drill_down, name="drill-down"),
    path("<slug:key>/export/", views.export_start, name="export-start"),
]
