"""Access policies for the register (see ascm.core.policies): everyone signed in looks settings up
(to record where a person lives, where abuse happened, which hospital a discharge is from); the
register's pages and changes are the administrator's."""

from ascm.organisation.permissions import ReferenceDataPolicy

from .models import CareSetting, Provider, ProviderImport, Ward


class ProviderPolicy(ReferenceDataPolicy):
    model = Provider
    perms = {"import": "providers.import_provider"}


class CareSettingPolicy(ReferenceDataPolicy):
    model = CareSetting
    perms = {"import": "providers.import_provider"}


class WardPolicy(ReferenceDataPolicy):
    model = Ward


class ProviderImportPolicy(ReferenceDataPolicy):
    model = ProviderImport
    perms = {"view": "providers.import_provider", "add": "providers.import_provider"}


provider_policy = ProviderPolicy()
care_setting_policy = CareSettingPolicy()
ward_policy = WardPolicy()
provider_import_policy = ProviderImportPolicy()
