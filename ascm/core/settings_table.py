"""A set-up page for a small table of settings, one row per key (an urgency, a pathway) and one or
more values each: one form, a fieldset per row, every row saved at once by the app's service."""

from collections.abc import Callable

from django import forms
from rest_framework.generics import GenericAPIView

from .forms import GovukFormMixin
from .policies import PolicyPermission


class SettingsTableForm(GovukFormMixin, forms.Form):
    """`rows` are (key, label) pairs; `columns` are (name, label, make_field) where make_field(label)
    returns a fresh field; `initial` maps key -> {column: value}. Fields are named "{column}-{key}"."""

    def __init__(self, data=None, *, rows: list[tuple[str, str]], columns: list[tuple[str, str, Callable]],
                 initial: dict[str, dict], **kwargs):
        super().__init__(data, **kwargs)
        self.rows, self.columns = rows, columns
        for key, row_label in rows:
            for name, label, make_field in columns:
                field = make_field(f"{label}" if len(columns) > 1 else f"{row_label}")
                field.row_label = row_label
                self.fields[f"{name}-{key}"] = field
                self.initial[f"{name}-{key}"] = (initial.get(key) or {}).get(name)

    def groups(self) -> list[tuple[str, list]]:
        """(legend, bound fields) per row, for a fieldset each (several values) or one field each."""
        return [(row_label, [self[f"{name}-{key}"] for name, _, _ in self.columns]) for key, row_label in self.rows]

    def others(self) -> list:
        """Fields a page adds beside the rows (the date a change applies from)."""
        in_rows = {f"{name}-{key}" for key, _ in self.rows for name, _, _ in self.columns}
        return [self[name] for name in self.fields if name not in in_rows]

    def values(self) -> dict[str, dict]:
        """key -> {column: cleaned value}."""
        return {key: {name: self.cleaned_data[f"{name}-{key}"] for name, _, _ in self.columns} for key, _ in self.rows}

    def aliases(self) -> dict[str, str]:
        """A service names a row "key" (its first value) or "key.column"; the form's field is "column-key"."""
        names = {}
        for key, _ in self.rows:
            names[key] = f"{self.columns[0][0]}-{key}"
            names.update({f"{key}.{name}": f"{name}-{key}" for name, _, _ in self.columns})
        return names


def settings_table_page(request, *, policy, form: SettingsTableForm, save: Callable, title: str, intro: list[str],
                        done: str, url_name: str, context: dict | None = None):
    """GET: the table's form (for those who may change it) or its values. POST: `save(form)` (calling
    the app's service with `form.values()`), then a banner and back; refused: the form again with each error and what was typed."""
    from django.core.exceptions import PermissionDenied
    from django.urls import reverse

    from .forms import form_page

    may_change = policy.user_may(request.user, "change")
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    return form_page(request, form=form, act=lambda f: save(f) or True, template="setup/settings_table.html",
                     context={"title": title, "intro": intro, "may_change": may_change, **(context or {})},
                     done=lambda _: done,
                     to=lambda _: reverse(url_name), aliases=form.aliases())


def settings_table_serializer(name: str, rows: list[tuple[str, str]], columns: list[tuple[str, Callable]]):
    """A serializer for a settings table: one field per row key, each an object of its columns when
    there are several (`columns` are (name, make_field()) pairs), all optional so PATCH changes some."""
    from rest_framework import serializers

    if len(columns) == 1:
        fields = {key: columns[0][1]() for key, _ in rows}
    else:
        row = type(f"{name}Row", (serializers.Serializer,), {col: make() for col, make in columns})
        fields = {key: row(required=False, help_text=label) for key, label in rows}
    for key, label in rows:
        fields[key].required = False
        fields[key].help_text = label
    return type(name, (serializers.Serializer,), fields)


class SettingsTableAPI(GenericAPIView):
    """An API view: GET the table as {key: value} (or {key: {column: value}} when it has
    several columns); PATCH some of it: the app's service saves the whole table, and its errors,
    keyed "key" or "key.column", come back against those fields."""

    policy = None
    permission_classes = [PolicyPermission]
    serializer_class = None
    columns: tuple[str, ...] = ()
    # The app's selector (() -> {key: {column: value}}) and service (values=...), as staticmethods.
    table = None
    table_set = None

    def current(self) -> dict[str, dict]:
        return type(self).table()

    def save(self, values: dict[str, dict]) -> None:
        type(self).table_set(values=values)

    def _shape(self, table: dict[str, dict]) -> dict:
        if len(self.columns) > 1:
            return table
        return {key: row[self.columns[0]] for key, row in table.items()}

    def get(self, request):
        return self._respond(self.current())

    def patch(self, request):
        from django.core.exceptions import ValidationError
        from rest_framework import exceptions

        body = self.get_serializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        table = self.current()
        for key, value in body.validated_data.items():
            table[key] = {**table.get(key, {}), **(value if len(self.columns) > 1 else {self.columns[0]: value})}
        try:
            self.save(table)
        except ValidationError as error:
            errors: dict = {}
            by_field = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
            for field, messages in by_field.items():
                key, _, column = field.partition(".")
                if column and len(self.columns) > 1:
                    errors.setdefault(key, {})[column] = messages
                else:
                    errors[key] = messages
            raise exceptions.ValidationError(errors) from error
        return self._respond(self.current())

    def _respond(self, table):
        from rest_framework.response import Response

        return Response(self.get_serializer(self._shape(table)).data)
