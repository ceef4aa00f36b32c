from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from ascm.core.forms import form_add_service_errors, form_page
from ascm.core.policies import policy_required

from . import selectors, services
from .forms import CloseForm, MemberAddForm, MemberEndForm, MemberRoleForm, MembersMoveForm, TeamFilterForm, TeamForm
from .models import Team
from .permissions import team_membership_policy, team_policy


@policy_required(team_policy, "view")
def overview(request):
    from .extensions import setup_links
    from .registers import REGISTERS

    links = [(link.text, reverse(link.url_name)) for link in setup_links if link.policy.user_may(request.user, link.action)]
    registers = [(r.plural.capitalize() if r.noun[0].islower() else r.plural, reverse(f"organisation:{r.slug}-list"))
                 for r in REGISTERS.values() if r.policy.user_may(request.user, "view")]
    return render(request, "organisation/overview.html", {"localities": selectors.localities_overview(),
                                                          "setup_links": links, "registers": registers})


@policy_required(team_policy, "view")
def team_list(request):
    filters = TeamFilterForm(request.GET or None)
    teams = selectors.teams_for_user(user=request.user)
    if filters.is_valid():
        if filters.cleaned_data["locality"]:
            teams = teams.filter(locality=filters.cleaned_data["locality"])
        if filters.cleaned_data["team_type"]:
            teams = teams.filter(team_type=filters.cleaned_data["team_type"])
        if filters.cleaned_data["q"].strip():
            teams = teams.filter(name__icontains=filters.cleaned_data["q"].strip())
    page = Paginator(teams, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "organisation/team_list.html", {"teams": page, "page": page, "filters": filters,
                                                           "query": query.urlencode()})


@policy_required(team_policy, "view")
def team_detail(request, pk: int):
    team = selectors.team_get_for_user(user=request.user, pk=pk)
    manages = team_membership_policy.user_may(request.user, "change")
    return render(request, "organisation/team_detail.html", {
        "team": team, "memberships": selectors.team_members(team=team), "manages_members": manages,
        "past_members": selectors.team_past_members(team=team) if manages else []})


@policy_required(team_membership_policy, "add")
def member_add(request, pk: int):
    team = get_object_or_404(Team.objects.current().select_related("locality"), pk=pk)
    def act(f):
        data = f.cleaned_data
        return services.membership_add(team=team, user=data["person"], role=data["role"], started_on=data["started_on"])

    return _member_page(request, team=team, form=MemberAddForm(request.POST or None), act=act, step="add",
                        done=lambda m: f"{m.user} added to {team.name}")


@policy_required(team_membership_policy, "change")
def member_role(request, pk: int, membership_pk: int):
    team = get_object_or_404(Team.objects.current().select_related("locality"), pk=pk)
    membership = selectors.team_membership_get(team=team, pk=membership_pk)
    def act(f):
        data = f.cleaned_data
        return services.membership_change_role(membership=membership, role=data["role"], on=data["on"],
                                               reason=data["reason"])

    return _member_page(request, team=team, form=MemberRoleForm(request.POST or None), act=act, step="role",
                        membership=membership, done=lambda m: f"{m.user} is now {m.role.name} in {team.name}")


@policy_required(team_membership_policy, "change")
def member_end(request, pk: int, membership_pk: int):
    team = get_object_or_404(Team.objects.current().select_related("locality"), pk=pk)
    membership = selectors.team_membership_get(team=team, pk=membership_pk)
    def act(f):
        return services.membership_end(membership=membership, ended_on=f.cleaned_data["ended_on"],
                                       reason=f.cleaned_data["reason"])

    return _member_page(request, team=team, form=MemberEndForm(request.POST or None), act=act, step="end",
                        membership=membership, done=lambda m: f"{m.user}'s membership of {team.name} has ended")


def _member_page(request, *, team, form, act, step: str, done, membership=None):
    # The service's "user" is the form's "person".
    return form_page(request, form=form, act=act, template="organisation/member_form.html",
                     context={"team": team, "membership": membership, "step": step}, done=done,
                     to=lambda _: reverse("organisation:team-detail", args=[team.pk]), aliases={"user": "person"})


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


@policy_required(team_membership_policy, "change")
def members_move(request, pk: int):
    """Move several members to another team in one step: choose, then confirm what will happen."""
    team = get_object_or_404(Team.objects.current().select_related("locality"), pk=pk)
    form = MembersMoveForm(request.POST or None, team=team, memberships=selectors.team_members(team=team))
    if request.method == "POST" and request.POST.get("confirm") != "yes":
        # First the choices are checked and what will happen is shown; the confirmation posts them again.
        if not form.is_valid():
            return render(request, "organisation/members_move.html", {"team": team, "form": form}, status=400)
        data = form.cleaned_data
        return render(request, "organisation/members_move_confirm.html", {
            "team": team, "form": form, "members": data["members"], "to_team": data["to_team"],
            "on": data["on"] or timezone.localdate(),
            "posted": [(k, v) for k, vs in request.POST.lists() if k != "csrfmiddlewaretoken" for v in vs]})

    def act(f):
        data = f.cleaned_data
        return services.memberships_move(memberships=data["members"], to_team=data["to_team"], on=data["on"],
                                         reason=data["reason"])

    return form_page(request, form=form, act=act, template="organisation/members_move.html", context={"team": team},
                     done=lambda moved: f"{len(moved)} member{'s' if len(moved) != 1 else ''} moved to {moved[0].team}",
                     to=lambda moved: reverse("organisation:team-detail", args=[moved[0].team_id]))


@policy_required(team_policy, "change")
def team_close(request, pk: int):
    """Close a team with the reason (refused while it has members or people allocated)."""
    team = get_object_or_404(Team.objects.current(), pk=pk)
    return form_page(request, form=CloseForm(request.POST or None), template="organisation/register_close.html",
                     act=lambda f: services.record_archive(instance=team, reason=f.cleaned_data["reason"]),
                     context={"register": {"noun": "team", "plural": "teams"}, "record": team, "label": team.name,
                              "list_url": reverse("organisation:team-list")},
                     done=lambda t: f"‘{t.name}’ closed", to=lambda t: reverse("organisation:team-list"),
                     aliases={"__all__": "reason"})
