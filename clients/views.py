from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ascm.core.forms import form_add_service_errors
from ascm.core.policies import policy_required
from ascm.organisation.selectors import teams_of_member

from . import selectors, services
from .extensions import record_panels_for
from .forms import (
    AmendmentForm,
    AssetForm,
    BreakGlassForm,
    ClientCreateForm,
    ClientForm,
    MergeForm,
    NoteFilterForm,
    NoteForm,
    RelationshipForm,
    SearchForm,
)
from .models import CaseNote, Client
from .permissions import break_glass_policy, case_note_policy, client_asset_policy, client_policy, relationship_policy


def _errors_to_form(form, error: ValidationError):
    form_add_service_errors(form, error, aliases={"gp_practice": "gp_practice_code", "related_client": "related_client_id"})


@policy_required(client_policy, "view")
def search(request):
    form = SearchForm(request.GET or None)
    results, searched, prefill, more = [], False, {}, False
    if form.is_bound and form.is_valid():
        criteria = form.criteria()
        if any(criteria.values()):
            searched = True
            # One more than a page, to say so when there are more matches than are shown.
            results = selectors.client_search(user=request.user, limit=selectors.SEARCH_LIMIT + 1, **criteria)
            more, results = len(results) > selectors.SEARCH_LIMIT, results[: selectors.SEARCH_LIMIT]
            # What was searched for starts the new record, so nothing is typed twice.
            words = criteria["name"].split()
            prefill = {"given_name": " ".join(words[:1]), "family_name": " ".join(words[1:]),
                       "nhs_number": criteria["nhs_number"], "postcode": criteria["postcode"]}
    return render(request, "clients/search.html", {
        "form": form, "results": results, "searched": searched, "more": more,
        "create_query": urlencode({k: v for k, v in prefill.items() if v}),
    })


@policy_required(client_policy, "add")
def client_create(request):
    teams = teams_of_member(user=request.user)
    initial = {k: request.GET[k] for k in ("given_name", "family_name", "postcode", "nhs_number") if request.GET.get(k)}
    form = ClientCreateForm(request.POST if request.method == "POST" else None, initial=initial, teams=teams)
    candidates, existing = [], None
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_create(
                user=request.user, team=form.cleaned_data["team"],
                confirmed_not_duplicate=form.cleaned_data["confirm_new"], **form.service_fields(),
            )
        except services.ExistingNhsNumber as error:
            existing = error.existing
            form.add_error("nhs_number", "A person with this NHS number already exists")
        except services.LikelyDuplicate as error:
            candidates = error.candidates
            form.add_error("confirm_new", "Check the people who may be the same person, then confirm this is someone new")
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"{client} has been recorded")
            return redirect("clients:record", pk=client.pk)
    return render(request, "clients/client_form.html",
                  {"form": form, "client": None, "candidates": candidates, "existing": existing, "teams": teams})


@policy_required(client_policy, "view")
def record(request, pk: int):
    try:
        client = selectors.client_get_for_user(user=request.user, pk=pk, with_panel_holdings=True)
    except Http404:
        found = Client.objects.filter(pk=pk).only("merged_into").first()
        if found is not None and found.merged_into_id:
            messages.info(request, "That record was merged into this one.")
            return redirect("clients:record", pk=found.merged_into_id)
        if found is not None and client_policy.user_may(request.user, "view"):
            return redirect("clients:break-glass", pk=pk)
        raise
    services.client_record_viewed(user=request.user, client=client)
    context = {"client": client, **selectors.client_record(user=request.user, client=client),
               "panels": record_panels_for(user=request.user, client=client)}
    return render(request, "clients/record.html", context)


@policy_required(client_policy, "change")
def client_edit(request, pk: int):
    client = selectors.client_get_for_user(user=request.user, pk=pk)
    form = ClientForm(request.POST if request.method == "POST" else None, initial=ClientForm.initial_for(client))
    existing, conflict = None, None
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(user=request.user, client=client, expected_version=form.cleaned_data.get("version"),
                                   **form.service_fields())
        except services.EditConflict as error:
            # Keep what they typed; show what changed; the next save is over the version they have now seen.
            conflict = error.current
            data = request.POST.copy()
            data["version"] = conflict.version
            form = ClientForm(data, initial=ClientForm.initial_for(client))
            form.is_valid()
            form.add_error(None, error.messages[0])
        except services.ExistingNhsNumber as error:
            existing = error.existing
            form.add_error("nhs_number", "A person with this NHS number already exists")
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Details saved")
            return redirect("clients:record", pk=client.pk)
    return render(request, "clients/client_form.html",
                  {"form": form, "client": client, "existing": existing, "conflict": conflict,
                   "conflict_changes": _changed_since(client, conflict) if conflict else []})


def _changed_since(opened: Client, current: Client) -> list[tuple[str, str]]:
    """(field label, their value) for each detail the other person changed."""
    return [(str(field.verbose_name).capitalize(), str(getattr(current, field.attname) or "–"))
            for field in Client._meta.concrete_fields
            if field.attname in services.CLIENT_FIELDS or field.attname in ("gp_practice_id", "locality_id")
            if getattr(opened, field.attname) != getattr(current, field.attname)]


@policy_required(client_policy, "view")
def break_glass(request, pk: int):
    client = selectors.client_get_for_search(user=request.user, pk=pk)
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_break_glass(user=request.user, client=client, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return redirect("clients:record", pk=client.pk)
    return render(request, "clients/break_glass.html", {"form": form, "client": client})


@policy_required(case_note_policy, "view")
def notes(request, pk: int):
    client = selectors.client_get_for_user(user=request.user, pk=pk)
    services.client_record_viewed(user=request.user, client=client)
    filters = NoteFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    page = Paginator(selectors.client_notes(client=client, **{k: v for k, v in criteria.items() if v}), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "clients/notes.html", {"client": client, "page": page, "filters": filters})


@policy_required(case_note_policy, "add")
def note_add(request, pk: int):
    client = selectors.client_get_for_user(user=request.user, pk=pk)
    # Most notes are written the day of the contact: the date starts as today.
    form = NoteForm(request.POST if request.method == "POST" else None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.note_add(user=request.user, client=client, note_type=form.cleaned_data["note_type"],
                              occurred_at=form.occurred_at(), text=form.cleaned_data["text"])
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Note added to the chronology")
            return redirect("clients:notes", pk=client.pk)
    return render(request, "clients/note_form.html", {"client": client, "form": form, "original": None})


@policy_required(case_note_policy, "add")
def note_amend(request, pk: int, note_pk: int):
    client = selectors.client_get_for_user(user=request.user, pk=pk)
    original = get_object_or_404(CaseNote.objects.select_related("author"), pk=note_pk, client=client)
    form = AmendmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.note_add(user=request.user, client=client, note_type=original.note_type,
                          occurred_at=original.occurred_at, text=form.cleaned_data["text"], amends=original)
        messages.success(request, "Amendment added. The original note is still shown.")
        return redirect("clients:notes", pk=client.pk)
    return render(request, "clients/note_form.html", {"client": client, "form": form, "original": original})


@policy_required(relationship_policy, "add")
def relationship_add(request, pk: int):
    client = selectors.client_get_for_user(user=request.user, pk=pk)
    form = RelationshipForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        related_id = data.pop("related_client_id")
        related = None
        if related_id:
            # Only a record the user may open can be linked; one out of reach reads as not there.
            related = selectors.clients_in_reach(user=request.user).filter(pk=related_id).first()
            if related is None:
                form.add_error("related_client_id", "There is no record with this number that you can open")
        if not form.errors:
            try:
                services.relationship_add(client=client, related_client=related, **data)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, "Relationship added")
                return redirect("clients:record", pk=client.pk)
    return render(request, "clients/simple_form.html", {
        "client": client, "form": form, "heading": "Add a relationship", "button": "Add relationship"})


@policy_required(client_asset_policy, "add")
def asset_add(request, pk: int):
    client = selectors.client_get_for_user(user=request.user, pk=pk)
    form = AssetForm(request.POST if request.method == "POST" else None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.asset_add(client=client, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Added to strengths and networks")
            return redirect("clients:record", pk=client.pk)
    return render(request, "clients/simple_form.html", {
        "client": client, "form": form, "heading": "Add to strengths and networks", "button": "Add"})


@policy_required(client_policy, "merge")
def merge(request, pk: int):
    survivor = selectors.client_get_for_user(user=request.user, pk=pk)
    form = MergeForm(request.POST if request.method == "POST" else None, initial={"duplicate_id": request.GET.get("duplicate")})
    duplicate = None
    if form.is_bound and form.is_valid():
        # Only a record the user may open can be merged (one out of reach reads as not there).
        duplicate = selectors.clients_in_reach(user=request.user).filter(pk=form.cleaned_data["duplicate_id"]).first()
        if duplicate is None or duplicate.pk == survivor.pk:
            form.add_error("duplicate_id", "Enter the number of another current record that you can open")
            duplicate = None
        elif form.cleaned_data["confirm"]:
            try:
                services.client_merge(user=request.user, survivor=survivor, duplicate=duplicate,
                                      reason=form.cleaned_data["reason"])
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, f"Record {duplicate.pk} was merged into this record")
                return redirect("clients:record", pk=survivor.pk)
    candidates = selectors.likely_duplicates(
        given_name=survivor.given_name, family_name=survivor.family_name, date_of_birth=survivor.date_of_birth,
        postcode=survivor.postcode, exclude_pk=survivor.pk)
    return render(request, "clients/merge.html",
                  {"client": survivor, "form": form, "duplicate": duplicate, "candidates": candidates})


@policy_required(break_glass_policy, "view")
def break_glass_report(request):
    page = Paginator(selectors.break_glass_report(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "clients/break_glass_report.html", {"page": page})



@require_POST
@policy_required(relationship_policy, "change")
def relationship_end(request, pk: int, relationship_pk: int):
    """A relationship that has ended (a carer who stopped caring): kept in the history, off the record."""
    client = selectors.client_get_for_user(user=request.user, pk=pk)
    relationship = get_object_or_404(client.relationships, pk=relationship_pk, ended_on__isnull=True)
    services.relationship_end(relationship=relationship)
    messages.success(request, f"{relationship.get_relationship_type_display()} relationship ended")
    return redirect("clients:record", pk=client.pk)


@require_POST
@policy_required(client_asset_policy, "change")
def asset_end(request, pk: int, asset_pk: int):
    client = selectors.client_get_for_user(user=request.user, pk=pk)
    asset = get_object_or_404(client.assets, pk=asset_pk, ended_on__isnull=True)
    services.asset_end(asset=asset)
    messages.success(request, "Taken off the strengths and networks (kept in the history)")
    return redirect("clients:record", pk=client.pk)
