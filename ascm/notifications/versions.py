"""Inbox versions, so the Tasks badge on every page is not a count query on every page.

The count is cached per user under the versions of everything that addresses them: themselves,
each of their teams, each of their localities, and the whole service (the nightly archive), plus
their access generation (a membership or role change moves who is told what). Whatever changes an
inbox moves the versions it touches on, at once and again after its commit (so a request that read
the old rows between the two cannot leave a stale count behind), and the next page counts afresh.
A version that is missing starts at the clock, so one evicted and made again never matches a count
cached under its old value. With no cache every read misses and the count is read each time."""

import hashlib
import time

from django.core.cache import cache
from django.db import transaction

_PREFIX = "ascm:inbox"
_TTL = 600  # a backstop: the versions, not the expiry, keep the count right


def _key(kind: str, pk) -> str:
    return f"{_PREFIX}:{kind}:{pk}"


def _versions(keys: list[str]) -> list:
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            start = time.time_ns()
            found[key] = start if cache.add(key, start, None) else (cache.get(key) or start)
    return [found[key] for key in keys]


def inbox_key(user, *, generation: str, teams, localities) -> str:
    """The cache key of this user's unread count as things stand (one cache round trip)."""
    keys = ([_key("all", 0), _key("user", user.pk)] + [_key("team", pk) for pk in sorted(teams)]
            + [_key("locality", pk) for pk in sorted(localities)])
    digest = hashlib.blake2b(repr((generation, _versions(keys))).encode(), digest_size=12).hexdigest()
    return f"{_PREFIX}:count:{user.pk}:{digest}"


def cached_count(key: str, compute) -> int:
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, _TTL)
    return value


def _bump(keys: list[str]) -> None:
    for key in keys:
        try:
            if not cache.incr(key):  # the tolerant Redis cache answers 0 when Redis is down
                continue
        except ValueError:  # missing: the next read starts it afresh
            cache.delete(key)


def inboxes_changed(*, users=(), teams=(), localities=(), everyone: bool = False) -> None:
    """Some inboxes changed: now, and once more when the transaction commits."""
    keys = ([_key("user", pk) for pk in set(users) if pk] + [_key("team", pk) for pk in set(teams) if pk]
            + [_key("locality", pk) for pk in set(localities) if pk] + ([_key("all", 0)] if everyone else []))
    if keys:
        _bump(keys)
        transaction.on_commit(lambda: _bump(keys))
