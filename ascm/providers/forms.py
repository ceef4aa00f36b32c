from django import forms

from ascm.core.forms import GovukDateField, GovukFormMixin, required_when
from ascm.organisation.models import Locality

from .models import CareSetting, Provider


def _choices(choices, empty: str):
    return [("", empty)] + list(choices.choices)


class ProviderForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Provider name", max_length=200, error_messages={"required": "Enter the provider's name"})
    kind = forms.ChoiceField(label="Type of provider", choices=_choices(Provider.Kind, "Choose a type"),
                             error_messages={"required": "Choose the type of provider"})
    cqc_provider_id = forms.CharField(label="CQC provider ID", max_length=14, required=False,
                                      help_text="From the CQC register, like 1-101234567")
    ods_code = forms.CharField(label="ODS code", max_length=10, required=False, help_text="NHS organisations, like RVV")
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    email = forms.EmailField(label="Email address", required=False,
                             error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"})

    @classmethod
    def initial_for(cls, provider: Provider) -> dict:
        return {name: getattr(provider, name) for name in cls.base_fields}


class CareSettingForm(GovukFormMixin, forms.Form):
    provider = forms.ModelChoiceField(queryset=Provider.objects.open().order_by("name"), empty_label="Choose a provider",
                                      label="Provider", help_text="The organisation that runs it",
                                      error_messages={"required": "Choose the provider that runs it",
                                                      "invalid_choice": "Choose a provider from the list"})
    name = forms.CharField(label="Name of the setting", max_length=200,
                           error_messages={"required": "Enter the name of the hospital, home or service"})
    kind = forms.ChoiceField(label="Type of setting", choices=_choices(CareSetting.Kind, "Choose a type"),
                             error_messages={"required": "Choose the type of setting"})
    cqc_location_id = required_when(
        forms.CharField(label="CQC location ID", max_length=14, required=False),
        condition="Needed for care homes, home care, supported living and extra care, like 1-101234567")
    address_line_1 = forms.CharField(label="Address line 1", max_length=200, required=False)
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    locality = forms.ModelChoiceField(queryset=Locality.objects.current().order_by("name"), required=False,
                                      empty_label="Outside Kent or not known", label="Locality",
                                      error_messages={"invalid_choice": "Choose a locality from the list"})
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    beds = forms.IntegerField(label="Beds", min_value=0, max_value=5000, required=False,
                              help_text="Care homes and hospitals",
                              error_messages={"invalid": "Enter the number of beds as a whole number",
                                              "min_value": "Beds cannot be fewer than 0",
                                              "max_value": "Enter a number of beds under 5000"})

    @classmethod
    def initial_for(cls, setting: CareSetting) -> dict:
        return {name: getattr(setting, f"{name}_id" if name in ("provider", "locality") else name) for name in cls.base_fields}


class WardForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Ward name", max_length=100, error_messages={"required": "Enter the ward's name"})
    specialty = forms.CharField(label="Specialty", max_length=100, required=False, help_text="For example, elderly care")


class CloseForm(GovukFormMixin, forms.Form):
    closed_on = GovukDateField(label="Date it closes", label_name="the closing date", required=False,
                               help_text="For example, 31 3 2027. Leave it blank for today.")


class ImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8 CSV with the columns described below",
                           error_messages={"required": "Choose a CSV file to import",
                                           "empty": "The file you chose is empty"})


class SettingFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Name, town, postcode or CQC ID", required=False, max_length=100)
    kind = forms.ChoiceField(label="Type of setting", choices=_choices(CareSetting.Kind, "All types"), required=False)
    include_closed = forms.BooleanField(label="Include closed settings", required=False)
