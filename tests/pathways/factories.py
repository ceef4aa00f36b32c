"""State for the front door and care tests. Factories write rows directly: use the services when
the behaviour under test is the service's (routing, sign-off, the ledger)."""

import factory

from pathways.care.models import Assessment, Episode, SupportPlan
from pathways.referrals.models import Referral
from tests.clients.factories import ClientFactory
from tests.factories import LocalityFactory, TeamFactory, UserFactory


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    client = factory.SubFactory(ClientFactory)
    locality = factory.SubFactory(LocalityFactory)
    source = "gp"
    referrer_name = "Dr A Synthetic"
    needs_in_persons_words = "I need help getting up in the morning"


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode

    client = factory.SubFactory(ClientFactory)
    pathway = "promoting_independence"
    team = factory.SubFactory(TeamFactory)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    client = factory.SubFactory(ClientFactory)
    kind = Assessment.Kind.NEEDS
    author = factory.SubFactory(UserFactory)


class SupportPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportPlan

    client = factory.SubFactory(ClientFactory)
    author = factory.SubFactory(UserFactory)
    outcomes = factory.LazyFunction(lambda: [{"outcome": "Cook a meal", "met_by": "service", "how": "Visits"}])
