from rest_framework import serializers

from ascm.core.api import BlankAsNullChoiceField

from .models import (
    AlertRule,
    Attribution,
    DelayPeriod,
    Destination,
    Discharge,
    DischargeAlert,
    DischargePathway,
    LocalDelayCode,
    NhsDelayReason,
    PathwayChange,
    ReadyDateChange,
)


class ReadyDateChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReadyDateChange
        fields = ["ready_on", "reset", "reason", "changed_by", "changed_at"]


class PathwayChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PathwayChange
        fields = ["pathway", "reason", "changed_by", "changed_at"]


class DelayPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = DelayPeriod
        fields = ["starts_on", "reason", "code", "attribution", "note", "recorded_by"]


class DischargeAlertSerializer(serializers.ModelSerializer):
    class Meta:
        model = DischargeAlert
        fields = ["rule", "ready_on", "delayed_days", "raised_at", "closed_at", "close_reason"]


class DischargeSerializer(serializers.ModelSerializer):
    delayed_days = serializers.SerializerMethodField()
    planned_destination = BlankAsNullChoiceField(choices=Destination.choices)
    destination = BlankAsNullChoiceField(choices=Destination.choices)
    delay_reason = BlankAsNullChoiceField(choices=NhsDelayReason.choices)
    delay_code = BlankAsNullChoiceField(choices=LocalDelayCode.choices)
    attribution = BlankAsNullChoiceField(choices=Attribution.choices)
    ready_date_changes = ReadyDateChangeSerializer(many=True, read_only=True)
    pathway_changes = PathwayChangeSerializer(many=True, read_only=True)
    delay_periods = DelayPeriodSerializer(many=True, read_only=True)
    alerts = DischargeAlertSerializer(many=True, read_only=True)

    class Meta:
        model = Discharge
        fields = ["id", "reference", "client", "referral", "hospital", "ward", "locality", "team", "admitted_on",
                  "expected_on", "ready_on", "delayed_days", "pathway", "bridging_care", "planned_destination",
                  "planned_setting", "unpaid_carers", "delay_reason", "delay_code", "attribution", "next_action",
                  "next_action_on", "status", "discharged_on", "destination", "destination_setting", "discharge_note",
                  "ready_date_changes", "pathway_changes", "delay_periods", "alerts"]
        read_only_fields = ["reference", "locality", "team", "ready_on", "pathway", "bridging_care", "planned_destination",
                            "planned_setting", "unpaid_carers", "delay_reason", "delay_code", "attribution", "next_action",
                            "next_action_on", "status", "discharged_on", "destination", "destination_setting",
                            "discharge_note", "referral"]

    def get_delayed_days(self, obj) -> int:
        return obj.delayed_days()


class ReadyDateSerializer(serializers.Serializer):
    ready_on = serializers.DateField(allow_null=True, default=None)
    reset = serializers.BooleanField(default=False)
    reason = serializers.CharField(allow_blank=True, default="")


class PathwaySerializer(serializers.Serializer):
    pathway = serializers.ChoiceField(choices=DischargePathway.choices)
    reason = serializers.CharField(allow_blank=True, default="")


class DelaySerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=NhsDelayReason.choices)
    code = serializers.ChoiceField(choices=LocalDelayCode.choices)
    attribution = serializers.ChoiceField(choices=Attribution.choices)
    starts_on = serializers.DateField(allow_null=True, default=None)
    note = serializers.CharField(allow_blank=True, default="")


class PlanSerializer(serializers.Serializer):
    expected_on = serializers.DateField(allow_null=True, required=False)
    planned_destination = serializers.ChoiceField(choices=Destination.choices, allow_blank=True, required=False)
    planned_setting = serializers.PrimaryKeyRelatedField(queryset=Discharge._meta.get_field("planned_setting")
                                                         .related_model.objects.all(), allow_null=True, required=False)
    bridging_care = serializers.CharField(allow_blank=True, required=False)
    unpaid_carers = serializers.CharField(allow_blank=True, required=False)
    next_action = serializers.CharField(allow_blank=True, required=False, max_length=200)
    next_action_on = serializers.DateField(allow_null=True, required=False)


class CompleteSerializer(serializers.Serializer):
    discharged_on = serializers.DateField(allow_null=True, default=None)
    destination = serializers.ChoiceField(choices=Destination.choices)
    destination_setting = serializers.PrimaryKeyRelatedField(queryset=Discharge._meta.get_field("destination_setting")
                                                             .related_model.objects.all(), allow_null=True, default=None)
    note = serializers.CharField(allow_blank=True, default="")


class AlertRuleSerializer(serializers.ModelSerializer):
    attribution = serializers.ChoiceField(choices=Attribution.choices, allow_blank=True, required=False)

    class Meta:
        model = AlertRule
        fields = ["id", "name", "pathway", "attribution", "delayed_days", "recipient", "effective_from", "retired_on"]
        read_only_fields = ["retired_on"]
        extra_kwargs = {"effective_from": {"required": False}}


class PlaceSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
    people = serializers.IntegerField()
    days = serializers.IntegerField()
    new = serializers.IntegerField(help_text="Past their DRD since yesterday")
    longest = serializers.IntegerField()


class BarSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    people = serializers.IntegerField()
    days = serializers.IntegerField()


class TrendSerializer(serializers.Serializer):
    day = serializers.DateField()
    people = serializers.IntegerField()
    days = serializers.IntegerField()


class SummarySerializer(serializers.Serializer):
    today = serializers.DateField()
    people = serializers.IntegerField()
    days = serializers.IntegerField()
    new = serializers.IntegerField()
    hospitals = PlaceSerializer(many=True)
    localities = PlaceSerializer(many=True)
    by_reason = BarSerializer(many=True)
    by_attribution = BarSerializer(many=True)
    trend = TrendSerializer(many=True)


class MorningTimeSerializer(serializers.Serializer):
    hour = serializers.IntegerField(min_value=0, max_value=23)
    minute = serializers.IntegerField(min_value=0, max_value=59)
