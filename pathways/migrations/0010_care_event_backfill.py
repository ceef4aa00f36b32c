"""Backfill the care-event ledger from the records that existed before it: one Request per referral,
one Assessment per assessment (a correction is the event of the version it corrects), one Review per
completed review. In batches (a county has hundreds of thousands of referrals). Frozen: the mapping
is copied here, as the services wrote it when this migration was made."""

from django.db import migrations
from django.utils import timezone

BATCH = 2000
PREFIX = {"request": "REQ", "assessment": "ASM", "review": "REV"}


def _local_date(value):
    return timezone.localtime(value).date() if value else None


def _write(CareEvent, events):
    CareEvent.objects.bulk_create(events, ignore_conflicts=True)  # already there: left as it is


def forward(apps, schema_editor):
    CareEvent = apps.get_model("clients", "CareEvent")
    Referral = apps.get_model("pathways", "Referral")
    Assessment = apps.get_model("pathways", "Assessment")
    Review = apps.get_model("pathways", "Review")

    last = 0
    while True:
        rows = list(Referral.objects.filter(pk__gt=last).order_by("pk").values(
            "pk", "client_id", "received_at", "closed_at", "outcome", "hospital_discharge", "source")[:BATCH])
        if not rows:
            break
        _write(CareEvent, [CareEvent(
            reference=f"{PREFIX['request']}{r['pk']:08d}", client_id=r["client_id"], event_type="request",
            source_model="pathways.referral", source_id=r["pk"], start_date=_local_date(r["received_at"]),
            end_date=_local_date(r["closed_at"]), outcome=r["outcome"] or "",
            route_of_access="discharge_from_hospital" if r["hospital_discharge"] else "community_other",
            details={"source": r["source"]}) for r in rows])
        last = rows[-1]["pk"]

    last = 0
    while True:
        rows = list(Assessment.objects.filter(pk__gt=last, supersedes__isnull=True).order_by("pk").values(
            "pk", "client_id", "kind", "created_at", "status", "signed_off_at", "determination")[:BATCH])
        if not rows:
            break
        _write(CareEvent, [CareEvent(
            reference=f"{PREFIX['assessment']}{a['pk']:08d}", client_id=a["client_id"], event_type="assessment",
            source_model="pathways.assessment", source_id=a["pk"], start_date=_local_date(a["created_at"]),
            end_date=_local_date(a["signed_off_at"]) if a["status"] == "signed_off" else None,
            outcome=("eligible" if (a["determination"] or {}).get("eligible") else "not_eligible")
            if a["status"] == "signed_off" else "",
            assessment_type="long_term", details={"kind": a["kind"]}) for a in rows])
        last = rows[-1]["pk"]

    last = 0
    while True:
        rows = list(Review.objects.filter(pk__gt=last, completed_on__isnull=False).order_by("pk").values(
            "pk", "plan__client_id", "completed_on", "outcome")[:BATCH])
        if not rows:
            break
        _write(CareEvent, [CareEvent(
            reference=f"{PREFIX['review']}{r['pk']:08d}", client_id=r["plan__client_id"], event_type="review",
            source_model="pathways.review", source_id=r["pk"], start_date=r["completed_on"],
            end_date=r["completed_on"], outcome=r["outcome"] or "") for r in rows])
        last = rows[-1]["pk"]


class Migration(migrations.Migration):
    dependencies = [("pathways", "0009_assessment_last_section"), ("clients", "0006_care_event_ledger")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
