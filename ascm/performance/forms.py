from django import forms

from ascm.core.forms import GovukDateField, GovukFormMixin


class PeriodForm(GovukFormMixin, forms.Form):
    """The dashboard's picker: whose figures, and a period of your own (or one of the quick choices)."""

    scope = forms.ChoiceField(label="Whose figures", choices=[])
    start = GovukDateField(label="From", label_name="the first day of the period", required=False)
    end = GovukDateField(label="To", label_name="the last day of the period", required=False)

    def __init__(self, *args, scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = list(scopes)

    def clean(self):
        data = super().clean()
        if bool(data.get("start")) != bool(data.get("end")) and not self.errors:
            self.add_error("end" if data.get("start") else "start", "Enter both the first and the last day of the period")
        return data
