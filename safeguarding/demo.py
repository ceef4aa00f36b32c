"""Demo safeguarding work for `make run`: one concern waiting for the s42 decision in Canterbury."""

import datetime

from django.utils import timezone

from .models import SafeguardingConcern
from .services import concern_raise


def demo_safeguarding(users) -> None:
    from clients.models import Client

    person = Client.objects.filter(legacy_id="DEMO002").first()
    if person is None or SafeguardingConcern.objects.filter(adults__client=person).exists():
        return
    concern_raise(user=users.get("practitioner"), clients=[person], source=SafeguardingConcern.Source.RECORD,
                  raised_by_name="Pat Practitioner", raised_by_organisation="Canterbury Promoting Independence",
                  what_happened="A neighbour says someone has been taking money from his wallet on visits (synthetic).",
                  immediate_action="Agreed with him that his bank card is kept by his daughter for now.",
                  consent=SafeguardingConcern.Consent.GIVEN,
                  received_at=timezone.now() - datetime.timedelta(days=5))
