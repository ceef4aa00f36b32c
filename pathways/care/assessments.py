"""Writing assessments: drafts with optimistic locking, submission with the eligibility
determination, sign-off by someone other than the author (four eyes), return, corrections."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ascm.notifications.services import notifications_resolve, notify, notify_holders

from .eligibility import ADULT_OUTCOMES, CARER_OUTCOMES, UNABLE_REASONS, adult_eligibility, carer_eligibility
from .models import Assessment
from .permissions import assessment_policy


class DraftConflict(ValidationError):
    """Someone else saved the draft since it was opened. The caller keeps the user's text and shows this."""

    def __init__(self, assessment: Assessment):
        who = assessment.last_saved_by.get_full_name() if assessment.last_saved_by else "Someone else"
        super().__init__(
            f"{who} saved this assessment at {timezone.localtime(assessment.updated_at):%H:%M} after you opened it. "
            "Your text has not been saved: it is kept below, next to their latest version, so you can decide "
            "what to keep before saving again.",
            code="conflict",
        )
        self.current = assessment


def _strengths_from_record(client) -> dict:
    assets = list(client.assets.filter(ended_on__isnull=True))
    return {
        "what_matters": "\n".join(a.description for a in assets if a.kind == "what_matters"),
        "strengths_and_networks": "\n".join(a.description for a in assets
                                            if a.kind in ("strength", "network", "community_resource")),
    }


@transaction.atomic
def assessment_create(*, user, client, kind: str, episode=None, carer=None, carer_name: str = "") -> Assessment:
    """Start a draft, pre-filled with what matters and the strengths and networks on the person's record."""
    if kind == Assessment.Kind.CARER and carer is None and not carer_name.strip():
        raise ValidationError({"carer_name": "Name the carer, or link their record"})
    if episode is not None and episode.client_id != client.pk:
        raise ValidationError({"episode": "Choose one of this person's episodes"})
    if carer is not None and carer.pk == client.pk:
        raise ValidationError({"carer": "The carer cannot be the person they care for"})
    assessment = Assessment(kind=kind, client=client, episode=episode, carer=carer, carer_name=carer_name,
                            author=user, last_saved_by=user, answers=_strengths_from_record(client))
    assessment.full_clean()
    assessment.save()
    _ledger(assessment)
    return assessment


def _ledger(assessment: Assessment, *, completed_on=None, outcome: str = "") -> None:
    """The assessment's event in the care-event ledger. A correction is the same assessment, so it
    updates the event of the version it corrects (one event, one reference, however many versions)."""
    from clients.models import CareEvent
    from clients.services import care_event_record

    root = assessment
    while root.supersedes_id:
        root = root.supersedes
    care_event_record(client=assessment.client, event_type=CareEvent.Type.ASSESSMENT, source=root,
                      start_date=timezone.localtime(root.created_at).date(), end_date=completed_on, outcome=outcome,
                      assessment_type="long_term",  # eligibility is decided: a long-term assessment in CLD terms
                      details={"kind": assessment.kind, **({"carer": assessment.carer_id} if assessment.carer_id else {})})


@transaction.atomic
def assessment_save_draft(*, user, assessment: Assessment, expected_version: int, answers: dict,
                          section: str = "") -> Assessment:
    """Save the draft. If it was saved by someone else since `expected_version`, refuse (DraftConflict)
    instead of overwriting their work silently."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if current.is_locked:
        raise ValidationError("This assessment has been submitted: it can no longer be edited")
    if current.version != expected_version:
        raise DraftConflict(current)
    _check_answers(current.kind, answers)
    current.answers = {**current.answers, **answers}
    current.version += 1
    current.last_saved_by = user
    current.last_section = section or current.last_section
    current.save(update_fields=["answers", "version", "last_saved_by", "last_section", "updated_at"])
    return current


TEXT_LIMIT = 20000


def _is_text(value) -> bool:
    """A text answer is a string, or the list of strings the record's strengths pre-fill gives; never
    a NUL character (PostgreSQL cannot store one) and never longer than the page accepts."""
    parts = value if isinstance(value, list) else [value]
    return all(isinstance(p, str) and "\x00" not in p for p in parts) and sum(len(p) for p in parts) <= TEXT_LIMIT


def _check_answers(kind: str, answers: dict) -> None:
    """The shape of what is stored, so the API cannot store what the pages and rules cannot read."""
    if not isinstance(answers, dict):
        raise ValidationError({"answers": "Send the answers as an object"})
    questions = {name: qkind for _, _, qs in SECTIONS[kind] for name, _, qkind, _ in qs}
    errors = []
    for name, value in answers.items():
        if name == "outcomes":
            continue
        if name not in questions:
            errors.append(f"Unknown question: {name}")
        elif questions[name] == "yesno" and value not in (True, False, None):
            errors.append(f"{name} must be true, false or null")
        elif questions[name] == "text" and not _is_text(value):
            errors.append(f"{name} must be text (no more than {TEXT_LIMIT} characters, no NUL characters)")
    outcomes = answers.get("outcomes", {})
    known = assessment_outcomes(kind)
    if not isinstance(outcomes, dict):
        errors.append("outcomes must map each outcome to its answer")
        outcomes = {}
    for code, answer in outcomes.items():
        if code not in known:
            errors.append(f"Unknown outcome: {code}")
        elif not isinstance(answer, dict) or answer.get("unable") not in (True, False, None):
            errors.append(f"outcomes.{code}.unable must be true, false or null")
        elif answer.get("reason") and answer["reason"] not in UNABLE_REASONS:
            errors.append(f"outcomes.{code}.reason must be one of: {', '.join(UNABLE_REASONS)}")
        elif "detail" in answer and not (isinstance(answer["detail"], str) and _is_text(answer["detail"])):
            errors.append(f"outcomes.{code}.detail must be text (no more than {TEXT_LIMIT} characters, no NUL characters)")
    if errors:
        raise ValidationError({"answers": errors})


def assessment_determination_preview(assessment: Assessment):
    """(determination, None) when every answer the rules need is given, else (None, the ValidationError)."""
    try:
        return _determine(assessment), None
    except ValidationError as error:
        return None, error


def _determine(assessment: Assessment):
    answers = assessment.answers
    outcomes = ADULT_OUTCOMES if assessment.kind == Assessment.Kind.NEEDS else CARER_OUTCOMES
    given = answers.get("outcomes", {})
    unanswered = [label for code, label in outcomes.items() if code not in given or given[code].get("unable") is None]
    if unanswered:
        raise ValidationError({"outcomes": [f"Answer whether the person can achieve: {label}" for label in unanswered]})
    unable = {code: a.get("reason") for code, a in given.items() if a.get("unable")}
    missing_reason = [outcomes[c] for c, r in unable.items() if r not in UNABLE_REASONS]
    if missing_reason:
        raise ValidationError({"outcomes": [f"Say why the person is unable to achieve: {label}" for label in missing_reason]})
    impact = answers.get("significant_impact_on_wellbeing")
    if impact is None:
        raise ValidationError({"significant_impact_on_wellbeing": "Record the judgement on the impact on wellbeing"})
    if assessment.kind == Assessment.Kind.NEEDS:
        if answers.get("arises_from_impairment") is None:
            raise ValidationError({"arises_from_impairment": "Record whether the needs arise from an impairment or illness"})
        return adult_eligibility(arises_from_impairment=answers["arises_from_impairment"], unable=unable,
                                 significant_impact_on_wellbeing=impact)
    if answers.get("arises_from_caring") is None:
        raise ValidationError({"arises_from_caring": "Record whether the needs arise from providing care"})
    return carer_eligibility(arises_from_caring=answers["arises_from_caring"],
                             health_deteriorating_or_at_risk=bool(answers.get("health_deteriorating_or_at_risk")),
                             unable=unable, significant_impact_on_wellbeing=impact)


@transaction.atomic
def assessment_submit(*, user, assessment: Assessment, expected_version: int, practitioner_agrees: bool,
                      disagreement_reason: str = "") -> Assessment:
    """Submit for sign-off: every outcome answered, the determination computed from the answers, and
    the practitioner's confirmation (or why they disagree) recorded."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if current.is_locked:
        raise ValidationError("This assessment has already been submitted")
    if current.version != expected_version:
        raise DraftConflict(current)
    determination = _determine(current)
    if not practitioner_agrees and not disagreement_reason.strip():
        raise ValidationError({"disagreement_reason": "Explain why you disagree with the determination"})
    current.determination = {"eligible": determination.eligible, "reasoning": determination.reasoning}
    current.practitioner_agrees, current.disagreement_reason = practitioner_agrees, disagreement_reason
    current.status, current.submitted_at, current.version = Assessment.Status.SUBMITTED, timezone.now(), current.version + 1
    current.save()
    transaction.on_commit(lambda: _tell_managers(current, user))
    return current


def _tell_managers(assessment: Assessment, author) -> None:
    """Ask whoever signs work off in the person's teams (never the author) to sign the assessment off:
    one notification per team, addressed to the holders of the permission there."""
    from clients.models import Allocation

    teams = (Allocation.objects.filter(client=assessment.client_id, ended_on__isnull=True)
             .select_related("team").order_by("team_id").distinct())
    for team in {allocation.team for allocation in teams}:
        notify_holders(permission=assessment_policy.permission("sign_off"), team=team, actor=author,
                       kind="signoff_requested", key=_signoff_key(assessment),
                       title=f"{assessment.get_kind_display()} for {assessment.client} is waiting for your sign-off",
                       url=reverse("care:assessment", args=[assessment.pk]))


def _signoff_key(assessment: Assessment) -> str:
    return f"assessment-{assessment.pk}-v{assessment.version}-submitted"


def _tell_author(assessment: Assessment, what: str) -> None:
    notify(recipients=[assessment.author], kind=f"assessment_{what}", key=f"assessment-{assessment.pk}-v{assessment.version}-{what}",
           title=f"{assessment.get_kind_display()} for {assessment.client} was {what.replace('_', ' ')}",
           url=reverse("care:assessment", args=[assessment.pk]))


@transaction.atomic
def assessment_sign_off(*, user, assessment: Assessment) -> Assessment:
    """A team manager signs off; never the author (four eyes). Signed off, the assessment is locked."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment_policy.user_may(user, "sign_off"):
        raise PermissionDenied
    if current.author_id == user.pk:
        raise ValidationError("You cannot sign off your own assessment: another manager must")
    if current.status != Assessment.Status.SUBMITTED:
        raise ValidationError("Only a submitted assessment can be signed off")
    current.status, current.signed_off_by, current.signed_off_at = Assessment.Status.SIGNED_OFF, user, timezone.now()
    current.save()
    eligible = (current.determination or {}).get("eligible")
    _ledger(current, completed_on=timezone.localdate(), outcome="eligible" if eligible else "not_eligible")
    notifications_resolve(key=_signoff_key(current))  # no other manager is still asked to sign it off
    transaction.on_commit(lambda: _tell_author(current, "signed_off"))
    return current


@transaction.atomic
def assessment_return(*, user, assessment: Assessment, comments: str) -> Assessment:
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment_policy.user_may(user, "sign_off"):
        raise PermissionDenied
    if current.status != Assessment.Status.SUBMITTED:
        raise ValidationError("Only a submitted assessment can be returned")
    if not comments.strip():
        raise ValidationError({"comments": "Say what needs to change"})
    notifications_resolve(key=_signoff_key(current))
    current.status, current.return_comments, current.version = Assessment.Status.RETURNED, comments, current.version + 1
    current.save()
    transaction.on_commit(lambda: _tell_author(current, "returned"))
    return current


@transaction.atomic
def assessment_correct(*, user, assessment: Assessment) -> Assessment:
    """Corrections to a signed-off assessment are a new version (a draft) that supersedes it. There is
    one correction at a time: asking again (a double click, a second person) is told where it is."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Assessment.Status.SIGNED_OFF:
        raise ValidationError("Only a signed-off assessment is corrected by a new version")
    existing = Assessment.objects.filter(supersedes=assessment).first()
    if existing is not None:
        raise ValidationError(f"This assessment is already being corrected: see assessment {existing.pk}")
    return Assessment.objects.create(kind=assessment.kind, client=assessment.client, carer=assessment.carer,
                                     carer_name=assessment.carer_name, episode=assessment.episode, author=user,
                                     answers=dict(assessment.answers), supersedes=assessment)


# The assessment's question pages, in order. Each question is (key, label, type, hint); "yesno" answers
# are stored as True/False/None, "text" as a string; the "outcomes" page asks about every outcome.
SECTIONS = {
    Assessment.Kind.NEEDS: [
        ("about", "What matters and what is working", [
            ("what_matters", "What matters to the person", "text", "In their words: what a good day looks like"),
            ("what_is_working", "What is working well", "text", ""),
            ("strengths_and_networks", "Strengths, support networks and community resources", "text",
             "Pre-filled from the person's record: add or change anything"),
        ]),
        ("outcomes", "Needs against the specified outcomes", []),
        ("eligibility", "Impairment, wellbeing and carers", [
            ("arises_from_impairment", "Do the needs arise from or relate to a physical or mental impairment or illness?",
             "yesno", ""),
            ("impairment_detail", "The impairment or illness, and how the needs arise from it", "text", ""),
            ("significant_impact_on_wellbeing", "Is there, or is there likely to be, a significant impact on the "
             "person's wellbeing?", "yesno", "Consider each area of wellbeing in section 1 of the Care Act 2014"),
            ("wellbeing_reasoning", "Your reasoning about the impact on wellbeing", "text", ""),
            ("carer_contribution", "What a carer does, and whether they are willing and able to go on", "text",
             "Leave blank if nobody provides care"),
        ]),
    ],
    Assessment.Kind.CARER: [
        ("about", "What matters to the carer", [
            ("what_matters", "What matters to the carer", "text", "In their words"),
            ("caring_role", "The care they provide, and how often", "text", ""),
            ("what_is_working", "What is working well", "text", ""),
            ("strengths_and_networks", "Their strengths and support", "text", ""),
        ]),
        ("outcomes", "The carer's outcomes", []),
        ("eligibility", "The carer's health and wellbeing", [
            ("arises_from_caring", "Do the needs arise from providing necessary care for an adult?", "yesno", ""),
            ("health_deteriorating_or_at_risk", "Is the carer's physical or mental health deteriorating, or at risk "
             "of deteriorating?", "yesno", ""),
            ("significant_impact_on_wellbeing", "Is there, or is there likely to be, a significant impact on the "
             "carer's wellbeing?", "yesno", ""),
            ("wellbeing_reasoning", "Your reasoning about the impact on wellbeing", "text", ""),
        ]),
    ],
}


def assessment_sections(kind: str) -> list[tuple[str, str, list]]:
    return SECTIONS[kind]


def assessment_outcomes(kind: str) -> dict[str, str]:
    return ADULT_OUTCOMES if kind == Assessment.Kind.NEEDS else CARER_OUTCOMES


def section_of_error(field: str) -> str:
    """Which question page a submission error belongs to, to link the message to it."""
    return "outcomes" if field == "outcomes" else "eligibility"
