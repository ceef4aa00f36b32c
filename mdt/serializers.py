from rest_framework import serializers

from ascm.organisation.models import GPPractice, Hub, Locality

from .models import Action, AgendaItem, Attendee, Meeting


class AttendeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendee
        fields = ["id", "user", "name", "role", "organisation"]


class MeetingSerializer(serializers.ModelSerializer):
    attendees = AttendeeSerializer(many=True, read_only=True)
    every_weeks = serializers.IntegerField(write_only=True, required=False, default=0,
                                           help_text="0: one-off; 1–8: a recurring series")
    until = serializers.DateField(write_only=True, required=False, allow_null=True, default=None)
    locality = serializers.PrimaryKeyRelatedField(queryset=Locality.objects.all())
    gp_practice = serializers.PrimaryKeyRelatedField(queryset=GPPractice.objects.all(), required=False, allow_null=True)
    hub = serializers.PrimaryKeyRelatedField(queryset=Hub.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Meeting
        fields = ["id", "series", "locality", "title", "gp_practice", "hub", "starts_at", "status", "chair", "attendees",
                  "every_weeks", "until"]
        read_only_fields = ["series", "status", "chair"]


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "client", "reason", "ask", "consent_at_adding", "lawful_basis", "added_by",
                  "discussed_at", "summary", "decisions", "note", "withdrawn_at", "withdrawn_reason"]
        read_only_fields = ["consent_at_adding", "added_by", "discussed_at", "summary", "decisions", "note",
                            "withdrawn_at", "withdrawn_reason"]


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=250)


class DiscussionSerializer(serializers.Serializer):
    summary = serializers.CharField()
    decisions = serializers.CharField(required=False, allow_blank=True, default="")


class ActionSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = ["id", "agenda_item", "description", "owner", "owner_attendee", "due_on", "status", "completed_on",
                  "overdue"]
        read_only_fields = ["status", "completed_on"]
        extra_kwargs = {"due_on": {"required": False, "allow_null": True}}
        validators = []

    def get_overdue(self, action) -> bool:
        return action.is_overdue()


class ActionStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Action.Status.choices)


class AttendeeCreateSerializer(serializers.Serializer):
    user = serializers.IntegerField(required=False, allow_null=True, default=None)
    name = serializers.CharField(required=False, allow_blank=True, default="")
    role = serializers.CharField(required=False, allow_blank=True, default="")
    organisation = serializers.CharField(required=False, allow_blank=True, default="")


class CaseloadRowSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user.pk")
    name = serializers.CharField(source="user.get_full_name")
    allocated = serializers.IntegerField()
    weighted = serializers.DecimalField(max_digits=8, decimal_places=2)
    drafts = serializers.IntegerField()
    awaiting = serializers.IntegerField()
    reviews_overdue = serializers.IntegerField()
    actions_overdue = serializers.IntegerField()
    discussed = serializers.IntegerField()


class CaseloadSerializer(serializers.Serializer):
    team = serializers.IntegerField()
    oldest_unallocated_referral = serializers.DateTimeField(allow_null=True)
    practitioners = CaseloadRowSerializer(many=True)


class ReallocateSerializer(serializers.Serializer):
    client_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    to_worker = serializers.IntegerField()
    reason = serializers.CharField()
