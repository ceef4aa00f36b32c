import factory

from ascm.providers.models import CareSetting, Provider, Ward


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Synthetic Care Provider {n}")
    kind = Provider.Kind.INDEPENDENT


class CareSettingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareSetting

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Synthetic House {n}")
    kind = CareSetting.Kind.CARE_HOME
    cqc_location_id = factory.Sequence(lambda n: f"1-99911{n:05d}")
    postcode = "CT1 1AA"


class HospitalFactory(CareSettingFactory):
    kind = CareSetting.Kind.HOSPITAL
    cqc_location_id = ""
    name = factory.Sequence(lambda n: f"Synthetic Hospital {n}")


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    setting = factory.SubFactory(HospitalFactory)
    name = factory.Sequence(lambda n: f"Ward {n}")
