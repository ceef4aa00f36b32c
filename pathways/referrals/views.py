from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ascm.core.forms import form_add_service_errors
from ascm.core.messages import service_call_with_message
from ascm.core.policies import policy_required
from ascm.organisation.selectors import team_get_for_user
from clients.selectors import client_get_for_search

from . import selectors, services
from .forms import AllocateForm, CloseForm, DeclineForm, RerouteForm
from .permissions import referral_policy

STEP_ORDER = ["who", "needs", "urgency", "discharge"]


def _draft_key(client_pk: int) -> str:
    return f"referral-draft-{client_pk}"


def _to_session(data: dict) -> dict:
    out = {}
    for name, value in data.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif hasattr(value, "pk"):
            value = value.pk
        out[name] = value
    return out


def _from_session(draft: dict) -> dict:
    """What the service takes, from the draft kept in the session between question pages."""
    import datetime

    from ascm.organisation.models import Locality

    from .models import FLAGS

    skip = ("flags", "locality", "admitted_on", "expected_discharge_on", "received_on", "received_time")
    fields = {k: v for k, v in draft.items() if k not in skip}
    if draft.get("received_on"):
        from django.utils import timezone

        at = datetime.time.fromisoformat(draft["received_time"]) if draft.get("received_time") else datetime.time(9, 0)
        fields["received_at"] = timezone.make_aware(datetime.datetime.combine(datetime.date.fromisoformat(draft["received_on"]), at))
    for flag in FLAGS:
        fields[flag] = flag in draft.get("flags", [])
    for name in ("admitted_on", "expected_discharge_on"):
        fields[name] = datetime.date.fromisoformat(draft[name]) if draft.get(name) else None
    if draft.get("locality"):
        fields["locality"] = Locality.objects.get(pk=draft["locality"])
    if not fields["hospital_discharge"]:
        fields.update(ward="", admitted_on=None, expected_discharge_on=None)
    return fields


@policy_required(referral_policy, "add")
def referral_create(request, client_pk: int):
    """Start taking a referral: a fresh draft, then one question per page (GOV.UK question pages)."""
    client_get_for_search(user=request.user, pk=client_pk)
    request.session[_draft_key(client_pk)] = {}
    return redirect("referrals:step", client_pk=client_pk, step="who")


@policy_required(referral_policy, "add")
def referral_step(request, client_pk: int, step: str):
    from django.http import Http404

    from .forms import REFERRAL_STEPS

    client = client_get_for_search(user=request.user, pk=client_pk)
    if step not in REFERRAL_STEPS:
        raise Http404
    draft = request.session.get(_draft_key(client_pk), {})
    initial = dict(draft)
    for name in ("admitted_on", "expected_discharge_on", "received_on"):
        if initial.get(name):
            import datetime

            initial[name] = datetime.date.fromisoformat(initial[name])
    form = REFERRAL_STEPS[step](request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        draft.update(_to_session(form.cleaned_data))
        request.session[_draft_key(client_pk)] = draft
        discharge = "hospital_discharge" in draft.get("flags", [])
        if step == "urgency" and discharge and not draft.get("ward"):
            return redirect("referrals:step", client_pk=client_pk, step="discharge")
        if request.GET.get("change") or step in ("urgency", "discharge"):
            return redirect("referrals:check", client_pk=client_pk)
        return redirect("referrals:step", client_pk=client_pk, step=STEP_ORDER[STEP_ORDER.index(step) + 1])
    back = STEP_ORDER[STEP_ORDER.index(step) - 1] if step != "who" else None
    return render(request, "pathways/referral_step.html", {"form": form, "client": client, "step": step, "back": back})


@policy_required(referral_policy, "add")
def referral_check(request, client_pk: int):
    """Check your answers, then take the referral."""
    client = client_get_for_search(user=request.user, pk=client_pk)
    draft = request.session.get(_draft_key(client_pk))
    if not draft or "source" not in draft or "urgency" not in draft:
        return redirect("referrals:step", client_pk=client_pk, step="who")
    fields = _from_session(draft)
    errors = []
    if request.method == "POST":
        try:
            referral = services.referral_create(user=request.user, client=client, **fields)
        except ValidationError as error:
            errors = error.messages
        else:
            del request.session[_draft_key(client_pk)]
            messages.success(request, "Referral taken. It joins the person's open work, and that team has been told."
                             if referral.status == referral.Status.LINKED
                             else "Referral taken. It is being routed to the right team.")
            return redirect("referrals:detail", pk=referral.pk) if _can_see(request.user, referral) else redirect("clients:search")
    from .models import FLAGS, ReferralSource, Urgency

    answers = [
        ("Who is referring", ReferralSource(draft["source"]).label + (f": {draft.get('referrer_name')}" if draft.get("referrer_name") else ""), "who"),
        ("Their organisation and phone", " ".join(filter(None, [draft.get("referrer_organisation"), draft.get("referrer_phone")])) or "–", "who"),
        ("In the person's words", draft.get("needs_in_persons_words") or "–", "needs"),
        ("As the referrer describes", draft.get("needs_referrer") or "–", "needs"),
        ("Urgency", Urgency(draft["urgency"]).label, "urgency"),
        ("Flags", ", ".join(FLAGS[f] for f in draft.get("flags", [])) or "None", "urgency"),
        ("Consent to the referral", "Yes" if draft.get("consent_given") else "No", "urgency"),
        ("Received", f"{draft['received_on']} {draft.get('received_time') or ''}".strip() if draft.get("received_on") else "Now", "urgency"),
    ]
    if fields["hospital_discharge"]:
        answers.append(("Hospital", f"{draft.get('ward')}; admitted {draft.get('admitted_on') or 'not known'}; "
                                    f"expected discharge {draft.get('expected_discharge_on') or 'not known'}", "discharge"))
    return render(request, "pathways/referral_check.html", {"client": client, "answers": answers, "errors": errors})


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


@policy_required(referral_policy, "view")
def referral_detail(request, pk: int):
    from ascm.organisation.selectors import teams_for_user

    referral = selectors.referral_get_for_user(user=request.user, pk=pk)
    # Never offer a link or an action the user cannot follow: the queue and the queue's actions are for
    # those who may look into the team holding the referral (not, say, triage after it has moved on).
    queue_visible = referral.team_id is not None and teams_for_user(user=request.user).filter(pk=referral.team_id).exists()
    can_act = referral_policy.user_may(request.user, "change") and (queue_visible or referral.team_id is None)
    which = request.POST.get("action") if request.method == "POST" else None
    forms = _action_forms(referral, request.POST, which)
    if request.method == "POST":
        if not can_act:
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
    from .extensions import referral_links

    links = [link for link in (c.link(referral, request.user) for c in referral_links) if link]
    return render(request, "pathways/referral_detail.html", {
        "referral": referral, "forms": forms, "active": which, "events": referral.events.select_related("by"),
        "form": forms.get(which) if which else None, "queue_visible": queue_visible, "can_act": can_act,
        "links": links,
    })


@require_POST
@policy_required(referral_policy, "change")
def referral_pick_up(request, pk: int):
    referral = selectors.referral_get_for_user(user=request.user, pk=pk)
    service_call_with_message(request, lambda: services.referral_allocate(user=request.user, referral=referral,
                                                                          worker=request.user),
                              success="The referral is allocated to you")
    return redirect("referrals:detail", pk=referral.pk)


@policy_required(referral_policy, "view")
def team_queue(request, team_pk: int):
    team = team_get_for_user(user=request.user, pk=team_pk)
    page = selectors.team_queue_page(team=team, page_number=request.GET.get("page"))
    return render(request, "pathways/team_queue.html", {"team": team, "page": page, "queue": page.object_list})


@require_POST
@policy_required(referral_policy, "change")
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
