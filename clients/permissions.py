"""Access policies for people's records (see ascm.core.policies). Every view, API, selector and
notification about a person asks these."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from ascm.core.policies import Policy

from .models import Allocation, BreakGlassAccess, CaseNote, Client, ClientAsset, ImportRun, Relationship, ReturnFile


class ClientPolicy(Policy):
    """A person's full record: allocated to the user's teams (team scope), in or allocated within their
    localities (locality scope), everyone (county-wide roles); or opened by breaking the glass, which
    lasts until it expires. Search shows identifying details to anyone who may view people."""

    model = Client
    perms = {"merge": "clients.merge_client", "hold_caseload": "clients.hold_caseload"}
    not_found = "No such person"

    def base_queryset(self):
        return Client.objects.filter(archived_at__isnull=True)

    def scope(self, user, queryset, action):
        from ascm.accounts.models import Role
        from ascm.organisation.selectors import user_locality_ids, user_record_scope, user_team_ids

        scope = user_record_scope(user)
        if scope == Role.RecordScope.ALL:
            return queryset
        if scope == Role.RecordScope.LOCALITY:
            localities = user_locality_ids(user)
            allocated = Allocation.objects.filter(client=OuterRef("pk"), ended_on__isnull=True,
                                                  team__locality_id__in=localities)
            return queryset.filter(Q(locality_id__in=localities) | Exists(allocated))
        if scope == Role.RecordScope.TEAM:
            allocated = Allocation.objects.filter(client=OuterRef("pk"), ended_on__isnull=True,
                                                  team_id__in=user_team_ids(user))
            return queryset.filter(Exists(allocated))
        return queryset.none()

    def has_break_glass(self, user, client) -> bool:
        return BreakGlassAccess.objects.filter(user=user, client=client, expires_at__gt=timezone.now()).exists()

    def get(self, user, pk, action="view", queryset=None):
        """In reach by role and relationship, or after breaking the glass (until it expires)."""
        try:
            return super().get(user, pk, action, queryset)
        except Http404:
            if not self.user_may(user, action):
                raise
            client = self.base_queryset().filter(pk=pk).first()
            if client is None or not self.has_break_glass(user, client):
                raise
            return client

    def get_for_search(self, user, pk):
        """The identifying details search shows (name, date of birth, postcode, masked NHS number)."""
        if not self.user_may(user, "view"):
            raise Http404(self.not_found)
        client = Client.objects.filter(pk=pk).select_related("locality", "merged_into").first()
        if client is None:
            raise Http404(self.not_found)
        return client


class PersonRecordPolicy(Policy):
    """Records that belong to a person (notes, assessments, plans): in reach when the person's record
    is, by role or after breaking the glass."""

    client_field = "client"

    def scope(self, user, queryset, action):
        return queryset.filter(**{f"{self.client_field}__in": client_policy.instances(user)})

    def get(self, user, pk, action: str = "view", queryset=None):
        queryset = self.base_queryset() if queryset is None else queryset
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            raise Http404(self.not_found) from None
        if self.object_grants:  # a right given to this person for this record
            granted = self._granted_only(user, action, queryset).filter(pk=pk).first()
            if granted is not None:
                return granted
        if not self.user_may(user, action):
            raise Http404(self.not_found)
        obj = queryset.filter(pk=pk).first()
        if obj is None:
            raise Http404(self.not_found)
        *path, last = self.client_field.split("__")
        holder = obj
        for part in path:
            holder = getattr(holder, part)
        client_policy.get(user, getattr(holder, f"{last}_id"))  # 404 unless the person is in reach (or glass broken)
        return obj


class CountyWidePersonRecordPolicy(PersonRecordPolicy):
    """A person's records that some roles see for the whole county without seeing every record (the
    discharge hub's stays, finance officers' care packages): holders of any of `county_perms` reach
    every one; everyone else, as the person's record."""

    county_perms: tuple[str, ...] = ()

    def county_wide(self, user) -> bool:
        return any(user.has_perm(perm) for perm in self.county_perms)

    def scope(self, user, queryset, action):
        if self.county_wide(user):
            return queryset
        return super().scope(user, queryset, action)

    def get(self, user, pk, action: str = "view", queryset=None):
        if self.user_may(user, action) and self.county_wide(user):
            queryset = self.base_queryset() if queryset is None else queryset
            found = queryset.filter(pk=pk).first() if str(pk).isdigit() else None
            if found is None:
                raise Http404(self.not_found)
            return found
        return super().get(user, pk, action, queryset)


class CaseNotePolicy(PersonRecordPolicy):
    """The chronology is clinical content: reading it needs its own permission, not just the record."""

    model = CaseNote


class RelationshipPolicy(PersonRecordPolicy):
    """Relationships are part of the record: whoever may open the record may read them."""

    model = Relationship
    perms = {"view": "clients.view_client"}


class ClientAssetPolicy(PersonRecordPolicy):
    """Strengths and networks are part of the record too."""

    model = ClientAsset
    perms = {"view": "clients.view_client"}


class BreakGlassPolicy(Policy):
    """The break-the-glass report: managers see their teams' members; county-wide roles all."""

    model = BreakGlassAccess
    perms = {"add": "clients.view_client"}  # anyone who may view people may ask, with a reason

    def scope(self, user, queryset, action):
        from ascm.accounts.models import Role
        from ascm.organisation.models import TeamMembership
        from ascm.organisation.selectors import memberships_holding, user_record_scope

        if user_record_scope(user) == Role.RecordScope.ALL:
            return queryset
        managed = memberships_holding(self.permission("view"), user=user).values("team")
        members = TeamMembership.objects.filter(team__in=managed, ended_on__isnull=True).values("user")
        return queryset.filter(user__in=members)


class ImportRunPolicy(Policy):
    model = ImportRun
    perms = {"import": "clients.import_client"}


client_policy = ClientPolicy()
case_note_policy = CaseNotePolicy()
relationship_policy = RelationshipPolicy()
client_asset_policy = ClientAssetPolicy()
break_glass_policy = BreakGlassPolicy()
import_run_policy = ImportRunPolicy()


class ReturnFilePolicy(Policy):
    """Statutory return files hold every person's identifiers: the returns officers' (county-wide)."""

    model = ReturnFile
    not_found = "No such return file"


return_file_policy = ReturnFilePolicy()
