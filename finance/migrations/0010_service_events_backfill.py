"""Backfill the care-event ledger's Services from the packages approved before finance wrote them: one
Service per line of an approved, active or ended package (open unless ended). In batches. Frozen:
the mapping is copied here, as finance.services.package_ledger wrote it when this was made."""

import datetime

from django.db import migrations

BATCH = 2000
UNITS = {"home_care": "hour", "day_service": "day", "residential": "week", "nursing": "week", "respite": "night",
         "supported_living": "hour", "shared_lives": "week", "equipment": "item", "direct_payment": "hour"}


def forward(apps, schema_editor):
    CareEvent = apps.get_model("clients", "CareEvent")
    PackageLine = apps.get_model("finance", "PackageLine")
    today = datetime.date.today()
    last = 0
    while True:
        lines = list(PackageLine.objects.filter(pk__gt=last, package__status__in=("approved", "active", "ended"))
                     .select_related("package").order_by("pk")[:BATCH])
        if not lines:
            break
        events = []
        for line in lines:
            package = line.package
            ends_on = line.ends_on or package.ends_on
            ended = package.status == "ended" or (ends_on is not None and ends_on < today)
            events.append(CareEvent(
                reference=f"SRV{line.pk:08d}", client_id=package.client_id, event_type="service",
                source_model="finance.packageline", source_id=line.pk, start_date=max(line.starts_on, package.starts_on),
                end_date=ends_on if ended else None, outcome="ended" if package.status == "ended" else "continuing",
                details={"service_type": line.service_type, "reablement": line.reablement,
                         "delivery_mechanism": package.delivery_mechanism, "package": package.reference,
                         "unit": UNITS[line.service_type],
                         "unit_cost": None if line.unit_cost is None else f"{line.unit_cost}",
                         "units_per_week": f"{line.units_per_week}"}))
        CareEvent.objects.bulk_create(events, ignore_conflicts=True)
        last = lines[-1].pk


class Migration(migrations.Migration):
    dependencies = [("finance", "0009_client_payments_and_direct_payment_instalments"),
                    ("clients", "0007_accommodation_and_employment")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
