from rest_framework import serializers

from ascm.core.api import BlankAsNullChoiceField
from clients.models import Client

from .models import AdultAtRisk, SafeguardingAccess, SafeguardingConcern


class AdultAtRiskSerializer(serializers.ModelSerializer):
    route = BlankAsNullChoiceField(choices=AdultAtRisk.Route.choices)
    outcome = BlankAsNullChoiceField(choices=AdultAtRisk.Outcome.choices)

    class Meta:
        model = AdultAtRisk
        fields = ["id", "client", "has_care_needs", "has_care_needs_reason", "at_risk", "at_risk_reason",
                  "unable_to_protect", "unable_to_protect_reason", "route", "outcome", "decided_by", "decided_at"]
        read_only_fields = fields


class SafeguardingConcernSerializer(serializers.ModelSerializer):
    clients = serializers.PrimaryKeyRelatedField(queryset=Client.objects.filter(archived_at__isnull=True), many=True,
                                                 write_only=True, help_text="The adult or adults at risk")
    adults = AdultAtRiskSerializer(many=True, read_only=True)
    decision_due_on = serializers.DateField(read_only=True)

    class Meta:
        model = SafeguardingConcern
        fields = ["id", "reference", "locality", "team", "source", "received_at", "raised_by_name",
                  "raised_by_organisation", "raised_by_contact", "what_happened", "immediate_action", "consent",
                  "consent_reason", "large_scale", "setting", "status", "clients", "adults", "decision_due_on"]
        read_only_fields = ["reference", "team", "source", "status"]
        # Blank answers reach the service, which reports every problem at once (field by field).
        extra_kwargs = {"locality": {"required": False}, "received_at": {"required": False},
                        "what_happened": {"allow_blank": True}, "raised_by_name": {"allow_blank": True}}


class DecisionSerializer(serializers.Serializer):
    adult = serializers.IntegerField(help_text="The adult at risk's id in this concern")
    has_care_needs = serializers.BooleanField(allow_null=True, default=None)
    has_care_needs_reason = serializers.CharField(allow_blank=True, default="")
    at_risk = serializers.BooleanField(allow_null=True, default=None)
    at_risk_reason = serializers.CharField(allow_blank=True, default="")
    unable_to_protect = serializers.BooleanField(allow_null=True, default=None)
    unable_to_protect_reason = serializers.CharField(allow_blank=True, default="")
    route = serializers.ChoiceField(choices=AdultAtRisk.Route.choices, required=False, allow_blank=True, default="")
    other_enquiry = serializers.BooleanField(default=False)


class AccessSerializer(serializers.ModelSerializer):
    class Meta:
        model = SafeguardingAccess
        fields = ["id", "user", "reason", "granted_by", "granted_at", "revoked_at", "revoke_reason"]
        read_only_fields = ["granted_by", "granted_at", "revoked_at", "revoke_reason"]
        validators = []


class RevokeSerializer(serializers.Serializer):
    access = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True, default="")
