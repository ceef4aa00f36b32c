"""Reads of person records, filtered by what the user may see."""

from datetime import date

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from ascm.audit.selectors import audit_entries_for_record
from ascm.core.db import CompiledOnce, select_related_only

from . import identifiers
from .models import Allocation, BreakGlassAccess, CaseNote, Client, ClientAsset, Relationship
from .permissions import break_glass_policy, case_note_policy, client_policy

SEARCH_LIMIT = 50
SEARCH_FIELDS = ("title", "given_name", "family_name", "preferred_name", "date_of_birth", "date_of_death", "postcode",
                 "nhs_number", "archived_at", "locality_id", "locality__name")


def clients_in_reach(*, user) -> QuerySet[Client]:
    """People whose full record the user may open by their role (the ClientPolicy's reach)."""
    return client_policy.instances(user)


def client_has_break_glass(*, user, client: Client) -> bool:
    return client_policy.has_break_glass(user, client)


def client_get_for_user(*, user, pk: int, with_panel_holdings: bool = False) -> Client:
    """The full record, or 404 when the user may not open it: by role and relationship, or after
    breaking the glass. Use client_get_for_search to find a record to break the glass on. With
    panel holdings, the person's locality and GP practice are read with them, and one more query says
    which record panels (and the list of merged records) have anything to show."""
    if not with_panel_holdings:
        return client_policy.get(user, pk)
    from .extensions import record_holdings_of
    from .models import ClientMerge

    queryset = select_related_only(select_related_only(client_policy.base_queryset(), "locality", "name"),
                                   "gp_practice", "name", "ods_code")
    client = client_policy.get(user, pk, queryset=queryset)
    record_holdings_of(client, {"holds_merges": lambda: Exists(ClientMerge.objects.filter(survivor=OuterRef("pk")))})
    return client


def client_get_for_search(*, user, pk: int) -> Client:
    """A record the user may see in search results (name, DOB, postcode, masked NHS number)."""
    return client_policy.get_for_search(user, pk)


def client_from_form(form, *, field: str = "nhs_number", user=None) -> Client | None:
    """The person a form names by NHS number (another app's intake: a DoLS application, a hospital
    stay), or None with the error on the field: nobody has that number (record them first), or — if
    `user` is given — the user may not find them."""
    from django.http import Http404

    number = identifiers.nhs_number_normalise(form.cleaned_data.get(field) or "")
    found = Client.objects.filter(nhs_number=number, archived_at__isnull=True).first() if number else None
    if found is None:
        form.add_error(field, "No one on ASCM has that NHS number: record the person first")
        return None
    if user is not None:
        try:
            return client_get_for_search(user=user, pk=found.pk)
        except Http404:
            form.add_error(field, "You cannot open this person's record")
            return None
    return found


def client_search(
    *, user, nhs_number: str = "", name: str = "", date_of_birth: date | None = None, postcode: str = "",
    include_archived: bool = False, limit: int = SEARCH_LIMIT,
) -> list[Client]:
    """Find people by NHS number (exact), name (partial, case- and accent-insensitive, tolerant of
    small misspellings), date of birth and postcode, combined. Returns just enough to identify; each
    result is marked `in_reach` when the user may open it without breaking the glass."""
    if not client_policy.user_may(user, "view"):
        return []
    # Only what identifies a person (the page's and the API's columns): a quarter of the row.
    clients = Client.objects.select_related("locality").only(*SEARCH_FIELDS)
    if not include_archived:
        clients = clients.filter(archived_at__isnull=True)
    if nhs_number:
        clients = clients.filter(nhs_number=identifiers.nhs_number_normalise(nhs_number))
    if date_of_birth:
        clients = clients.filter(date_of_birth=date_of_birth)
    if postcode:
        normalised = identifiers.postcode_normalise(postcode)
        clients = clients.filter(postcode__startswith=normalised) if len(normalised) < 6 else clients.filter(postcode=normalised)
    if not (nhs_number or date_of_birth or postcode or name):
        return []
    if name:
        results = _name_search(clients, name, limit)
    else:
        results = list(clients.order_by("family_name", "given_name", "pk")[:limit])
    reachable = set(clients_in_reach(user=user).filter(pk__in=[c.pk for c in results]).values_list("pk", flat=True))
    for client in results:
        client.in_reach = client.pk in reachable
    return results


def _name_search(clients: QuerySet[Client], name: str, limit: int) -> list[Client]:
    """Each word must match the given or family name. First the people whose family name starts with
    the last word, read in the order of an index on (folded family name, folded given name, id), so
    a common surname ("Smith", thousands) stops at the first page without sorting every match; then,
    if the page is not full, the other exact matches (a given name, a later part of a family name, the
    same phonetic key — all indexed), in name order; then, on PostgreSQL, near spellings by trigram
    similarity, most similar first."""
    words = identifiers.name_fold(name).split()
    if not words:
        return []
    exact, near, surname = clients, clients, clients
    for position, word in enumerate(words):
        key = identifiers.name_phonetic(word)
        match = Q(search_family__startswith=word) | Q(search_given__startswith=word) | Q(search_family__contains=f" {word}")
        if key:
            match |= Q(family_phonetic=key) | Q(given_phonetic=key)
        exact = exact.filter(match)
        if position < len(words) - 1:  # the last word is the surname's range, below
            surname = surname.filter(match)
        if len(word) >= 3:
            match |= Q(search_family__trigram_similar=word) | Q(search_given__trigram_similar=word)
        near = near.filter(match)
    # A range rather than LIKE: the folded names are plain ASCII, so the range is the prefix, and
    # the index answers it in order whatever the database's collation.
    last = words[-1]
    surname = surname.filter(search_family__gte=last, search_family__lt=last[:-1] + chr(ord(last[-1]) + 1))
    results = list(surname.order_by("search_family", "search_given", "pk")[:limit])
    if len(results) < limit:
        found = [c.pk for c in results]
        results += list(exact.exclude(pk__in=found).order_by("family_name", "given_name", "pk")[: limit - len(results)])
    if len(results) < limit and connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        near = near.exclude(pk__in=[c.pk for c in results]).annotate(
            rank=TrigramSimilarity("search_family", words[-1]) + TrigramSimilarity("search_given", words[0])
        )
        results += list(near.order_by("-rank", "family_name", "given_name", "pk")[: limit - len(results)])
    return results


def likely_duplicates(
    *, given_name: str, family_name: str, date_of_birth: date | None, postcode: str = "", exclude_pk: int | None = None
) -> list[Client]:
    """People who may be the same person: same date of birth and a similar name, or the same name and
    postcode. Uses the phonetic and date indexes, so it stays fast at hundreds of thousands of records."""
    family_key = identifiers.name_phonetic(family_name)
    given_key = identifiers.name_phonetic(given_name)
    candidates = Q()
    if date_of_birth and family_key:
        candidates |= Q(date_of_birth=date_of_birth, family_phonetic=family_key)
    if date_of_birth and given_key:
        candidates |= Q(date_of_birth=date_of_birth, given_phonetic=given_key, search_family__startswith=identifiers.name_fold(family_name)[:1])
    if postcode:
        candidates |= Q(
            postcode=identifiers.postcode_normalise(postcode),
            search_family=identifiers.name_fold(family_name),
            search_given=identifiers.name_fold(given_name),
        )
    if not candidates:
        return []
    found = Client.objects.filter(candidates, archived_at__isnull=True).select_related("locality")
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return list(found.order_by("family_name", "given_name")[:10])


# The record's lists depend on nothing but the person: their SQL is compiled once (CompiledOnce).
_record_notes = CompiledOnce(lambda client_id: CaseNote.objects.filter(client_id=client_id, amends__isnull=True)
                             .select_related("author").prefetch_related("amendments__author")
                             .order_by("-occurred_at", "-id")[:10])
_record_allocations = CompiledOnce(lambda client_id: Allocation.objects.filter(client_id=client_id, ended_on__isnull=True)
                                   .select_related("team__locality", "worker"))
_record_relationships = CompiledOnce(lambda client_id: select_related_only(  # the page names and links them
    Relationship.objects.filter(client_id=client_id, ended_on__isnull=True), "related_client", "given_name", "family_name"))
_record_assets = CompiledOnce(lambda client_id: ClientAsset.objects.filter(client_id=client_id, ended_on__isnull=True))


def _record_merges_query(client_id):
    from .models import ClientMerge

    return ClientMerge.objects.filter(survivor_id=client_id).select_related("duplicate", "merged_by")


_record_merges = CompiledOnce(_record_merges_query)


def client_record(*, user, client: Client) -> dict:
    """Everything the record page shows the user, in a bounded number of queries. Case notes only to
    those whose role reads them (a finance officer sees the person, not the chronology)."""
    return {
        "allocations": _record_allocations(client.pk),
        "relationships": _record_relationships(client.pk),
        "assets": _record_assets(client.pk),
        "notes": _record_notes(client.pk) if case_note_policy.user_may(user, "view") else [],
        "history": list(audit_entries_for_record(instance=client).exclude(action=3)[:20]),
        "merges": _record_merges(client.pk) if getattr(client, "holds_merges", True) else [],
    }


def client_notes(*, client: Client, note_type: str = "", author_id: int | None = None,
                 date_from: date | None = None, date_to: date | None = None) -> QuerySet[CaseNote]:
    """The chronology, newest first; amendments are shown with the note they amend."""
    notes = CaseNote.objects.filter(client=client, amends__isnull=True).select_related("author").prefetch_related(
        "amendments__author"
    )
    if note_type:
        notes = notes.filter(note_type=note_type)
    if author_id:
        notes = notes.filter(author_id=author_id)
    if date_from:
        notes = notes.filter(occurred_at__date__gte=date_from)
    if date_to:
        notes = notes.filter(occurred_at__date__lte=date_to)
    return notes.order_by("-occurred_at", "-id")


def break_glass_report(*, user) -> QuerySet[BreakGlassAccess]:
    """Break-the-glass accesses by members of the teams a manager manages (or all, for county-wide roles)."""
    return break_glass_policy.instances(user).select_related("user", "client").order_by("-granted_at")


def caseload_panel(user) -> dict | None:
    """The home page's "Your caseload": people allocated to the user (None if they hold no caseload)."""
    if not client_policy.user_may(user, "view"):
        return None
    allocations = (Allocation.objects.filter(worker=user, ended_on__isnull=True)
                   .select_related("client", "team").order_by("client__family_name", "client__given_name")[:100])
    return {"allocations": list(allocations)}


def people_allocated_to(instance) -> list[str]:
    """A team with people still allocated to it cannot close: they would be left with no team."""
    from ascm.organisation.models import Team

    if not isinstance(instance, Team):
        return []
    n = Allocation.objects.filter(team=instance, ended_on__isnull=True).count()
    return [f"{n} {'person' if n == 1 else 'people'} allocated"] if n else []
