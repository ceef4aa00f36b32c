from django.urls import path

from . import views

app_name = "organisation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("teams/", views.team_list, name="team-list"),
    path("teams/new/", views.team_create, name="team-create"),
    path("teams/<int:pk>/", views.team_detail, name="team-detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team-edit"),
    path("teams/<int:pk>/members/add/", views.member_add, name="member-add"),
    path("teams/<int:pk>/members/<int:membership_pk>/role/", views.member_role, name="member-role"),
    path("teams/<int:pk>/members/<int:membership_pk>/end/", views.member_end, name="member-end"),
]
