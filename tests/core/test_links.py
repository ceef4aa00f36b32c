"""`{% link %}` gives exactly what `{% url %}` gives, reversing each route once."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

from ascm.core.templatetags import links


@pytest.mark.parametrize("name, args", [
    ("clients:record", [7]), ("clients:record", [123456]), ("mdt:drilldown", [4, "reviews_overdue"]),
    ("referrals:team-queue", [12]), ("clients:search", []), ("care:plan", [1]),
])
def test_a_link_is_the_reversed_url(name, args):
    assert links.link_for(name, *args) == reverse(name, args=args)
    assert links.link_for(name, *args) == reverse(name, args=args)  # and again, from the cached pattern


def test_a_route_is_reversed_once_however_many_rows(monkeypatch):
    links._patterns.clear()
    calls = []
    real = links.reverse
    monkeypatch.setattr(links, "reverse", lambda *a, **k: calls.append(a) or real(*a, **k))
    rendered = Template("{% load links %}{% for pk in pks %}{% link 'clients:record' pk %} {% endfor %}").render(
        Context({"pks": range(1, 201)}))
    assert rendered.split() == [reverse("clients:record", args=[pk]) for pk in range(1, 201)]
    assert len(calls) == 1


def test_an_argument_that_is_not_a_plain_word_is_left_to_reverse():
    # reverse() quotes it, or refuses what the route refuses, exactly as {% url %} would.
    with pytest.raises(NoReverseMatch):
        links.link_for("mdt:drilldown", 4, "a b")
    with pytest.raises(NoReverseMatch):
        links.link_for("clients:record", "x")
