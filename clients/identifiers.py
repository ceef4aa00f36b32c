"""Identifiers and formats (../shared/DOMAIN.md, "Identifiers and formats")."""

import re
import unicodedata

import jellyfish
from django.core.exceptions import ValidationError

_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
POSTCODE_RE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")


def nhs_number_normalise(value: str) -> str:
    """Spaces and hyphens are allowed in input (often written 3-3-4); stored as ten ASCII digits.
    Digits typed in another script (Arabic-Indic, full-width) are the same number, so they become
    ASCII: otherwise one NHS number could be stored twice under two spellings."""
    compact = re.sub(r"[\s-]", "", value or "")
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in compact)


def nhs_number_check_digit(first_nine: str) -> int | None:
    """Modulus 11: weights 10..2 on digits 1-9; check = 11 - (sum % 11); 11 -> 0; 10 -> invalid (None)."""
    check = 11 - sum(int(d) * w for d, w in zip(first_nine, _WEIGHTS, strict=True)) % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def nhs_number_validate(value: str) -> str:
    """Validate an NHS number and return it normalised. Raises ValidationError with a specific message."""
    number = nhs_number_normalise(value)
    if not re.fullmatch(r"[0-9]{10}", number):
        raise ValidationError("Enter an NHS number of 10 digits, like 999 123 4578", code="nhs_format")
    if len(set(number)) == 1:
        raise ValidationError("The NHS number is not valid: ten identical digits are not a real number", code="nhs_repeated")
    check = nhs_number_check_digit(number[:9])
    if check is None or check != int(number[9]):
        raise ValidationError("The NHS number is not valid: the check digit does not match", code="nhs_check_digit")
    return number


def nhs_number_display(number: str) -> str:
    return f"{number[:3]} {number[3:6]} {number[6:]}" if number else ""


def nhs_number_masked(number: str) -> str:
    """Just enough to identify in search results: the last four digits."""
    return f"*** *** {number[6:]}" if number else ""


def postcode_normalise(value: str) -> str:
    """Upper-case with a single space before the inward code."""
    compact = re.sub(r"\s+", "", (value or "").upper())
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def postcode_validate(value: str) -> str:
    postcode = postcode_normalise(value)
    if not POSTCODE_RE.match(postcode):
        raise ValidationError("Enter a real postcode, like CT1 2AB", code="postcode")
    return postcode


def postcode_district(postcode: str) -> str:
    """The outward code (postcode district), e.g. CT1 for CT1 2AB."""
    return postcode.split(" ")[0] if postcode else ""


def name_fold(value: str) -> str:
    """Lower-case without accents or punctuation, for case- and accent-insensitive search."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9 ]", "", plain.lower().replace("-", " ")).strip()


def name_phonetic(value: str) -> str:
    """A phonetic key (Metaphone) of the first word: Smith ~ Smyth, Catherine ~ Kathryn."""
    folded = name_fold(value)
    return jellyfish.metaphone(folded.split()[0]) if folded else ""


def person_reference(client_id: int) -> str:
    """The person's reference in statutory returns: the record's own number, the same every year (a
    merged duplicate's work moves to the survivor, and with it this reference)."""
    return f"P{client_id:09d}"
