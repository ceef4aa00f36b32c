import datetime

import factory

from clients.identifiers import nhs_number_check_digit
from clients.models import Allocation, Client


def synthetic_nhs_number(n: int) -> str:
    """A valid NHS number in the test range 999 000 0000 – 999 999 9999 (never issued)."""
    while True:
        first_nine = f"999{n % 1_000_000:06d}"
        check = nhs_number_check_digit(first_nine)
        if check is not None and len(set(first_nine + str(check))) > 1:
            return first_nine + str(check)
        n += 1


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    date_of_birth = datetime.date(1950, 3, 27)
    nhs_number = factory.Sequence(lambda n: synthetic_nhs_number(n * 7 + 11))
    postcode = "CT1 1AA"


def allocate(client, team, worker=None):
    return Allocation.objects.create(client=client, team=team, worker=worker)
