"""Demo safeguarding work for `make run`: one concern waiting for the s42 decision in Canterbury, and
a small DoLS backlog there — in breach, low priority and months old, just arrived, and an
authorisation ending within 28 days (so a renewal may be requested)."""

import datetime

from django.utils import timezone

from .models import SafeguardingConcern
from .services import concern_raise

DOLS_PEOPLE = [  # synthetic: (legacy ID, given, family, born)
    ("DEMO010", "Edith", "Marlowe", datetime.date(1932, 3, 14)),
    ("DEMO011", "Stanley", "Okonkwo", datetime.date(1940, 9, 2)),
    ("DEMO012", "Maud", "Thistlewood", datetime.date(1929, 12, 24)),
]


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
    demo_dols(users)


def demo_dols(users) -> None:
    from ascm.providers.models import CareSetting
    from clients.demo import demo_person
    from clients.models import Client

    from . import dols
    from .models_dols import LibertyApplication, LibertyAssessment

    lead = users.get("safeguarding")
    home = CareSetting.objects.filter(name="Orchard House").first()
    hospital = CareSetting.objects.filter(name="Stour Valley Hospital").first()
    if lead is None or home is None or hospital is None or LibertyApplication.objects.exists():
        return
    today = timezone.localdate()
    people = [demo_person(10 + n, *row, home.locality) for n, row in enumerate(DOLS_PEOPLE)]
    arthur = Client.objects.get(legacy_id="DEMO002")

    def apply(person, setting, days_ago, priority=""):
        application = dols.application_receive(
            user=lead, client=person, managing_authority=setting, kind="standard",
            received_on=today - datetime.timedelta(days=days_ago),
            care_arrangements="Door keypad; staff go out with them; sensor mat at night (synthetic)")
        if priority:
            dols.application_screen(user=lead, application=application, is_deprivation=True,
                                    reasoning="Under continuous supervision and control and not free to leave",
                                    priority=priority, priority_reason="ADASS screening tool (synthetic)")
        return application

    apply(arthur, home, 30, "high")  # in breach
    apply(people[0], home, 95, "low")  # months old, still waiting
    apply(people[1], hospital, 2)  # just arrived, not yet screened
    ending = apply(people[2], home, 200, "medium")
    for kind, _ in LibertyAssessment.Kind.choices:
        dols.assessment_record(user=lead, application=ending, kind=kind, assessor_name="Sam Assessor (partner BIA)",
                               assessor_role="Best interests assessor" if kind == "best_interests" else "",
                               completed_on=ending.received_on + datetime.timedelta(days=14), outcome="met",
                               recommended_months=12 if kind == "best_interests" else None)
    start = ending.received_on + datetime.timedelta(days=20)
    dols.application_decide(user=lead, application=ending, granted=True, starts_on=start,
                            ends_on=today + datetime.timedelta(days=20), decided_on=start,
                            conditions="Supported visits to her sister each week", representative_name="Her nephew",
                            representative_kind="unpaid")
