"""The council's starting escalation, as migration 0002 leaves it (migrations copy what they load, so
the rows are repeated there on purpose). For a database emptied since (tests that flush it, a demo)."""

import datetime

DEFAULT_RULES = [  # (name, delayed days, recipient)
    ("Delayed: the worker and team", 1, "worker"),
    ("Delayed: the team", 1, "team"),
    ("Delayed 3 days: the team manager", 3, "team_manager"),
    ("Delayed 7 days: the locality's head of service", 7, "locality"),
]


def alert_rules_ensure() -> None:
    """The starting rules, once: when there are none (administrators change them from there)."""
    from .models import AlertRule

    if AlertRule.objects.exists():
        return
    AlertRule.objects.bulk_create([AlertRule(name=n, delayed_days=d, recipient=r, effective_from=datetime.date(2026, 1, 1))
                                   for n, d, r in DEFAULT_RULES])
