"""A signed-in page's own overhead (session, user, roles, reach, unread count) is a few queries, and
what is cached about a user's access is never stale after a change that could alter it."""

import pytest
from django.contrib.auth.models import Permission

from ascm.accounts import roles
from tests.factories import TeamFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def test_a_signed_in_pages_own_overhead_is_at_most_three_queries(client, manager, django_assert_max_num_queries):
    client.force_login(manager)
    client.get("/accessibility/")  # the first request reads and caches what the manager may do and reach
    with django_assert_max_num_queries(3):  # the user, the unread count, and at most a session touch
        assert client.get("/accessibility/").status_code == 200


def test_ending_a_membership_takes_away_its_permissions_at_the_next_request(client, canterbury_team):
    user = UserFactory()
    membership = member(user, canterbury_team, roles.TEAM_MANAGER)
    client.force_login(user)
    assert client.get("/mdt/caseload/").status_code == 200
    membership.ended_on = membership.started_on
    membership.save()
    assert client.get("/mdt/caseload/").status_code == 403


def test_a_permission_taken_from_a_role_is_gone_at_the_next_request(client, practitioner):
    client.force_login(practitioner)
    assert client.get("/people/").status_code == 200
    group = roles_group(roles.PRACTITIONER)
    group.permissions.remove(Permission.objects.get(codename="view_client", content_type__app_label="clients"))
    assert client.get("/people/").status_code == 403


def test_a_new_membership_gives_its_reach_at_the_next_request(client, practitioner, thanet):
    from tests.clients.factories import ClientFactory, allocate

    thanet_team = TeamFactory(locality=thanet)
    person = allocate(ClientFactory(locality=thanet), thanet_team).client
    client.force_login(practitioner)
    assert client.get(f"/people/{person.pk}/").status_code == 302  # out of reach: offered break-the-glass
    member(practitioner, thanet_team, roles.PRACTITIONER)
    assert client.get(f"/people/{person.pk}/").status_code == 200


def roles_group(slug):
    from ascm.accounts.models import Role

    return Role.objects.get(slug=slug).group


def test_with_redis_down_signed_in_pages_still_work_from_the_database(client, practitioner, settings):
    settings.CACHES = {"default": {"BACKEND": "ascm.core.cache.TolerantRedisCache", "LOCATION": "redis://127.0.0.1:1/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    client.force_login(practitioner)
    assert client.get("/people/").status_code == 200  # sessions, permissions and reach from the database
    health = client.get("/healthz").json()
    assert health["checks"]["cache"]["status"] == "error"


def test_the_redis_cache_keeps_one_client_for_its_pool_and_reads_the_generation_in_one_round_trip(practitioner):
    # Django's backend builds a redis.Redis for every command (about 0.3 ms each, ten times a page).
    import os

    from redis import Redis

    from ascm.accounts.access_cache import access_generation
    from ascm.core.cache import TolerantRedisCache

    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis"):
        pytest.skip("needs Redis")
    redis_cache = TolerantRedisCache(url, {})
    client = redis_cache._cache.get_client()
    assert client is redis_cache._cache.get_client()
    redis_cache.set("ascm-test:k", 1)
    assert redis_cache.get("ascm-test:k") == 1 and redis_cache._cache.get_client() is client

    from unittest import mock

    commands = []
    original = Redis.execute_command

    def counted(self, *args, **kwargs):
        commands.append(args[0])
        return original(self, *args, **kwargs)

    with mock.patch("ascm.accounts.access_cache.cache", redis_cache), mock.patch.object(Redis, "execute_command", counted):
        access_generation(practitioner)  # first ever: the numbers are made
        commands.clear()
        practitioner.__dict__.pop("_ascm_access")
        generation = access_generation(practitioner)
    assert commands == ["MGET"] and generation.count(".") == 1


def test_access_kept_in_the_process_is_read_afresh_after_a_change_or_an_emptied_cache(practitioner):
    from django.core.cache import cache

    from ascm.accounts.access_cache import access_changed, cached_for_user

    computed = []

    def read(value):
        def compute():
            computed.append(value)
            return value
        return compute

    def fresh_request():
        practitioner.__dict__.pop("_ascm_access", None)

    cache.clear()  # both generations begin at this first read
    fresh_request()
    assert cached_for_user(practitioner, "test-entry", read("first")) == "first"
    fresh_request()
    assert cached_for_user(practitioner, "test-entry", read("again")) == "first"  # this process's copy
    cache.clear()  # Redis restarted: the generation starts again, never at a number used before
    fresh_request()
    assert cached_for_user(practitioner, "test-entry", read("after a restart")) == "after a restart"
    access_changed()
    fresh_request()
    assert cached_for_user(practitioner, "test-entry", read("after a change")) == "after a change"
    assert computed == ["first", "after a restart", "after a change"]
