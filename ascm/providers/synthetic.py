"""The synthetic county's register: hospitals with wards, and care homes, agencies and day services
in every locality (about Kent's numbers: some 500 care homes, 300 home care branches)."""

from ascm.core.synthetic import SyntheticRun
from ascm.organisation.models import Locality

from .models import CareSetting, Provider, Ward

WORDS = ["Oak", "Beech", "Meadow", "Harbour", "Cliff", "Orchard", "Willow", "Downs", "Marsh", "Weald", "Brook", "Hop"]


def register_generate(run: SyntheticRun) -> dict:
    rng = run.rng
    localities = list(Locality.objects.order_by("pk"))
    if not localities or Provider.objects.filter(name__startswith="Synthetic").exists():
        return {"care settings": CareSetting.objects.count()}
    scale = max(1, run.people // 250)  # 250,000 people: about 1,000 settings
    trust = Provider.objects.create(name="Synthetic Hospitals NHS Trust", kind=Provider.Kind.NHS_TRUST)
    hospitals = CareSetting.objects.bulk_create(
        CareSetting(provider=trust, name=f"Synthetic {loc.name} Hospital", kind=CareSetting.Kind.HOSPITAL,
                    locality=loc, beds=300) for loc in localities[: max(1, len(localities) // 2)])
    Ward.objects.bulk_create(Ward(setting=h, name=f"Ward {n}") for h in hospitals for n in range(1, 21))
    providers = Provider.objects.bulk_create(
        Provider(name=f"Synthetic {WORDS[i % len(WORDS)]} Care {i}", kind=Provider.Kind.INDEPENDENT,
                 cqc_provider_id=f"1-9990{i:06d}") for i in range(max(10, scale // 4)))
    kinds = [CareSetting.Kind.CARE_HOME, CareSetting.Kind.NURSING_HOME, CareSetting.Kind.HOME_CARE,
             CareSetting.Kind.DAY_SERVICE]
    settings = [CareSetting(provider=providers[i % len(providers)], name=f"{rng.choice(WORDS)} {WORDS[i % len(WORDS)]} House {i}",
                            kind=kinds[i % len(kinds)], locality=localities[i % len(localities)],
                            cqc_location_id=f"1-8880{i:06d}" if kinds[i % len(kinds)] != CareSetting.Kind.DAY_SERVICE else "",
                            beds=rng.randint(10, 80) if i % len(kinds) < 2 else None)
                for i in range(scale)]
    CareSetting.objects.bulk_create(settings, batch_size=1000)
    return {"care settings": CareSetting.objects.count(), "wards": Ward.objects.count()}
