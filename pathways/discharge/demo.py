"""Demo hospital discharges for `make run`: two Canterbury people in Stour Valley Hospital — one
delayed five days waiting for care at home (pathway 1), one admitted with no ready date yet — and
the council's starting alert rules; the morning alerts are run once so the inboxes show them."""

import datetime

from django.utils import timezone


def demo_discharges(users) -> None:
    from ascm.providers.models import CareSetting, Ward
    from clients.models import Client

    from . import services
    from .alerts import discharge_alerts
    from .defaults import alert_rules_ensure
    from .models import Discharge

    alert_rules_ensure()
    hospital = CareSetting.objects.filter(name="Stour Valley Hospital").first()
    pat = users.get("practitioner")
    graham = Client.objects.filter(legacy_id="DEMO004").first()
    priya = Client.objects.filter(legacy_id="DEMO003").first()
    if hospital is None or pat is None or graham is None or priya is None or Discharge.objects.exists():
        return
    today = timezone.localdate()
    ward = Ward.objects.filter(setting=hospital, name="Ward 7").first()
    delayed = services.discharge_start(user=pat, client=graham, hospital=hospital, ward=ward,
                                       admitted_on=today - datetime.timedelta(days=16),
                                       expected_on=today - datetime.timedelta(days=6))
    services.ready_date_set(user=pat, discharge=delayed, ready_on=today - datetime.timedelta(days=5),
                            reason="Medically optimised at the ward round (synthetic)")
    services.pathway_set(user=pat, discharge=delayed, pathway=1, reason="Home with support")
    services.delay_record(user=pat, discharge=delayed, reason="home_care", code="E", attribution="social_care",
                          starts_on=today - datetime.timedelta(days=5), note="Waiting for a home care start")
    services.plan_update(user=pat, discharge=delayed, planned_destination="home_enablement",
                         next_action="Confirm the enablement start date", next_action_on=today)
    services.discharge_start(user=pat, client=priya, hospital=hospital, ward=Ward.objects.filter(
        setting=hospital, name="Harbour Ward").first(), admitted_on=today - datetime.timedelta(days=3))
    discharge_alerts()
