from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "ascm.organisation"
    label = "organisation"
    verbose_name = "Organisation"

    def ready(self):
        from ascm.core.extensions import SyntheticData, synthetic_data

        from . import audit_registry  # noqa: F401 - audit registration
        from .synthetic import organisation_and_staff_generate

        synthetic_data.contribute("organisation", SyntheticData(10, "organisation and staff",
                                                                organisation_and_staff_generate))
