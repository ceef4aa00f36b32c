"""The DoLS team's fixtures: a Canterbury safeguarding lead (a signatory) and a care home there."""

import pytest

from ascm.accounts import roles
from tests.factories import TeamFactory, UserFactory, member
from tests.providers.factories import CareSettingFactory


@pytest.fixture
def lead(canterbury):
    team = TeamFactory(name="Canterbury Safeguarding (dols)", team_type="safeguarding", locality=canterbury)
    return member(UserFactory(username="dols-lead"), team, roles.SAFEGUARDING_LEAD).user


@pytest.fixture
def home(canterbury):
    return CareSettingFactory(locality=canterbury)
