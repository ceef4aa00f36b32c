from django.urls import path

from . import register_views, views
from .registers import REGISTERS

app_name = "organisation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("teams/", views.team_list, name="team-list"),
    path("teams/new/", views.team_create, name="team-create"),
    path("teams/<int:pk>/", views.team_detail, name="team-detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team-edit"),
    path("teams/<int:pk>/close/", views.team_close, name="team-close"),
    path("teams/<int:pk>/members/add/", views.member_add, name="member-add"),
    path("teams/<int:pk>/members/<int:membership_pk>/role/", views.member_role, name="member-role"),
    path("teams/<int:pk>/members/<int:membership_pk>/end/", views.member_end, name="member-end"),
    path("teams/<int:pk>/members/move/", views.members_move, name="members-move"),
]
for _slug in REGISTERS:
    urlpatterns += [
        path(f"{_slug}/", register_views.register_list, {"register": _slug}, name=f"{_slug}-list"),
        path(f"{_slug}/new/", register_views.register_create, {"register": _slug}, name=f"{_slug}-create"),
        path(f"{_slug}/<int:pk>/", register_views.register_edit, {"register": _slug}, name=f"{_slug}-edit"),
        path(f"{_slug}/<int:pk>/close/", register_views.register_close, {"register": _slug}, name=f"{_slug}-close"),
    ]
