from django.urls import path

from . import return_views

app_name = "returns"
urlpatterns = [
    path("", return_views.home, name="home"),
    path("files/<int:pk>/", return_views.file_detail, name="file"),
    path("files/<int:pk>/download/", return_views.file_download, name="file-download"),
    path("files/<int:pk>/problems/", return_views.file_problems, name="file-problems"),
    path("files/<int:pk>/tables/", return_views.file_tables, name="file-tables"),
    path("files/<int:pk>/tables/<str:key>/", return_views.file_table_entries, name="file-table-entries"),
]
