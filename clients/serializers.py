from rest_framework import serializers

from ascm.organisation.models import GPPractice, Locality

from .models import CaseNote, Client, ClientAsset, Relationship
from .reference import SafetyFlag


class ClientSearchResultSerializer(serializers.ModelSerializer):
    """Just enough to identify a person: what search returns."""

    nhs_number = serializers.CharField(source="nhs_number_masked")
    locality = serializers.CharField(source="locality.name", default=None)
    lifespan_band = serializers.CharField()
    in_reach = serializers.BooleanField(default=False, help_text="Whether you may open the full record")

    class Meta:
        model = Client
        fields = ["id", "given_name", "family_name", "preferred_name", "date_of_birth", "postcode", "nhs_number",
                  "locality", "lifespan_band", "in_reach"]


class ClientSerializer(serializers.ModelSerializer):
    gp_practice = serializers.SlugRelatedField(slug_field="ods_code", queryset=GPPractice.objects.filter(archived_at__isnull=True),
                                               required=False, allow_null=True)
    locality = serializers.PrimaryKeyRelatedField(queryset=Locality.objects.all(), required=False, allow_null=True)
    safety_flags = serializers.ListField(child=serializers.ChoiceField(choices=SafetyFlag.choices), required=False)
    lifespan_band = serializers.CharField(read_only=True)
    preparing_for_adulthood = serializers.BooleanField(read_only=True)
    nhs_number = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=14)
    team = serializers.IntegerField(write_only=True, required=False, help_text="The team that holds the person (yours by default)")
    version = serializers.IntegerField(required=False, help_text=(
        "On update: the version you read. A save over someone else's newer change is refused with 409 and the "
        "current record; leave it out to save regardless."))
    confirm_not_duplicate = serializers.BooleanField(write_only=True, required=False, default=False,
                                                     help_text="Set after checking the likely duplicates a 400 listed")

    class Meta:
        model = Client
        fields = [
            "id", "legacy_id", "nhs_number", "title", "given_name", "family_name", "preferred_name", "date_of_birth",
            "date_of_death", "gender", "ethnicity", "main_language", "interpreter_needed", "communication_needs",
            "address_line_1", "address_line_2", "town", "postcode", "locality", "locality_overridden", "gp_practice",
            "primary_support_reason", "accommodation_status", "employment_status", "consent_to_share", "consent_recorded_on", "safety_flags", "safety_detail",
            "lifespan_band", "preparing_for_adulthood", "merged_into", "archived_at", "created_at", "team",
            "confirm_not_duplicate", "version",
        ]
        read_only_fields = ["consent_recorded_on", "merged_into", "archived_at", "created_at", "locality_overridden"]
        validators = []  # services report clashes (duplicate NHS number) with the existing record


class CaseNoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_full_name", read_only=True)
    amendments = serializers.SerializerMethodField()

    class Meta:
        model = CaseNote
        fields = ["id", "note_type", "occurred_at", "text", "author", "created_at", "amends", "amendments"]
        read_only_fields = ["author", "created_at", "amends"]

    def get_amendments(self, note) -> list[dict]:
        return [{"id": a.id, "text": a.text, "author": a.author.get_full_name(), "created_at": a.created_at}
                for a in note.amendments.all()]


class AmendmentSerializer(serializers.Serializer):
    text = serializers.CharField()


class RelationshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Relationship
        fields = ["id", "relationship_type", "related_client", "name", "phone", "email", "address", "is_carer",
                  "carer_assessment_right", "notes", "ended_on"]
        read_only_fields = ["ended_on"]


class ClientAssetSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClientAsset
        fields = ["id", "kind", "description", "network_kind", "contact", "ended_on"]
        read_only_fields = ["ended_on"]


class BreakGlassSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ReturnFileSerializer(serializers.ModelSerializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()

    class Meta:
        from .models import ReturnFile

        model = ReturnFile
        fields = ["id", "kind", "period_start", "period_end", "release", "status", "events_total", "events_done", "rows",
                  "problems", "sha256", "made_by", "created_at", "finished_at"]
        read_only_fields = ["kind", "release", "status", "events_total", "events_done", "rows", "problems", "sha256",
                            "made_by", "created_at", "finished_at"]


class ReturnProblemSerializer(serializers.Serializer):
    problem = serializers.CharField()
    label = serializers.CharField()
    event_reference = serializers.CharField()
    client = serializers.IntegerField(allow_null=True)
    fix_url = serializers.CharField(help_text="The page where it is put right")


class ReturnTableCellSerializer(serializers.Serializer):
    column = serializers.CharField()
    count = serializers.IntegerField()


class ReturnTableRowSerializer(serializers.Serializer):
    row = serializers.CharField()
    cells = ReturnTableCellSerializer(many=True)
    total = serializers.IntegerField()


class ReturnTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    about = serializers.CharField()
    counts = serializers.CharField(help_text="What one entry of the table is: requests, people, reviews, carers…")
    columns = serializers.ListField(child=serializers.CharField())
    rows = ReturnTableRowSerializer(many=True)
    totals = serializers.ListField(child=serializers.IntegerField())
    total = serializers.IntegerField()


class ReturnTableEntrySerializer(serializers.Serializer):
    table = serializers.CharField()
    row = serializers.CharField()
    column = serializers.CharField()
    client = serializers.IntegerField(source="client_id")
    event_reference = serializers.CharField()
