from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ascm.core.forms import form_add_service_errors
from ascm.organisation.selectors import team_get_for_user
from clients.selectors import client_get_for_search

from . import selectors, services
from .forms import AllocateForm, CloseForm, DeclineForm, ReferralForm, RerouteForm
from .models import ResponseTarget


@permission_required("pathways.add_referral", raise_exception=True)
def referral_create(request, client_pk: int):
    client = client_get_for_search(user=request.user, pk=client_pk)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(user=request.user, client=client, **form.service_fields())
        except ValidationError as error:
            form_add_service_errors(form, error, aliases={"client": "source"})
        else:
            messages.success(request, "Referral taken. It is being routed to the right team.")
            return redirect("referrals:detail", pk=referral.pk) if _can_see(request.user, referral) else redirect("clients:search")
    return render(request, "pathways/referral_form.html", {"form": form, "client": client})


def _can_see(user, referral) -> bool:
    return selectors.referrals_for_user(user=user).filter(pk=referral.pk).exists()


def _action_forms(referral, data=None, which=None):
    forms = {
        "allocate": AllocateForm(data if which == "allocate" else None, team=referral.team) if referral.team else None,
        "reroute": RerouteForm(data if which == "reroute" else None),
        "decline": DeclineForm(data if which == "decline" else None),
        "close": CloseForm(data if which == "close" else None),
    }
    return forms


@permission_required("pathways.view_referral", raise_exception=True)
def referral_detail(request, pk: int):
    referral = selectors.referral_get_for_user(user=request.user, pk=pk)
    which = request.POST.get("action") if request.method == "POST" else None
    forms = _action_forms(referral, request.POST, which)
    if request.method == "POST":
        if not request.user.has_perm("pathways.change_referral"):
            raise PermissionDenied
        form = forms.get(which)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if which == "allocate":
                    services.referral_allocate(user=request.user, referral=referral, worker=data["worker"],
                                               reallocate=referral.status == referral.Status.ALLOCATED)
                elif which == "reroute":
                    services.referral_reroute(user=request.user, referral=referral, **data)
                elif which == "decline":
                    services.referral_decline(user=request.user, referral=referral, **data)
                elif which == "close":
                    services.referral_close(user=request.user, referral=referral, **data)
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, {"allocate": "Referral allocated; the person is in the practitioner's caseload", "reroute": "Referral re-routed",
                                           "decline": "Referral declined and returned to triage",
                                           "close": "Referral closed"}[which])
                return redirect("referrals:detail", pk=referral.pk)
    return render(request, "pathways/referral_detail.html", {
        "referral": referral, "forms": forms, "active": which, "events": referral.events.select_related("by"),
        "form": forms.get(which) if which else None,
    })


@require_POST
@permission_required("pathways.change_referral", raise_exception=True)
def referral_pick_up(request, pk: int):
    referral = selectors.referral_get_for_user(user=request.user, pk=pk)
    try:
        services.referral_allocate(user=request.user, referral=referral, worker=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The referral is allocated to you")
    return redirect("referrals:detail", pk=referral.pk)


@permission_required("pathways.view_referral", raise_exception=True)
def team_queue(request, team_pk: int):
    team = team_get_for_user(user=request.user, pk=team_pk)
    targets = {t.urgency: t.hours for t in ResponseTarget.objects.all()}
    now = timezone.now()
    queue = list(selectors.team_queue(team=team)[:200])
    for referral in queue:
        waited = (now - referral.received_at).total_seconds() / 3600
        referral.waited_hours = int(waited)
        referral.target_hours = targets.get(referral.urgency)
        referral.breached = referral.target_hours is not None and waited > referral.target_hours
    return render(request, "pathways/team_queue.html", {"team": team, "queue": queue})


@require_POST
@permission_required("pathways.change_referral", raise_exception=True)
def team_pick_next(request, team_pk: int):
    team = team_get_for_user(user=request.user, pk=team_pk)
    try:
        referral = services.referral_pick_next(user=request.user, team=team)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("referrals:team-queue", team_pk=team.pk)
    if referral is None:
        messages.info(request, "No referrals are waiting")
        return redirect("referrals:team-queue", team_pk=team.pk)
    messages.success(request, "You have picked up this referral")
    return redirect("referrals:detail", pk=referral.pk)
