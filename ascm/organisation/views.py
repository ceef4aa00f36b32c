from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from ascm.core.forms import form_add_service_errors
from ascm.core.policies import policy_required

from . import selectors, services
from .forms import TeamFilterForm, TeamForm
from .models import Team
from .permissions import team_policy


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
    return render(
        request, "organisation/team_detail.html", {"team": team, "memberships": selectors.team_members(team=team)}
    )


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
