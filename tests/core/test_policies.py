"""Access policies: every URL declares one; policies answer by permission and reach; one person can
be given a right to one record (django-guardian); break-the-glass keeps its expiry."""

import datetime

import pytest
from django.http import Http404
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from ascm.core.policies import PUBLIC, SIGNED_IN, view_policy
from clients.models import BreakGlassAccess
from clients.permissions import PersonRecordPolicy, case_note_policy, client_policy
from clients.services import note_add


def _walk(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_url_declares_its_policy():
    """Django's admin checks its own model permissions (staff only); everything else says which
    policy guards it, so a new page cannot ship unguarded."""
    missing, seen = [], 0
    for route, callback in _walk(get_resolver()):
        if route.startswith("admin/"):
            continue
        seen += 1
        if view_policy(callback) is None:
            missing.append(f"{route} -> {callback.__module__}.{getattr(callback, '__name__', callback)}")
    assert seen > 100
    assert not missing, "These URLs declare no access policy:\n" + "\n".join(missing)


def test_public_and_signed_in_pages_are_few_and_named():
    public = sorted(route for route, cb in _walk(get_resolver())
                    if not route.startswith("admin/") and (view_policy(cb) or (None,))[0] is PUBLIC)
    assert public == ["accessibility/", "api/docs/", "api/schema/", "healthz", "sign-in/", "sign-out/", "signed-out/"]
    signed_in = {route for route, cb in _walk(get_resolver()) if (view_policy(cb) or (None,))[0] is SIGNED_IN}
    assert "" in signed_in and "people/" not in signed_in


@pytest.mark.django_db
def test_a_policy_answers_by_permission_and_reach(practitioner, thanet_practitioner, person):
    assert client_policy.user_may(practitioner, "view") and client_policy.user_may(practitioner, "add")
    assert not client_policy.user_may(practitioner, "merge")
    assert client_policy.instances(practitioner).filter(pk=person.pk).exists()
    assert not client_policy.instances(thanet_practitioner).filter(pk=person.pk).exists()
    with pytest.raises(Http404):
        client_policy.get(thanet_practitioner, person.pk)


@pytest.mark.django_db
def test_break_the_glass_opens_one_record_until_it_expires(thanet_practitioner, person):
    access = BreakGlassAccess.objects.create(user=thanet_practitioner, client=person, reason="Urgent call from A&E",
                                             expires_at=timezone.now() + datetime.timedelta(hours=1))
    assert client_policy.get(thanet_practitioner, person.pk) == person
    assert not client_policy.instances(thanet_practitioner).filter(pk=person.pk).exists()  # not in lists
    access.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    access.save()
    with pytest.raises(Http404):
        client_policy.get(thanet_practitioner, person.pk)


class _NamedNotes(PersonRecordPolicy):
    """As the safeguarding enquiries will be: a right given to one person for one record."""

    model = case_note_policy.model
    object_grants = True


@pytest.mark.django_db
def test_one_person_can_be_given_a_right_to_one_record(practitioner, thanet_practitioner, person):
    policy = _NamedNotes("named notes")
    note = note_add(user=practitioner, client=person, note_type="phone_call", text="Spoke to the person",
                    occurred_at=timezone.now())
    other = note_add(user=practitioner, client=person, note_type="phone_call", text="Second call",
                     occurred_at=timezone.now())
    assert not policy.instances(thanet_practitioner).exists()
    policy.grant(thanet_practitioner, "view", note)
    assert list(policy.instances(thanet_practitioner)) == [note]  # that one, not the other
    assert policy.get(thanet_practitioner, note.pk) == note
    with pytest.raises(Http404):
        policy.get(thanet_practitioner, other.pk)
    policy.revoke(thanet_practitioner, "view", note)
    assert not policy.instances(thanet_practitioner).exists()
    with pytest.raises(ValueError):
        client_policy.grant(thanet_practitioner, "view", person)  # only policies that allow it


@pytest.mark.django_db
def test_a_new_role_that_may_sign_off_is_asked_to(practitioner, person, canterbury_team):
    """Roles are data: an administrator's "senior practitioner" with sign-off is asked and reminded."""
    from django.contrib.auth.models import Group, Permission

    from ascm.accounts.models import Role, User
    from ascm.organisation.models import TeamMembership
    from pathways.care.permissions import assessment_policy

    group = Group.objects.create(name="Senior practitioner")
    group.permissions.add(Permission.objects.get(codename="sign_off_assessment"))
    role = Role.objects.create(slug="senior", group=group, is_team_role=True, record_scope="team")
    senior = User.objects.create(username="senior")
    TeamMembership.objects.create(team=canterbury_team, user=senior, role=role)
    assessment = type("A", (), {"client_id": person.pk})()
    assert senior in assessment_policy.signers_for(assessment, exclude=practitioner)
    assert practitioner not in assessment_policy.signers_for(assessment, exclude=practitioner)
