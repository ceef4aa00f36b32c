import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from clients import identifiers
from tests.clients.factories import synthetic_nhs_number


@pytest.mark.parametrize("number", ["943 476 5919", "9434765919", "943-476-5919", " 943 476 5919 "])
def test_published_example_nhs_number_is_valid_however_it_is_written(number):
    assert identifiers.nhs_number_validate(number) == "9434765919"


def test_wrong_check_digit_has_a_specific_message():
    with pytest.raises(ValidationError) as error:
        identifiers.nhs_number_validate("943 476 5918")
    assert error.value.messages == ["The NHS number is not valid: the check digit does not match"]


@pytest.mark.parametrize("number", ["123", "94347659190", "94347659A9", ""])
def test_malformed_nhs_number_is_refused(number):
    with pytest.raises(ValidationError) as error:
        identifiers.nhs_number_validate(number)
    assert error.value.code == "nhs_format"


def test_ten_identical_digits_pass_the_checksum_but_are_refused():
    assert identifiers.nhs_number_check_digit("000000000") == 0
    with pytest.raises(ValidationError, match="ten identical digits"):
        identifiers.nhs_number_validate("0000000000")


@given(st.integers(min_value=0, max_value=999_999_999))
def test_a_number_is_valid_exactly_when_its_tenth_digit_is_the_modulus_11_check(n):
    first_nine = f"{n:09d}"
    weights = range(10, 1, -1)
    check = 11 - sum(int(d) * w for d, w in zip(first_nine, weights, strict=True)) % 11
    for last in range(10):
        number = first_nine + str(last)
        expected_valid = check != 10 and (check % 11) == last and len(set(number)) > 1
        try:
            identifiers.nhs_number_validate(number)
            valid = True
        except ValidationError:
            valid = False
        assert valid == expected_valid, number


@given(st.integers(min_value=0, max_value=999_999))
def test_synthetic_numbers_are_valid_and_in_the_test_range(n):
    number = synthetic_nhs_number(n)
    assert number.startswith("999")
    assert identifiers.nhs_number_validate(number) == number


@pytest.mark.parametrize(
    "typed, stored", [("ct11aa", "CT1 1AA"), ("  tn23   4ab", "TN23 4AB"), ("ME14 1XX", "ME14 1XX"), ("gir0aa", "GIR 0AA")]
)
def test_postcodes_are_stored_upper_case_with_one_space(typed, stored):
    assert identifiers.postcode_validate(typed) == stored


@pytest.mark.parametrize("typed", ["CT1", "12345", "CTT 1AA1", "C1 AAA"])
def test_malformed_postcode_is_refused(typed):
    with pytest.raises(ValidationError, match="Enter a real postcode"):
        identifiers.postcode_validate(typed)


def test_names_fold_accents_and_case_and_sound_alike():
    assert identifiers.name_fold("Zoë O'Brien-Smith") == "zoe obrien smith"
    assert identifiers.name_phonetic("Smyth") == identifiers.name_phonetic("Smith")
    assert identifiers.name_phonetic("Kathryn") == identifiers.name_phonetic("Catherine")
