"""Writing assessments: drafts with optimistic locking, submission with the eligibility
determination, sign-off by someone other than the author (four eyes), return, corrections."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .eligibility import ADULT_OUTCOMES, CARER_OUTCOMES, UNABLE_REASONS, adult_eligibility, carer_eligibility
from .models import Assessment


class DraftConflict(ValidationError):
    """Someone else saved the draft since it was opened. The caller keeps the user's text and shows this."""

    def __init__(self, assessment: Assessment):
        super().__init__(
            f"{assessment.author if assessment.updated_at else 'Someone'} saved this assessment at "
            f"{timezone.localtime(assessment.updated_at):%H:%M} after you opened it. Your text has not been "
            "saved: it is shown below so you can copy what you need into the latest version.",
            code="conflict",
        )
        self.current = assessment


def _strengths_from_record(client) -> dict:
    assets = client.assets.filter(ended_on__isnull=True)
    return {
        "what_matters": [a.description for a in assets if a.kind == "what_matters"],
        "strengths_and_networks": [a.description for a in assets if a.kind in ("strength", "network", "community_resource")],
    }


@transaction.atomic
def assessment_create(*, user, client, kind: str, episode=None, carer=None, carer_name: str = "") -> Assessment:
    """Start a draft, pre-filled with what matters and the strengths and networks on the person's record."""
    if kind == Assessment.Kind.CARER and carer is None and not carer_name.strip():
        raise ValidationError({"carer_name": "Name the carer, or link their record"})
    assessment = Assessment(kind=kind, client=client, episode=episode, carer=carer, carer_name=carer_name,
                            author=user, answers=_strengths_from_record(client))
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def assessment_save_draft(*, user, assessment: Assessment, expected_version: int, answers: dict) -> Assessment:
    """Save the draft. If it was saved by someone else since `expected_version`, refuse (DraftConflict)
    instead of overwriting their work silently."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if current.is_locked:
        raise ValidationError("This assessment has been submitted: it can no longer be edited")
    if current.version != expected_version:
        raise DraftConflict(current)
    current.answers = {**current.answers, **answers}
    current.version += 1
    current.save(update_fields=["answers", "version", "updated_at"])
    return current


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
    return current


@transaction.atomic
def assessment_sign_off(*, user, assessment: Assessment) -> Assessment:
    """A team manager signs off; never the author (four eyes). Signed off, the assessment is locked."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not user.has_perm("pathways.sign_off_assessment"):
        raise PermissionDenied
    if current.author_id == user.pk:
        raise ValidationError("You cannot sign off your own assessment: another manager must")
    if current.status != Assessment.Status.SUBMITTED:
        raise ValidationError("Only a submitted assessment can be signed off")
    current.status, current.signed_off_by, current.signed_off_at = Assessment.Status.SIGNED_OFF, user, timezone.now()
    current.save()
    return current


@transaction.atomic
def assessment_return(*, user, assessment: Assessment, comments: str) -> Assessment:
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not user.has_perm("pathways.sign_off_assessment"):
        raise PermissionDenied
    if current.status != Assessment.Status.SUBMITTED:
        raise ValidationError("Only a submitted assessment can be returned")
    if not comments.strip():
        raise ValidationError({"comments": "Say what needs to change"})
    current.status, current.return_comments, current.version = Assessment.Status.RETURNED, comments, current.version + 1
    current.save()
    return current


@transaction.atomic
def assessment_correct(*, user, assessment: Assessment) -> Assessment:
    """Corrections to a signed-off assessment are a new version (a draft) that supersedes it."""
    if assessment.status != Assessment.Status.SIGNED_OFF:
        raise ValidationError("Only a signed-off assessment is corrected by a new version")
    return Assessment.objects.create(kind=assessment.kind, client=assessment.client, carer=assessment.carer,
                                     carer_name=assessment.carer_name, episode=assessment.episode, author=user,
                                     answers=dict(assessment.answers), supersedes=assessment)
