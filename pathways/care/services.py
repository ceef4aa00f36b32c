"""Writes for the front door: taking referrals, routing, triage outcomes and allocation."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ascm.core.dates import date_check
from ascm.organisation.models import Team, TeamMembership
from clients.models import Client
from pathways.referrals.models import Referral
from pathways.referrals.services import referral_close

# --- Pathway episodes -------------------------------------------------------------------------

LIFESPAN_0_25_MAX_AGE = 25


def _planned_end(pathway: str, client: Client, started_on: datetime.date) -> datetime.date | None:
    from pathways.referrals.models import Pathway

    from .models import PathwaySetting

    setting = PathwaySetting.objects.filter(pathway=pathway).first()
    if setting is not None and setting.planned_length_weeks:
        return started_on + datetime.timedelta(weeks=setting.planned_length_weeks)
    if setting is None and pathway == Pathway.PROMOTING_INDEPENDENCE:  # not set up yet: the default
        return started_on + datetime.timedelta(weeks=PathwaySetting.ENABLEMENT_WEEKS_DEFAULT)
    if pathway == Pathway.LIFESPAN_0_25 and client.date_of_birth:
        born = client.date_of_birth
        try:
            birthday_26 = born.replace(year=born.year + 26)
        except ValueError:  # born on 29 February
            birthday_26 = born.replace(year=born.year + 26, day=28)
        return birthday_26 - datetime.timedelta(days=1)  # handed over to adult services by the 26th birthday
    return None


def episode_references_check(*, user, client: Client, team: Team, worker=None, referral: Referral | None = None) -> None:
    """What a user asks an episode to point at must be theirs to point at: a team they may look into
    (404 otherwise: they must not learn it exists), a worker of that team, a referral of this person
    that they can see (another locality's referral would otherwise be closed by the start)."""
    from django.http import Http404

    from ascm.organisation.selectors import teams_for_user
    from pathways.referrals.selectors import referrals_for_user

    if not teams_for_user(user=user).filter(pk=team.pk).exists():
        raise Http404("No such team")
    if worker is not None and not TeamMembership.objects.filter(team=team, user=worker, ended_on__isnull=True).exists():
        raise ValidationError({"worker": f"Choose a member of {team}"})
    if referral is not None:
        if not referrals_for_user(user=user).filter(pk=referral.pk).exists():
            raise Http404("No such referral")
        if referral.client_id != client.pk:
            raise ValidationError({"referral": "Choose one of this person's referrals"})


@transaction.atomic
def episode_start(*, user, client: Client, pathway: str, team: Team, worker=None, referral: Referral | None = None,
                  started_on: datetime.date | None = None, previous=None):
    """Start a pathway episode. Lifespan 0–25 needs the person to be 25 or under at the start; an
    episode started from a referral closes that referral's triage."""
    from pathways.referrals.models import Pathway

    from .models import Episode

    started_on = started_on or timezone.localdate()
    date_check(started_on, field="started_on", label="The start date")
    if pathway not in Pathway.values:
        raise ValidationError({"pathway": "Choose a pathway"})
    if pathway == Pathway.LIFESPAN_0_25:
        age = client.age(started_on)
        if age is None:
            raise ValidationError({"pathway": "Lifespan 0–25 needs the person's date of birth"})
        if age > LIFESPAN_0_25_MAX_AGE:
            raise ValidationError({"pathway": f"Lifespan 0–25 is for people aged 25 or under; {client} is {age}"})
    episode = Episode(client=client, pathway=pathway, team=team, worker=worker, referral=referral,
                      started_on=started_on, planned_end_on=_planned_end(pathway, client, started_on), previous=previous)
    episode.full_clean()
    episode.save()
    if referral is not None and referral.status != Referral.Status.CLOSED:
        referral_close(user=user, referral=referral, outcome=Referral.Outcome.PATHWAY_STARTED,
                       detail=f"{episode.get_pathway_display()} episode started")
    return episode


@transaction.atomic
def episode_close(*, user, episode, outcome: str, ended_on: datetime.date | None = None):
    """Close an episode with an outcome that suits its pathway (an explicit state machine: anything
    else is refused). An outcome that hands on starts the next pathway's episode with the same team,
    worker and referral history. Returns (closed episode, next episode or None)."""
    from .episodes import TRANSITIONS
    from .models import Episode

    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if episode.ended_on is not None:
        raise ValidationError("This episode is already closed")
    if not outcome:
        raise ValidationError({"outcome": "Choose the outcome of the episode"})
    if outcome not in TRANSITIONS[episode.pathway]:
        raise ValidationError({"outcome": f"‘{outcome}’ is not an outcome of {episode.get_pathway_display()}"})
    ended_on = ended_on or timezone.localdate()
    date_check(ended_on, field="ended_on", label="The end date")
    if ended_on < episode.started_on:
        raise ValidationError({"ended_on": "The end date must be on or after the start date"})
    episode.outcome, episode.ended_on = outcome, ended_on
    episode.save(update_fields=["outcome", "ended_on", "updated_at"])
    following = TRANSITIONS[episode.pathway][outcome][1]
    next_episode = None
    if following:
        next_episode = episode_start(user=user, client=episode.client, pathway=following, team=episode.team,
                                     worker=episode.worker, started_on=ended_on, previous=episode)
    return episode, next_episode


def episodes_move_worker(*, team, client_ids, to_worker) -> int:
    """The people's open episodes with this team follow them to their new worker (a reallocation);
    saved one by one so the audit log records each change."""
    from .models import Episode

    moved = 0
    for episode in Episode.objects.filter(team=team, client_id__in=client_ids, ended_on__isnull=True):
        if episode.worker_id != to_worker.pk:
            episode.worker = to_worker
            episode.save(update_fields=["worker", "updated_at"])
            moved += 1
    return moved


def care_merge(user, survivor, duplicate) -> dict[str, int]:
    """Care's rows move with a merge (clients' merge_handlers extension point). Two open episodes on
    the same pathway stop the merge with a clear message."""
    from clients.services import client_merge_move_rows

    from .models import Assessment, Episode, SupportPlan

    moved = {}
    for model, field in ((Episode, "client"), (Assessment, "client"), (Assessment, "carer"), (SupportPlan, "client")):
        moved.update(client_merge_move_rows(user=user, model=model, field=field, survivor=survivor, duplicate=duplicate))
    return moved
