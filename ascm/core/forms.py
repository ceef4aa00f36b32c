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
