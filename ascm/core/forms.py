"""GOV.UK Design System rendering for Django forms: classes on widgets, one template per field."""

from django import forms
from django.forms.renderers import TemplatesSetting

_WIDGET_CLASSES = {
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
}


class GovukFormRenderer(TemplatesSetting):
    field_template_name = "govuk/field.html"


class GovukFormMixin:
    """Adds GOV.UK classes, error states and described-by hints to every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, GovukDateWidget):
                error = " govuk-input--error" if self.is_bound and name in self.errors else ""
                for part, width in zip(widget.widgets, (2, 2, 4), strict=True):
                    part.attrs["class"] = f"govuk-input govuk-date-input__input govuk-input--width-{width}{error}"
                continue
            css = next((c for w, c in _WIDGET_CLASSES.items() if isinstance(widget, w)), "govuk-input")
            if css == "govuk-input" and getattr(field, "govuk_width", None):
                css += f" govuk-input--width-{field.govuk_width}"
            if self.is_bound and name in self.errors:
                css += {
                    "govuk-select": " govuk-select--error",
                    "govuk-textarea": " govuk-textarea--error",
                    "govuk-input": " govuk-input--error",
                }.get(css.split()[0], "")
            widget.attrs["class"] = css
            described = []
            if field.help_text:
                described.append(f"id_{self.add_prefix(name)}-hint")
            if self.is_bound and name in self.errors:
                described.append(f"id_{self.add_prefix(name)}-error")
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)

    @property
    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the GOV.UK error summary, in the order of the fields."""
        items = [
            (f"#id_{self.add_prefix(name)}", str(error))
            for name in self.fields
            if name in self.errors
            for error in self.errors[name]
        ]
        items += [("#main-content", str(error)) for error in self.non_field_errors()]
        return items


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year in separate boxes."""

    template_name = "govuk/date_input.html"

    def __init__(self, attrs=None):
        parts = [forms.TextInput(attrs={"inputmode": "numeric", "class": f"govuk-input govuk-date-input__input govuk-input--width-{w}"})
                 for w in (2, 2, 4)]
        super().__init__(parts, attrs)

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget

    def __init__(self, *, label_name: str = "date", **kwargs):
        self.label_name = label_name
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        import datetime

        if not data_list or not any(data_list):
            return None
        day, month, year = (str(p or "").strip() for p in data_list)
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise forms.ValidationError(f"{self.label_name.capitalize()} must include a {' and '.join(missing)}")
        try:
            if len(year) != 4:
                raise ValueError
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{self.label_name.capitalize()} must be a real date") from None

    def clean(self, value):
        if self.required and (not value or not any(value)):
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return super().clean(value)
