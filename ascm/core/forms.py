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


def required_when(field, *, condition: str = ""):
    """A field the form or service requires in some cases (its hint says when): its label must not
    say "(optional)" although the field itself is not required."""
    field.conditionally_required = True
    if condition:
        field.help_text = condition
    return field


class GovukFormRenderer(TemplatesSetting):
    field_template_name = "govuk/field.html"


class GovukFormMixin:
    """Adds GOV.UK classes, error states and described-by hints to every widget."""

    _ERROR_CLASSES = {"govuk-select": "govuk-select--error", "govuk-textarea": "govuk-textarea--error",
                      "govuk-input": "govuk-input--error"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            self._govuk_style(name, field)

    def _dom_id(self, name) -> str:
        """The field's element id, as Django renders it (the form's auto_id, "id_%s" by default)."""
        auto_id = self.auto_id if isinstance(self.auto_id, str) and "%s" in self.auto_id else "id_%s"
        return auto_id % self.add_prefix(name)

    def _govuk_style(self, name, field) -> None:
        """Style one field, once. Also called when a field is first rendered or validated, so fields a
        subclass adds after __init__ (the assessment's questions) get their class and hint link too."""
        if getattr(field, "_govuk_styled", False):
            return
        field._govuk_styled = True
        widget = field.widget
        if isinstance(widget, GovukDateWidget):
            for part, width in zip(widget.widgets, (2, 2, 4), strict=True):
                part.attrs["class"] = f"govuk-input govuk-date-input__input govuk-input--width-{width}"
            return
        css = next((c for w, c in _WIDGET_CLASSES.items() if isinstance(widget, w)), "govuk-input")
        # The component's class first, then any the form declares (a width: govuk-input--width-4).
        extra = [c for c in widget.attrs.get("class", "").split() if c != css]
        widget.attrs["class"] = " ".join([css, *extra])
        hint = f"{self._dom_id(name)}-hint"
        described = [d for d in widget.attrs.get("aria-describedby", "").split() if d != hint]
        # Point at the hint only when the field template renders one (it does exactly when help_text is set).
        widget.attrs["aria-describedby"] = " ".join(described + ([hint] if field.help_text else []))
        if not widget.attrs["aria-describedby"]:
            del widget.attrs["aria-describedby"]

    def __getitem__(self, name):
        self._govuk_style(name, self.fields[name])
        return super().__getitem__(name)

    def full_clean(self):
        for name, field in self.fields.items():
            self._govuk_style(name, field)
        super().full_clean()
        # Mark the fields in error once the form has been validated (never before: a subclass may
        # still be setting up its fields in __init__).
        self._mark_errors()

    def add_error(self, field, error):
        super().add_error(field, error)
        if hasattr(self, "cleaned_data"):  # a service's error, added after validation, is marked too
            self._mark_errors()

    def _mark_errors(self) -> None:
        for name in self._errors or {}:
            field = self.fields.get(name)
            if field is None:
                continue
            widget = field.widget
            parts = widget.widgets if isinstance(widget, GovukDateWidget) else [widget]
            for part in parts:
                classes = part.attrs.get("class", "").split()
                error_class = "govuk-input--error" if part is not widget else self._ERROR_CLASSES.get(classes[0] if classes else "")
                if error_class and error_class not in classes:
                    part.attrs["class"] = " ".join([*classes, error_class])
            if isinstance(widget, GovukDateWidget):
                continue
            described = [d for d in widget.attrs.get("aria-describedby", "").split() if d.endswith("-hint")]
            widget.attrs["aria-describedby"] = " ".join(described + [f"{self._dom_id(name)}-error"])

    @property
    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the GOV.UK error summary, in the order of the fields."""
        items = [
            (f"#{self._dom_id(name)}", str(error))
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
        # Parts not required one by one: compress() names the missing part ("must include a year").
        fields = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
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


def form_add_service_errors(form, error, *, aliases: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: against the field it names (or the form field
    it is entered through, per `aliases`), otherwise at the top of the error summary."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = aliases.get(field, field)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_submit(form, act, *, aliases: dict[str, str] | None = None) -> bool:
    """Validate the form and run the service (`act(form)`); the service's errors land on the form's
    fields. True when it was saved — the view then redirects; else it shows the form again, with
    what was typed and the error summary."""
    from django.core.exceptions import ValidationError

    if not form.is_valid():
        return False
    try:
        act(form)
    except ValidationError as error:
        form_add_service_errors(form, error, aliases=aliases)
        return False
    return True


def page_form_post(request, *, get, page, form_class, act, success: str):
    """One of a record page's forms, posted to its own URL: `get()` fetches the record (through its
    policy), `act(record, form)` runs the service. Saved: a success banner and back to the record's
    page. Refused: `page(record, status=400, bound=form)` shows it again with the error summary and
    what was typed (the record fetched afresh, so the page shows it as it is)."""
    from django.contrib import messages
    from django.shortcuts import redirect

    item = get()
    form = form_class(request.POST)
    if form_submit(form, lambda f: act(item, f)):
        messages.success(request, success)
        return redirect(item)
    return page(request, get(), status=400, bound=form)


def form_page(request, *, form, act, template: str, context: dict, done, to, aliases: dict[str, str] | None = None):
    """A set-up page's form. GET: the form. POST: `act(form)` runs the service and returns what it
    saved; then a banner (`done(saved)`) and a redirect (`to(saved)`, a URL or a model). Refused: the
    form again with its error summary and what was typed, answered 400."""
    from django.contrib import messages
    from django.shortcuts import redirect, render

    saved = []
    if request.method == "POST" and form_submit(form, lambda f: saved.append(act(f)), aliases=aliases):
        messages.success(request, done(saved[0]))
        return redirect(to(saved[0]))
    return render(request, template, {**context, "form": form}, status=400 if request.method == "POST" else 200)
