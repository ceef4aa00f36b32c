"""The morning summary for the daily discharge call: per hospital and per locality, the people
delayed, their delayed days, who went past their DRD since yesterday and the longest waits; delayed
days by reason and attribution; and the last 90 days' trend. Two queries, whatever the county."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .models import Attribution, Discharge, NhsDelayReason
from .permissions import discharge_policy
from .selectors import stays_in


@dataclass
class Bar:
    """A row of a chart and of the table behind it (the bar chart include draws `count`)."""

    key: str
    label: str
    people: int
    days: int

    @property
    def count(self) -> int:
        return self.days


@dataclass
class Point:
    label: str
    count: int


def morning_summary(user, today=None, *, hospital=None, locality=None) -> dict:
    """For the county in the user's reach, or one hospital or locality (its reasons and attributions)."""
    today = today or timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    stays = discharge_policy.instances(user)
    if hospital:
        stays = stays.filter(hospital_id=hospital)
    if locality:
        stays = stays.filter(locality_id=locality)
    rows = list(stays.filter(status=Discharge.Status.IN_HOSPITAL, ready_on__lt=today)
                .values_list("pk", "reference", "hospital__name", "locality__name", "ready_on", "delay_reason",
                             "attribution"))
    places = {"hospital": {}, "locality": {}}
    reasons, attributions = {}, {}
    longest = []
    for pk, reference, hospital, locality, ready, reason, attribution in rows:
        days = (today - ready).days
        for kind, name in (("hospital", hospital), ("locality", locality)):
            place = places[kind].setdefault(name, {"name": name, "kind": kind, "people": 0, "days": 0, "new": 0,
                                                   "longest": 0})
            place["people"] += 1
            place["days"] += days
            place["new"] += ready == yesterday
            place["longest"] = max(place["longest"], days)
        reasons.setdefault(reason or "", [0, 0])
        reasons[reason or ""][0] += 1
        reasons[reason or ""][1] += days
        attributions.setdefault(attribution or "", [0, 0])
        attributions[attribution or ""][0] += 1
        attributions[attribution or ""][1] += days
        longest.append((days, pk, reference, hospital))
    longest.sort(key=lambda row: (-row[0], row[1]))
    reason_labels = dict(NhsDelayReason.choices) | {"": "No reason recorded"}
    attribution_labels = dict(Attribution.choices) | {"": "Not attributed"}
    trend = stays_in(user, 90, today, queryset=stays)["trend"]
    weekly = [Point(f"{p['day']:%-d %b}", p["people"]) for i, p in enumerate(reversed(trend)) if i % 7 == 0][::-1]
    hospitals = sorted(places["hospital"].values(), key=lambda p: (-p["people"], p["name"]))
    by_reason = [Bar(code or "none", reason_labels.get(code, code), people, days)
                 for code, (people, days) in sorted(reasons.items(), key=lambda kv: -kv[1][1])]
    return {
        "today": today, "people": len(rows), "days": sum(r[0] for r in longest),
        "new": sum(p["new"] for p in places["hospital"].values()),
        "hospitals": hospitals, "localities": sorted(places["locality"].values(), key=lambda p: (-p["people"], p["name"])),
        "by_reason": by_reason,
        "by_attribution": [Bar(code or "none", attribution_labels.get(code, code), people, days)
                           for code, (people, days) in sorted(attributions.items(), key=lambda kv: -kv[1][1])],
        "longest": longest[:10], "trend": trend, "weekly": weekly,
        "hospital_bars": [Point(p["name"], p["people"]) for p in hospitals],
        "hospital_max": max((p["people"] for p in hospitals), default=0),
        "reason_max": max((bar.days for bar in by_reason), default=0),
        "weekly_max": max((point.count for point in weekly), default=0),
    }
