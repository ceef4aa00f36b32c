"""The GOV.UK form mixin keeps the width a form gives an input, with and without an error."""

from finance.forms import FinanceReturnForm


def test_a_declared_width_is_kept_beside_the_component_class():
    widget = FinanceReturnForm()["year"].field.widget
    assert widget.attrs["class"].split() == ["govuk-input", "govuk-input--width-4"]


def test_an_input_in_error_keeps_its_width_and_gains_the_error_class():
    form = FinanceReturnForm({"year": "twenty"})
    assert not form.is_valid()
    form.full_clean()  # validated twice: the error class is added once
    assert form.fields["year"].widget.attrs["class"].split() == ["govuk-input", "govuk-input--width-4", "govuk-input--error"]
    assert 'class="govuk-input govuk-input--width-4 govuk-input--error"' in str(form["year"])
