from django.urls import path

from . import setup_views as views

app_name = "roles"
urlpatterns = [
    path("", views.role_list, name="list"),
    path("new/", views.role_create, name="create"),
    path("<int:pk>/edit/", views.role_edit, name="edit"),
]
