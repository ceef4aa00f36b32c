from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from ascm.core.forms import form_add_service_errors, form_submit
from ascm.core.policies import policy_required

from . import selectors, services
from .forms import MemberAddForm, MemberEndForm, MemberRoleForm, TeamFilterForm, TeamForm
from .models import Team
from .permissions import team_membership_policy, team_policy


@policy_required(team_policy, "view")
def overview(request):
    from django.urls import reverse

    from .extensions import setup_links

    links = [(link.text, reverse(link.url_name)) for link in setup_links if link.policy.user_may(request.user, link.action)]
    return render(request, "organisation/overview.html", {"localities": selectors.localities_overview(),
                                                          "setup_links": links})


@policy_required(team_policy, "view")
def team_list(request):
    filters = TeamFilterForm(request.GET or None)
    teams = selectors.teams_for_user(user=request.user)
    if filters.is_valid():
        if filters.cleaned_data["locality"]:
            teams = teams.filter(locality=filters.cleaned_data["locality"])
        if filters.cleaned_data["team_type"]:
            teams = teams.filter(team_type=filters.cleaned_data["team_type"])
    return render(request, "organisation/team_list.html", {"teams": teams[:500], "filters": filters})


@policy_required(team_policy, "view")
def team_detail(request, pk: int):
    team = selectors.team_get_for_user(user=request.user, pk=pk)
    manages = team_membership_policy.user_may(request.user, "change")
    return render(request, "organisation/team_detail.html", {
        "team": team, "memberships": selectors.team_members(team=team), "manages_members": manages,
        "past_members": selectors.team_past_members(team=team) if manages else []})


def _member_page(request, *, team, form, template, membership=None, done: str, act):
    """A team page's member form: saved → back to the team with a banner; refused → the form again
    with the error summary and what was typed (the service's "user" is the form's "person")."""
    if request.method == "POST" and form_submit(form, act, aliases={"user": "person"}):
        messages.success(request, done)
        return redirect("organisation:team-detail", pk=team.pk)
    return render(request, template, {"team": team, "form": form, "membership": membership},
                  status=400 if request.method == "POST" else 200)


@policy_required(team_membership_policy, "add")
def member_add(request, pk: int):
    team = get_object_or_404(Team.objects.current().select_related("locality"), pk=pk)
    form = MemberAddForm(request.POST if request.method == "POST" else None)

    def act(f):
        data = f.cleaned_data
        services.membership_add(team=team, user=data["person"], role=data["role"], started_on=data["started_on"])

    person = form.cleaned_data.get("person") if form.is_bound and form.is_valid() else None
    return _member_page(request, team=team, form=form, template="organisation/member_add.html", act=act,
                        done=f"{person} added to {team.name}" if person else "")


@policy_required(team_membership_policy, "change")
def member_role(request, pk: int, membership_pk: int):
    team = get_object_or_404(Team.objects.current().select_related("locality"), pk=pk)
    membership = selectors.team_membership_get(team=team, pk=membership_pk)
    form = MemberRoleForm(request.POST if request.method == "POST" else None)

    def act(f):
        data = f.cleaned_data
        services.membership_change_role(membership=membership, role=data["role"], on=data["on"], reason=data["reason"])

    role = form.cleaned_data.get("role") if form.is_bound and form.is_valid() else None
    return _member_page(request, team=team, form=form, membership=membership, template="organisation/member_role.html",
                        act=act, done=f"{membership.user} is now {role.name} in {team.name}" if role else "")


@policy_required(team_membership_policy, "change")
def member_end(request, pk: int, membership_pk: int):
    team = get_object_or_404(Team.objects.current().select_related("locality"), pk=pk)
    membership = selectors.team_membership_get(team=team, pk=membership_pk)
    form = MemberEndForm(request.POST if request.method == "POST" else None)

    def act(f):
        services.membership_end(membership=membership, ended_on=f.cleaned_data["ended_on"], reason=f.cleaned_data["reason"])

    return _member_page(request, team=team, form=form, membership=membership, template="organisation/member_end.html",
                        act=act, done=f"{membership.user}'s membership of {team.name} has ended")


@policy_required(team_policy, "add")
def team_create(request):
    form = TeamForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(**form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"Team ‘{team.name}’ created")
            return redirect("organisation:team-detail", pk=team.pk)
    return render(request, "organisation/team_form.html", {"form": form, "team": None})


@policy_required(team_policy, "change")
def team_edit(request, pk: int):
    team = get_object_or_404(Team.objects.current(), pk=pk)
    form = TeamForm(request.POST if request.method == "POST" else None, initial=TeamForm.initial_for(team))
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(team=team, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Team details saved")
            return redirect("organisation:team-detail", pk=team.pk)
    return render(request, "organisation/team_form.html", {"form": form, "team": team})
