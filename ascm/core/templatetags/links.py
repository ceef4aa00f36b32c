"""`{% link 'app:name' pk %}`: `{% url %}` for the rows of long lists (routes with int, slug and str
converters). Each route is reversed once per
process, with placeholder arguments, and the row's own filled in after: reversing every link of a
caseload review (hundreds) cost as much as its queries."""

import re

from django import template
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

register = template.Library()

_PLAIN = re.compile(r"^[\w-]+$", re.ASCII)  # what every converter writes unchanged (int, slug, str)
_patterns: dict[tuple, str | None] = {}


def _placeholder(position: int, value: str) -> str:
    # A number stands in for a number and a word for a word, so a route refuses the placeholder
    # exactly when it would refuse the value (a word where an <int:> is wanted), and then reverse()
    # answers each time, as {% url %} would.
    return f"918273645{position}" if value.isdigit() else f"ascmlinkplaceholder{position}"


def link_for(name: str, *args) -> str:
    values = [str(arg) for arg in args]
    if not all(_PLAIN.match(value) for value in values):
        return reverse(name, args=args)
    placeholders = [_placeholder(i, value) for i, value in enumerate(values)]
    key = (get_urlconf(), get_script_prefix(), name, *placeholders)
    if key not in _patterns:
        try:
            url = reverse(name, args=placeholders)
        except NoReverseMatch:
            url = ""
        # A route that refuses the placeholders, or repeats one, is reversed each time.
        _patterns[key] = url if url and all(url.count(p) == 1 for p in placeholders) else None
    url = _patterns[key]
    if url is None:
        return reverse(name, args=args)
    for placeholder, value in zip(placeholders, values, strict=True):
        url = url.replace(placeholder, value, 1)
    return url


@register.simple_tag
def link(name, *args):
    return link_for(name, *args)
