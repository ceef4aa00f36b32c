"""Finance through /api/v1/: the same capability as the pages, with field-level 400s and the same access."""

from decimal import Decimal

import pytest
from django.utils import timezone

from finance.models import CarePackage

from .conftest import draft

pytestmark = pytest.mark.django_db


def test_a_package_from_start_to_approval_through_the_api(api, person, practitioner, manager, home_care, day_centre):
    api.force_authenticate(practitioner)
    bad = api.post("/api/v1/care-packages/", {"client": person.pk, "delivery_mechanism": "magic"}, format="json")
    assert bad.status_code == 400 and {"delivery_mechanism", "starts_on"} <= set(bad.json()["errors"])
    created = api.post("/api/v1/care-packages/", {"client": person.pk, "delivery_mechanism": "commissioned",
                                                  "starts_on": timezone.localdate().isoformat()}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    shares = api.post(f"/api/v1/care-packages/{pk}/lines/", {
        "service_type": "home_care", "provider": home_care.pk, "units_per_week": "14",
        "funding": [{"stream": "council", "share_percent": "70"}, {"stream": "chc", "share_percent": "20"}]}, format="json")
    assert shares.status_code == 400
    assert shares.json()["errors"]["funding"] == ["The funding shares must add up to 100%; they add up to 90%"]
    zero = api.post(f"/api/v1/care-packages/{pk}/lines/", {
        "service_type": "home_care", "provider": home_care.pk, "units_per_week": "0",
        "funding": [{"stream": "council", "share_percent": "100"}]}, format="json")
    assert zero.status_code == 400 and "units_per_week" in zero.json()["errors"]
    line = api.post(f"/api/v1/care-packages/{pk}/lines/", {
        "service_type": "home_care", "provider": home_care.pk, "units_per_week": "14",
        "funding": [{"stream": "council", "share_percent": "70"}, {"stream": "chc", "share_percent": "30"}]}, format="json")
    assert line.status_code == 201 and line.json()["weekly_cost"] == "343.00" and line.json()["cost_this_year"] != "0.00"
    line_id = line.json()["lines"][0]["id"]
    changed = api.patch(f"/api/v1/package-lines/{line_id}/", {"units_per_week": "10"}, format="json")
    assert changed.status_code == 200 and changed.json()["weekly_cost"] == "245.00"
    council = api.patch(f"/api/v1/package-lines/{line_id}/", {"units_per_week": "10", "funding": [
        {"stream": "council", "share_percent": "100"}]}, format="json")
    assert council.json()["funding"] == [{"stream": "council", "share_percent": "100.00"}]
    from finance.models import LineFunding

    assert sorted(LineFunding.objects.filter(line_id=line_id).values_list("stream", "share_percent")) == [
        ("chc", Decimal("0.00")), ("council", Decimal("100.00"))]  # the NHS share is kept, at 0%, not deleted
    submitted = api.post(f"/api/v1/care-packages/{pk}/submit/", {}, format="json")
    assert submitted.json()["status"] == "submitted"
    own = api.post(f"/api/v1/care-packages/{pk}/decision/", {"decision": "approve"}, format="json")
    assert own.status_code == 403  # a practitioner holds no approval permission at all
    api.force_authenticate(manager)
    queue = api.get("/api/v1/care-packages/approval-queue/").json()
    assert [p["id"] for p in queue["results"]] == [pk]
    decided = api.post(f"/api/v1/care-packages/{pk}/decision/", {"decision": "approve", "reason": "Fine"}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "active"
    assert [c["to_status"] for c in decided.json()["status_changes"]] == ["draft", "submitted", "approved", "active"]
    frozen = api.patch(f"/api/v1/package-lines/{line_id}/", {"units_per_week": "20"}, format="json")
    assert frozen.status_code == 400 and "Make a change to it instead" in frozen.json()["errors"]["package"][0]
    change = api.post(f"/api/v1/care-packages/{pk}/change/", {"starts_on": timezone.localdate().isoformat()}, format="json")
    assert change.status_code == 201 and change.json()["replaces"] == pk and change.json()["status"] == "draft"


def test_a_manager_over_their_limit_gets_a_400_saying_so(api, person, practitioner, manager, home_care):
    package = draft(practitioner, person, lines=[("home_care", home_care, "30")])
    from finance import services

    services.package_submit(user=practitioner, package=package)
    api.force_authenticate(manager)
    refused = api.post(f"/api/v1/care-packages/{package.pk}/decision/", {"decision": "approve"}, format="json")
    assert refused.status_code == 400
    assert "above your approval limit (£600.00 a week)" in refused.json()["errors"]["package"][0]
    no_reason = api.post(f"/api/v1/care-packages/{package.pk}/decision/", {"decision": "return"}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    assert CarePackage.objects.get(pk=package.pk).status == "submitted"


def test_ids_guessed_from_another_locality_are_404_and_finance_sees_the_county(api, person, practitioner, home_care,
                                                                              thanet_practitioner, finance_officer):
    package = draft(practitioner, person, lines=[("home_care", home_care, "7")])
    api.force_authenticate(thanet_practitioner)
    assert api.get(f"/api/v1/care-packages/{package.pk}/").status_code == 404
    assert api.post(f"/api/v1/care-packages/{package.pk}/submit/", {}, format="json").status_code == 404
    assert api.get("/api/v1/care-packages/").json()["count"] == 0
    line = package.lines.get()
    assert api.patch(f"/api/v1/package-lines/{line.pk}/", {"units_per_week": "1"}, format="json").status_code == 404
    api.force_authenticate(finance_officer)  # a Thanet team, county-wide for money
    assert api.get(f"/api/v1/care-packages/{package.pk}/").status_code == 200
    assert api.get("/api/v1/care-packages/").json()["count"] == 1
    assert api.get(f"/api/v1/clients/{person.pk}/").status_code == 200
    assert api.get(f"/api/v1/clients/{person.pk}/notes/").status_code == 403  # no clinical content
    api.force_authenticate(practitioner)
    assert api.get(f"/api/v1/clients/{person.pk}/notes/").status_code == 200  # (the same call works for the worker)
    api.force_authenticate(finance_officer)
    assert api.post(f"/api/v1/care-packages/{package.pk}/submit/", {}, format="json").status_code == 403


def test_rates_limits_tables_and_budgets_through_the_api(api, administrator, finance_officer, home_care, canterbury,
                                                         practitioner):
    api.force_authenticate(finance_officer)
    overlap = api.post("/api/v1/provider-rates/", {"provider": home_care.pk, "service_type": "home_care",
                                                   "unit_cost": "26.00", "effective_from": "2026-01-01"}, format="json")
    assert overlap.status_code == 400 and "overlaps" in overlap.json()["errors"]["effective_from"][0]
    undated = api.post("/api/v1/provider-rates/", {"provider": home_care.pk, "service_type": "home_care",
                                                   "unit_cost": "26.00"}, format="json")
    assert undated.status_code == 400 and "effective_from" in undated.json()["errors"]
    rate = api.post("/api/v1/provider-rates/", {"provider": home_care.pk, "service_type": "home_care",
                                                "unit_cost": "26.00", "effective_from": "2027-04-01"}, format="json")
    assert rate.status_code == 201, rate.json()
    budget = api.post("/api/v1/budgets/", {"year": 2026, "locality": canterbury.pk, "service_type": "home_care",
                                           "amount": "250000.00"}, format="json")
    assert budget.status_code == 201
    assert api.post("/api/v1/approval-limits/", {"role": "team-manager", "weekly_limit": "700",
                                                 "effective_from": "2027-04-01"}, format="json").status_code == 403
    commitments = api.get("/api/v1/commitments/?year=2026").json()
    assert commitments["totals"]["amount"] == "250000.00"
    assert api.get("/api/v1/commitments/?year=abc").status_code == 400
    assert api.get("/api/v1/commitments/lines/?year=2026&locality=x&service_type=nope").json()["errors"].keys() == {
        "locality", "service_type"}
    api.force_authenticate(administrator)
    limit = api.post("/api/v1/approval-limits/", {"role": "team-manager", "weekly_limit": "700",
                                                  "effective_from": "2027-04-01"}, format="json")
    assert limit.status_code == 201
    table = api.post("/api/v1/allocation-tables/", {"effective_from": "2027-04-01", "points_needs_assistance": 5,
                                                    "points_pain_distress_anxiety": 3, "points_endangers_safety": 5,
                                                    "points_takes_significantly_longer": 2,
                                                    "bands": [{"from_points": 3, "weekly_amount": "90.00"}]}, format="json")
    assert table.status_code == 400 and "start at 0 points" in table.json()["errors"]["bands"][0]
    api.force_authenticate(practitioner)
    assert api.post("/api/v1/budgets/", {"year": 2026, "locality": canterbury.pk, "service_type": "home_care",
                                         "amount": "1"}, format="json").status_code == 403


def test_the_personal_budget_through_the_api(api, person, practitioner, thanet_practitioner):
    from pathways.care import plans

    plan = plans.plan_create(user=practitioner, client=person,
                             outcomes=[{"outcome": "Cook", "met_by": "service", "how": "Enablement"}])
    api.force_authenticate(thanet_practitioner)
    assert api.post("/api/v1/personal-budgets/", {"plan": plan.pk, "agreed_weekly": "90"}, format="json").status_code == 404
    api.force_authenticate(practitioner)
    negative = api.post("/api/v1/personal-budgets/", {"plan": plan.pk, "agreed_weekly": "-5"}, format="json")
    assert negative.status_code == 400 and "agreed_weekly" in negative.json()["errors"]
    made = api.post("/api/v1/personal-budgets/", {"plan": plan.pk, "agreed_weekly": "90"}, format="json")
    assert made.status_code == 201 and made.json()["agreed_weekly"] == "90.00" and made.json()["indicative_weekly"] is None
    again = api.post("/api/v1/personal-budgets/", {"plan": plan.pk, "agreed_weekly": "95.50"}, format="json")
    assert again.status_code == 201 and again.json()["id"] == made.json()["id"]
