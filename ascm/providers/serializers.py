from rest_framework import serializers

from .models import CareSetting, Provider, ProviderImport, Ward


class ProviderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Provider
        fields = ["id", "name", "kind", "cqc_provider_id", "ods_code", "phone", "email", "closed_on"]
        read_only_fields = ["closed_on"]


class WardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ward
        fields = ["id", "setting", "name", "specialty", "closed_on"]
        read_only_fields = ["closed_on"]


class CareSettingSerializer(serializers.ModelSerializer):
    wards = WardSerializer(many=True, read_only=True)

    class Meta:
        model = CareSetting
        fields = ["id", "provider", "name", "kind", "cqc_location_id", "address_line_1", "town", "postcode", "locality",
                  "phone", "beds", "closed_on", "wards"]
        read_only_fields = ["closed_on"]
        validators = []  # the service reports the CQC ID already held, per field


class CloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(required=False, allow_null=True, help_text="Today if not given")


class ImportSerializer(serializers.Serializer):
    filename = serializers.CharField(max_length=255, help_text="For the import's record, like register.csv")
    content = serializers.CharField(trim_whitespace=False, max_length=5_000_000,
                                    help_text="The CSV text: provider_name, setting_name, setting_type, …")


class ProviderImportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProviderImport
        fields = ["id", "filename", "created_at", "rows", "created", "updated", "unchanged", "rejected", "report"]
