from rest_framework import serializers

from ascm.core.api import BlankAsNullChoiceField
from ascm.organisation.models import Locality, Team
from clients.models import Client

from .models import FLAGS, Pathway, Referral, ReferralEvent, RoutingRule


class ReferralEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.get_full_name", default=None)

    class Meta:
        model = ReferralEvent
        fields = ["kind", "detail", "by", "at"]


class ReferralSerializer(serializers.ModelSerializer):
    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.filter(archived_at__isnull=True))
    locality = serializers.PrimaryKeyRelatedField(queryset=Locality.objects.all(), required=False)
    team_name = serializers.CharField(source="team.name", read_only=True, default=None)
    events = ReferralEventSerializer(many=True, read_only=True)
    suggested_pathway = BlankAsNullChoiceField(Pathway.choices)
    outcome = BlankAsNullChoiceField(Referral.Outcome.choices)

    class Meta:
        model = Referral
        fields = [
            "id", "client", "locality", "source", "referrer_name", "referrer_organisation", "referrer_phone",
            "needs_in_persons_words", "needs_referrer", "urgency", *FLAGS.keys(), "ward", "admitted_on",
            "expected_discharge_on", "consent_given", "received_at", "status", "team", "team_name",
            "suggested_pathway", "routing_reason", "routed_at", "safeguarding_team", "linked_to", "link_reason",
            "allocated_to", "allocated_at", "outcome", "outcome_detail", "community_resource", "closed_at", "events",
        ]
        read_only_fields = [
            "status", "team", "suggested_pathway", "routing_reason", "routed_at", "safeguarding_team", "linked_to",
            "link_reason", "allocated_to", "allocated_at", "outcome", "outcome_detail", "community_resource", "closed_at",
        ]


class QueueEntrySerializer(serializers.ModelSerializer):
    """A referral as the team queue shows it: who, how urgent, and how long it has waited against the
    response target for its urgency."""

    client_name = serializers.CharField(source="client.__str__", read_only=True)
    waited_hours = serializers.IntegerField(read_only=True)
    target_hours = serializers.IntegerField(read_only=True, allow_null=True)
    breached = serializers.BooleanField(read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "client", "client_name", "urgency", "received_at", "status", "routing_reason", "link_reason",
                  *FLAGS.keys(), "waited_hours", "target_hours", "breached"]
        read_only_fields = fields


class QueuePageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Everyone waiting in the team's queue")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = QueueEntrySerializer(many=True)


class QueueQuerySerializer(serializers.Serializer):
    team = serializers.IntegerField(help_text="The team whose queue to read (one of yours)")
    page = serializers.IntegerField(min_value=1, required=False, default=1)


class PickNextSerializer(serializers.Serializer):
    team = serializers.IntegerField(help_text="Your team, whose most urgent and oldest referral you take")


class TriageOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Referral.Outcome.choices)
    detail = serializers.CharField(required=False, allow_blank=True, default="")
    community_resource = serializers.CharField(required=False, allow_blank=True, default="")


class AllocateSerializer(serializers.Serializer):
    worker = serializers.IntegerField(help_text="The practitioner's user id (yourself to pick it up)")


class RerouteSerializer(serializers.Serializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.filter(archived_at__isnull=True))
    pathway = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class RoutingRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoutingRule
        fields = ["id", "position", "name", "is_active", "min_age", "max_age", "primary_support_reasons",
                  "required_flags", "sources", "urgencies", "localities", "target_team_type", "target_pathway",
                  "decline_count"]
        read_only_fields = ["decline_count"]


class RuleOrderSerializer(serializers.Serializer):
    order = serializers.ListField(child=serializers.IntegerField(), help_text="Every routing rule's id, first to last")


class SampleReferralSerializer(serializers.Serializer):
    age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True, default=None)
    primary_support_reason = serializers.CharField(default="unknown")
    flags = serializers.ListField(child=serializers.ChoiceField(choices=list(FLAGS.items())), default=list)
    source = serializers.CharField(default="other")
    urgency = serializers.CharField(default="routine")
    locality = serializers.PrimaryKeyRelatedField(queryset=Locality.objects.all())
