"""Reads of the register of providers and care settings."""

from django.db.models import Count, Q, QuerySet

from .models import CareSetting, Provider


def care_settings_search(*, q: str = "", kind: str = "", locality=None, include_closed: bool = False) -> QuerySet[CareSetting]:
    """Settings by name, town, postcode or CQC ID; with their provider and locality (one query)."""
    settings = CareSetting.objects.select_related("provider", "locality").annotate(
        ward_count=Count("wards", filter=Q(wards__closed_on__isnull=True)))
    if not include_closed:
        settings = settings.open()
    if kind:
        settings = settings.filter(kind=kind)
    if locality is not None:
        settings = settings.filter(locality=locality)
    for word in (q or "").split():
        settings = settings.filter(Q(name__icontains=word) | Q(provider__name__icontains=word) | Q(town__icontains=word)
                                   | Q(postcode__istartswith=word) | Q(cqc_location_id__iexact=word))
    return settings.order_by("name", "pk")


def care_setting_detail(*, setting: CareSetting) -> dict:
    return {"wards": list(setting.wards.order_by("closed_on", "name")),
            "siblings": list(setting.provider.settings.exclude(pk=setting.pk).order_by("name")[:50])}


def providers_list(*, include_closed: bool = False) -> QuerySet[Provider]:
    providers = Provider.objects.annotate(setting_count=Count("settings", filter=Q(settings__closed_on__isnull=True)))
    return providers if include_closed else providers.open()
