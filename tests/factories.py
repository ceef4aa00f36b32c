"""Factories for the foundation apps (one place; later apps keep theirs beside their tests)."""

import factory
from django.contrib.auth.hashers import make_password

from ascm.accounts.models import Role, User
from ascm.organisation.models import Area, GPPractice, Hub, Locality, Team, TeamMembership, TeamType

PASSWORD = "correct-horse-battery"
_HASHED = make_password(PASSWORD)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Area {n}")


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Locality {n}")
    area = factory.SubFactory(AreaFactory)


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub

    name = factory.Sequence(lambda n: f"Hub {n}")
    locality = factory.SubFactory(LocalityFactory)
    population = 40_000


class GPPracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GPPractice

    ods_code = factory.Sequence(lambda n: f"Z{n:05d}")
    name = factory.Sequence(lambda n: f"Synthetic Surgery {n}")
    locality = factory.SubFactory(LocalityFactory)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    team_type = TeamType.PROMOTING_INDEPENDENCE
    locality = factory.SubFactory(LocalityFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = "Synthetic"
    email = factory.LazyAttribute(lambda u: f"{u.username}@ascm.invalid")
    password = _HASHED


def role(slug: str) -> Role:
    return Role.objects.select_related("group").get(slug=slug)


def member(user: User, team: Team, role_slug: str) -> TeamMembership:
    return TeamMembership.objects.create(user=user, team=team, role=role(role_slug))


def with_role(user: User, role_slug: str) -> User:
    user.groups.add(role(role_slug).group)
    from ascm.accounts.services import user_sync_staff_status

    return user_sync_staff_status(user=user)
