"""A few synthetic providers for `make run` (made-up names, CQC IDs in a range no one holds)."""

from ascm.organisation.models import Locality

from .models import CareSetting, Provider
from .services import provider_create, setting_create, ward_add

DEMO = [
    ("Stour Valley Hospitals NHS Trust (demo)", Provider.Kind.NHS_TRUST, "", [
        ("Stour Valley Hospital", CareSetting.Kind.HOSPITAL, "", "Canterbury", "CT1 3ZZ", 420,
         [("Ward 7", "Elderly care"), ("Harbour Ward", "Stroke"), ("Discharge Lounge", "")]),
    ]),
    ("Orchard Care Group (demo)", Provider.Kind.INDEPENDENT, "1-999000100", [
        ("Orchard House", CareSetting.Kind.CARE_HOME, "1-999000101", "Canterbury", "CT2 9ZZ", 38, []),
        ("Beacon View Nursing Home", CareSetting.Kind.NURSING_HOME, "1-999000102", "Thanet", "CT9 9ZZ", 52, []),
    ]),
    ("Harbour Home Care (demo)", Provider.Kind.INDEPENDENT, "1-999000200", [
        ("Harbour Home Care, Canterbury branch", CareSetting.Kind.HOME_CARE, "1-999000201", "Canterbury", "CT1 9ZZ", None, []),
    ]),
    ("Riverside Community Trust (demo)", Provider.Kind.VOLUNTARY, "", [
        ("Riverside Day Centre", CareSetting.Kind.DAY_SERVICE, "", "Canterbury", "CT1 8ZZ", None, []),
        ("Good Neighbours befriending", CareSetting.Kind.VOLUNTARY, "", "Canterbury", "", None, []),
    ]),
]


def demo_register(users) -> None:
    if Provider.objects.filter(name__endswith="(demo)").exists():
        return
    localities = {loc.name: loc for loc in Locality.objects.all()}
    for name, kind, cqc, settings in DEMO:
        provider = provider_create(name=name, kind=kind, cqc_provider_id=cqc)
        for setting_name, setting_kind, location_id, locality, postcode, beds, wards in settings:
            setting = setting_create(provider=provider, name=setting_name, kind=setting_kind, cqc_location_id=location_id,
                                     locality=localities.get(locality), postcode=postcode, beds=beds)
            for ward, specialty in wards:
                ward_add(setting=setting, name=ward, specialty=specialty)
