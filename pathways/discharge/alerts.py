"""DToC alerts: each rule's threshold reached by a delayed stay raises one alert (per stay, rule and
DRD) and tells the rule's recipients — the allocated worker, the team, the team's managers, or the
locality's — in their task inbox, once; an alert closes when the person leaves or the DRD moves.
Runs every morning over the county, and for one stay after each change; batched, so its queries and
memory are bounded by the batch, not the county. Safe to run twice: nothing is raised or sent twice."""

import datetime

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from .models import AlertRule, Discharge, DischargeAlert

ESCALATE = "discharge.escalate_discharge"


def rules_in_force(today: datetime.date) -> list[AlertRule]:
    return list(AlertRule.objects.filter(effective_from__lte=today)
                .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=today)).order_by("delayed_days", "pk"))


def _applies(rule: AlertRule, discharge: Discharge, days: int) -> bool:
    return (days >= rule.delayed_days and (rule.pathway is None or rule.pathway == discharge.pathway)
            and (not rule.attribution or rule.attribution == discharge.attribution))


def discharge_alerts(*, today: datetime.date | None = None, discharge_ids=None, batch: int = 1000) -> int:
    """Raise what is due and close what is over; returns how many alerts were newly raised."""
    from django.contrib.auth.models import Permission

    from ascm.notifications.models import Notification
    from ascm.notifications.services import notifications_send
    from clients.models import Allocation

    today = today or timezone.localdate()
    now = timezone.now()
    rules = rules_in_force(today)
    escalate = Permission.objects.get(content_type__app_label="discharge", codename="escalate_discharge")
    stays = Discharge.objects.all() if discharge_ids is None else Discharge.objects.filter(pk__in=list(discharge_ids))
    # Close: the person has left, or the DRD has moved since the alert was raised.
    open_alerts = DischargeAlert.objects.filter(closed_at__isnull=True, discharge__in=stays)
    open_alerts.filter(discharge__status=Discharge.Status.DISCHARGED).update(closed_at=now, close_reason="Discharged")
    open_alerts.filter(Q(discharge__ready_on__isnull=True) | ~Q(ready_on=F("discharge__ready_on"))).update(
        closed_at=now, close_reason="The discharge ready date changed")
    delayed = (stays.filter(status=Discharge.Status.IN_HOSPITAL, ready_on__lt=today)
               .select_related("client").only("pk", "reference", "client__given_name", "client__family_name",
                                               "client__preferred_name", "team_id", "locality_id", "ready_on",
                                               "discharged_on", "pathway", "attribution").order_by("pk"))
    raised = 0
    last = 0
    while True:
        chunk = list(delayed.filter(pk__gt=last)[:batch])
        if not chunk:
            break
        last = chunk[-1].pk
        wanted = [(d, rule) for d in chunk for rule in rules if _applies(rule, d, d.delayed_days(today))]
        have = set(DischargeAlert.objects.filter(discharge__in=[d.pk for d in chunk])
                   .values_list("discharge_id", "rule_id", "ready_on"))
        new = [DischargeAlert(discharge=d, rule=rule, ready_on=d.ready_on, delayed_days=d.delayed_days(today))
               for d, rule in wanted if (d.pk, rule.pk, d.ready_on) not in have]
        workers = {}
        for client_id, worker_id in (Allocation.objects.filter(client_id__in={alert.discharge.client_id for alert in new},
                                                               ended_on__isnull=True, worker__isnull=False)
                                     .values_list("client_id", "worker_id")):
            workers.setdefault(client_id, set()).add(worker_id)
        rows = []
        for alert in new:
            d, rule = alert.discharge, alert.rule
            title = (f"{d.client}: {alert.delayed_days} delayed day{'s' if alert.delayed_days != 1 else ''} in hospital "
                     f"({d.reference}, ready since {d.ready_on:%-d %b})")[:200]
            base = {"kind": "dtoc_alert", "key": alert.key(), "title": title, "url": reverse("discharge:record", args=[d.pk])}
            if rule.recipient == AlertRule.Recipient.WORKER:
                rows += [Notification(recipient_id=w, **base) for w in workers.get(d.client_id, ())]
            elif rule.recipient == AlertRule.Recipient.TEAM and d.team_id:
                rows.append(Notification(team_id=d.team_id, **base))
            elif rule.recipient == AlertRule.Recipient.TEAM_MANAGER and d.team_id:
                rows.append(Notification(team_id=d.team_id, permission=escalate, **base))
            elif rule.recipient == AlertRule.Recipient.LOCALITY:
                rows.append(Notification(locality_id=d.locality_id, permission=escalate, **base))
        with transaction.atomic():
            DischargeAlert.objects.bulk_create(new, ignore_conflicts=True)  # two runs racing: the constraint decides
            notifications_send(rows)
        raised += len(new)
    stays.filter(alerts_due=True).update(alerts_due=False)
    return raised


def discharge_alerts_sweep(*, batch: int = 1000) -> int:
    """Stays changed while the broker was down (their task never ran): check them now."""
    due = list(Discharge.objects.filter(alerts_due=True).values_list("pk", flat=True)[:batch * 10])
    return discharge_alerts(discharge_ids=due, batch=batch) if due else 0


def discharge_alert_digest(*, batch: int = 2000) -> int:
    """One email per person with the alerts raised for them since the last digest (never one per
    patient): the worker, the team's members, or the holders of the escalation permission in the team
    or the locality. Each alert is emailed once (emailed_at). Returns the emails sent."""
    from django.conf import settings
    from django.core.mail import EmailMessage, get_connection

    from ascm.accounts.models import User
    from ascm.organisation.models import Team
    from ascm.organisation.selectors import memberships_holding
    from clients.models import Allocation

    alerts = list(DischargeAlert.objects.filter(emailed_at__isnull=True, closed_at__isnull=True)
                  .select_related("rule", "discharge__client", "discharge__hospital").order_by("pk")[:batch])
    if not alerts:
        return 0
    stays = {a.discharge for a in alerts}
    workers = {}
    for client_id, worker_id in Allocation.objects.filter(client_id__in={d.client_id for d in stays}, ended_on__isnull=True,
                                                          worker__isnull=False).values_list("client_id", "worker_id"):
        workers.setdefault(client_id, set()).add(worker_id)
    team_ids = {d.team_id for d in stays if d.team_id}
    locality_ids = {d.locality_id for d in stays}
    members = {}
    for team_id, user_id in (Team.objects.filter(pk__in=team_ids, memberships__ended_on__isnull=True)
                             .values_list("pk", "memberships__user_id")):
        members.setdefault(team_id, set()).add(user_id)
    holders_team, holders_locality = {}, {}
    locality_teams = Team.objects.filter(locality_id__in=locality_ids).values("pk")
    for team_id, locality_id, user_id in (memberships_holding(ESCALATE).filter(
            Q(team_id__in=team_ids) | Q(team__in=locality_teams)).values_list("team_id", "team__locality_id", "user_id")):
        holders_team.setdefault(team_id, set()).add(user_id)
        holders_locality.setdefault(locality_id, set()).add(user_id)
    to = {}
    for alert in alerts:
        d, recipient = alert.discharge, alert.rule.recipient
        users = (workers.get(d.client_id, set()) if recipient == AlertRule.Recipient.WORKER
                 else members.get(d.team_id, set()) if recipient == AlertRule.Recipient.TEAM
                 else holders_team.get(d.team_id, set()) if recipient == AlertRule.Recipient.TEAM_MANAGER
                 else holders_locality.get(d.locality_id, set()))
        for user_id in users:
            to.setdefault(user_id, {})[d.pk] = (d, alert.delayed_days)
    people = {u.pk: u for u in User.objects.filter(pk__in=list(to), is_active=True).exclude(email="")}
    site = getattr(settings, "ASCM_SITE_URL", "")
    messages = []
    for user_id, delayed in to.items():
        user = people.get(user_id)
        if user is None:
            continue
        lines = [f"- {d.client} ({d.reference}), {d.hospital.name}: {days} delayed day{'s' if days != 1 else ''} — "
                 f"{site}{reverse('discharge:record', args=[d.pk])}"
                 for d, days in sorted(delayed.values(), key=lambda item: -item[1])]
        body = ("People in hospital who are ready to leave and are still waiting, whose delay has reached an alert "
                "threshold since your last digest:\n\n" + "\n".join(lines) +
                "\n\nThe patient tracking list has everyone: " + f"{site}{reverse('discharge:tracking')}\n")
        messages.append(EmailMessage(subject=f"Delayed discharges: {len(lines)} to look at", body=body,
                                     to=[user.email]))
    with transaction.atomic():
        DischargeAlert.objects.filter(pk__in=[a.pk for a in alerts]).update(emailed_at=timezone.now())
        sent = get_connection().send_messages(messages) if messages else 0
    return sent or 0
