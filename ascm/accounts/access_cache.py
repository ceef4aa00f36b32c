"""What a user may do and reach, cached across requests: their permissions, roles, teams and
localities are read on every page, and change rarely. Any change that could alter them (a role's
permissions, a membership, a user's groups or status) moves a generation number on, so the next
request reads them afresh; the entries also expire after a few minutes as a backstop."""

import time

from django.core.cache import cache

_GLOBAL = "ascm:access-generation"
_TTL = 300
# Entries are keyed by the generation, so a copy kept in this process is never stale: once the
# generation moves on, the old key is never asked for again. It saves three cache round trips a page.
_LOCAL: dict[str, tuple[float, object]] = {}
_LOCAL_MAX = 10_000


def _generation(key: str) -> int:
    value = cache.get(key)
    if value is None:
        # A generation begins at the clock, never at 1: after the cache is emptied (Redis restarted),
        # no process may find its old copies under a number used before.
        start = time.time_ns() // 1000
        cache.add(key, start, None)
        value = cache.get(key) or start
    return value


def access_generation(user) -> str:
    """Where the user's reach stands: moves on with any change that could alter it (read once a
    request, both numbers in one round trip to the cache)."""
    memo = user.__dict__.setdefault("_ascm_access", {})
    if "generation" not in memo:
        keys = (_GLOBAL, f"{_GLOBAL}:user:{user.pk}")
        found = cache.get_many(keys)
        memo["generation"] = ".".join(str(found[key]) if key in found else str(_generation(key)) for key in keys)
    return memo["generation"]


def cached_for_user(user, name: str, compute):
    """compute() once per request, and once per generation across requests."""
    memo = user.__dict__.setdefault("_ascm_access", {})
    if name in memo:
        return memo[name]
    key = f"ascm:access:{user.pk}:{access_generation(user)}:{name}"
    now = time.monotonic()
    local = _LOCAL.get(key)
    if local is not None and local[0] > now:
        memo[name] = local[1]
        return local[1]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, _TTL)
    if len(_LOCAL) >= _LOCAL_MAX:
        _LOCAL.clear()  # old generations' entries: simpler than an LRU, and rare
    _LOCAL[key] = (now + _TTL, value)
    memo[name] = value
    return value


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, time.time_ns() // 1000, None)


def access_changed(**kwargs) -> None:
    """Signal receiver: roles, their permissions or memberships changed (anyone's reach may move)."""
    _bump(_GLOBAL)


def user_access_changed(sender, instance, **kwargs) -> None:
    """Signal receiver: one user changed (active, superuser, groups): only their entries move on."""
    _bump(f"{_GLOBAL}:user:{instance.pk}")


def access_cache_connect() -> None:
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from .models import User

    for sender in ("organisation.TeamMembership", "accounts.Role", Group):
        post_save.connect(access_changed, sender=sender, dispatch_uid=f"ascm.access.save.{sender}")
        post_delete.connect(access_changed, sender=sender, dispatch_uid=f"ascm.access.delete.{sender}")
    m2m_changed.connect(access_changed, sender=Group.permissions.through, dispatch_uid="ascm.access.group-perms")
    post_save.connect(user_access_changed, sender=User, dispatch_uid="ascm.access.user")
    for through in (User.groups.through, User.user_permissions.through):
        m2m_changed.connect(user_access_changed, sender=through, dispatch_uid=f"ascm.access.m2m.{through}")
