"""The organisation's registers, as administrators keep them: areas, localities, postcode districts,
hubs and GP practices. Each is one `Register`; one set of views and templates serves them all (find,
add, change, close with a reason, reopen), so each behaves the same way and none lives in the
Django admin."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from ascm.core.policies import Policy

from . import forms, services
from .models import Area, GPPractice, Hub, Locality, PostcodeDistrict
from .permissions import area_policy, gp_practice_policy, hub_policy, locality_policy, postcode_district_policy


@dataclass(frozen=True)
class Column:
    heading: str
    value: Callable  # row -> text
    numeric: bool = False


@dataclass(frozen=True)
class Register:
    slug: str  # its URL and its URL names' prefix
    model: type
    policy: Policy
    form: type
    noun: str  # "GP practice"
    plural: str  # "GP practices"
    intro: str
    search_label: str
    search_fields: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: Callable[[], QuerySet]
    create: Callable
    update: Callable
    instance_arg: str
    label: Callable = str  # how a row is named in its list and its pages
    closable: bool = True

    def article(self) -> str:
        return "an" if self.noun[0].lower() in "aeio" else "a"

    def search(self, queryset: QuerySet, q: str) -> QuerySet:
        if not q:
            return queryset
        matches = Q()
        for field in self.search_fields:
            matches |= Q(**{f"{field}__icontains": q})
        return queryset.filter(matches)

    def initial_for(self, instance) -> dict:
        """The form's fields as the record holds them (a relation by its id)."""
        initial = {}
        for name in self.form.base_fields:
            field = self.model._meta.get_field(name)
            initial[name] = getattr(instance, field.attname)
        return initial


def _hub_or_dash(row) -> str:
    return row.hub.name if row.hub_id else "–"


REGISTERS = {r.slug: r for r in (
    Register(
        slug="areas", model=Area, policy=area_policy, form=forms.AreaForm, noun="area", plural="areas",
        intro="Areas group the localities, following the NHS health and care partnerships.",
        search_label="Area name", search_fields=("name",),
        columns=(Column("Localities", lambda a: a.open_localities, numeric=True),),
        rows=lambda: Area.objects.annotate(open_localities=Count("localities", filter=Q(localities__archived_at__isnull=True))),
        label=lambda a: a.name, create=services.area_create, update=services.area_update, instance_arg="area"),
    Register(
        slug="localities", model=Locality, policy=locality_policy, form=forms.LocalityForm, noun="locality",
        plural="localities", intro="Localities are the county's districts. Teams, hubs, GP practices and "
                                   "postcode districts belong to one.",
        search_label="Locality name or former name", search_fields=("name", "former_names"),
        columns=(Column("Area", lambda loc: loc.area.name), Column("Former names", lambda loc: loc.former_names or "–"),
                 Column("Postcode districts", lambda loc: loc.district_count, numeric=True)),
        rows=lambda: Locality.objects.select_related("area").annotate(district_count=Count("postcode_districts")),
        label=lambda loc: loc.name, create=services.locality_create, update=services.locality_update, instance_arg="locality"),
    Register(
        slug="postcode-districts", model=PostcodeDistrict, policy=postcode_district_policy,
        form=forms.PostcodeDistrictForm, noun="postcode district", plural="postcode districts",
        intro="Each postcode district belongs to one locality: a referral for someone living there is routed "
              "to that locality's teams. Move a district when a boundary changes; its history keeps where it was.",
        search_label="Postcode district or locality", search_fields=("code", "locality__name"),
        columns=(Column("Locality", lambda d: d.locality.name),),
        rows=lambda: PostcodeDistrict.objects.select_related("locality"),
        label=lambda d: d.code, create=services.postcode_district_create, update=services.postcode_district_update,
        instance_arg="postcode_district", closable=False),
    Register(
        slug="hubs", model=Hub, policy=hub_policy, form=forms.HubForm, noun="hub", plural="hubs",
        intro="A hub is a cluster of GP practices serving 30,000 to 50,000 people; locality MDTs meet around them.",
        search_label="Hub or locality name", search_fields=("name", "locality__name"),
        columns=(Column("Locality", lambda h: h.locality.name),
                 Column("Population", lambda h: f"{h.population:,}" if h.population else "–", numeric=True),
                 Column("GP practices", lambda h: h.practice_count, numeric=True)),
        rows=lambda: Hub.objects.select_related("locality").annotate(
            practice_count=Count("gp_practices", filter=Q(gp_practices__archived_at__isnull=True))),
        label=lambda h: h.name, create=services.hub_create, update=services.hub_update, instance_arg="hub"),
    Register(
        slug="gp-practices", model=GPPractice, policy=gp_practice_policy, form=forms.GPPracticeForm,
        noun="GP practice", plural="GP practices",
        intro="GP practices by their ODS code. Each is in a locality and, usually, a hub.",
        search_label="Practice name or ODS code", search_fields=("name", "ods_code"),
        columns=(Column("ODS code", lambda p: p.ods_code), Column("Locality", lambda p: p.locality.name),
                 Column("Hub", _hub_or_dash)),
        rows=lambda: GPPractice.objects.select_related("locality", "hub"),
        label=lambda p: p.name, create=services.gp_practice_create, update=services.gp_practice_update, instance_arg="gp_practice"),
)}
