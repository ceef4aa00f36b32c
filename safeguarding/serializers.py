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


class AddAdultSerializer(serializers.Serializer):
    nhs_number = serializers.CharField(allow_blank=True, default="")


class RevokeSerializer(serializers.Serializer):
    access = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True, default="")


# Enquiries ---------------------------------------------------------------------------------------

from ascm.accounts.models import User  # noqa: E402
from ascm.providers.models import CareSetting  # noqa: E402

from .models import (  # noqa: E402
    ActionResult,
    Allegation,
    Enquiry,
    PlanAction,
    RiskLocation,
    RiskOutcome,
    RiskSource,
    RiskType,
    StrategyMeeting,
)


class AllegationSerializer(serializers.ModelSerializer):
    action_result = BlankAsNullChoiceField(choices=ActionResult.choices)
    risk_outcome = BlankAsNullChoiceField(choices=RiskOutcome.choices)

    class Meta:
        model = Allegation
        fields = ["id", "risk_type", "location", "source", "source_client", "source_setting", "source_description",
                  "details", "action_result", "risk_outcome"]


class StrategyMeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = StrategyMeeting
        fields = ["id", "kind", "held_on", "attendees", "decisions"]


class PlanActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanAction
        fields = ["id", "action", "owner", "owner_name", "due_on", "done_on"]


class EnquirySerializer(serializers.ModelSerializer):
    client = serializers.IntegerField(source="adult.client_id", read_only=True)
    concern = serializers.IntegerField(source="adult.concern_id", read_only=True)
    allegations = AllegationSerializer(many=True, read_only=True)
    meetings = StrategyMeetingSerializer(many=True, read_only=True)
    actions = PlanActionSerializer(many=True, read_only=True)
    stage = serializers.CharField(read_only=True)
    outcomes_asked = BlankAsNullChoiceField(choices=Enquiry.OutcomesAsked.choices)
    capacity = BlankAsNullChoiceField(choices=Enquiry.Capacity.choices)
    support = BlankAsNullChoiceField(choices=Enquiry.Support.choices)
    outcomes_achieved = BlankAsNullChoiceField(choices=Enquiry.Achieved.choices)

    class Meta:
        model = Enquiry
        fields = ["id", "reference", "kind", "concern", "client", "officer", "started_on", "stage", "status",
                  "outcomes_asked", "desired_outcomes", "not_asked_reason", "capacity", "substantial_difficulty", "support",
                  "no_advocate_reason", "concluded_on", "outcomes_achieved", "referrer_feedback", "sar_referral",
                  "reopened_reason", "allegations", "meetings", "actions"]
        read_only_fields = fields


class OfficerSerializer(serializers.Serializer):
    officer = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))


class PersonalSerializer(serializers.Serializer):
    outcomes_asked = serializers.ChoiceField(choices=Enquiry.OutcomesAsked.choices, allow_blank=True, default="")
    desired_outcomes = serializers.CharField(allow_blank=True, default="")
    not_asked_reason = serializers.CharField(allow_blank=True, default="")
    capacity = serializers.ChoiceField(choices=Enquiry.Capacity.choices, allow_blank=True, default="")
    substantial_difficulty = serializers.BooleanField(allow_null=True, default=None)
    support = serializers.ChoiceField(choices=Enquiry.Support.choices, allow_blank=True, default="")
    no_advocate_reason = serializers.CharField(allow_blank=True, default="")


class AllegationAddSerializer(serializers.Serializer):
    risk_type = serializers.ChoiceField(choices=RiskType.choices, allow_blank=True, default="")
    location = serializers.ChoiceField(choices=RiskLocation.choices, allow_blank=True, default="")
    source = serializers.ChoiceField(choices=RiskSource.choices, allow_blank=True, default="")
    source_client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all(), allow_null=True, default=None)
    source_setting = serializers.PrimaryKeyRelatedField(queryset=CareSetting.objects.all(), allow_null=True, default=None)
    source_description = serializers.CharField(allow_blank=True, default="")
    details = serializers.CharField(allow_blank=True, default="")


class AllegationConcludeSerializer(serializers.Serializer):
    allegation = serializers.IntegerField()
    action_result = serializers.ChoiceField(choices=ActionResult.choices, allow_blank=True, default="")
    risk_outcome = serializers.ChoiceField(choices=RiskOutcome.choices, allow_blank=True, default="")


class MeetingAddSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=StrategyMeeting.Kind.choices, allow_blank=True, default="")
    held_on = serializers.DateField(allow_null=True, default=None)
    attendees = serializers.CharField(allow_blank=True, default="")
    decisions = serializers.CharField(allow_blank=True, default="")


class ActionAddSerializer(serializers.Serializer):
    action = serializers.CharField(allow_blank=True, default="")
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), allow_null=True, default=None)
    owner_name = serializers.CharField(allow_blank=True, default="")
    due_on = serializers.DateField(allow_null=True, default=None)


class ConcludeSerializer(serializers.Serializer):
    outcomes_achieved = serializers.ChoiceField(choices=Enquiry.Achieved.choices, allow_blank=True, default="")
    referrer_feedback = serializers.CharField(allow_blank=True, default="")
    sar_referral = serializers.BooleanField(allow_null=True, default=None)


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, default="")


class SacRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField(), help_text="The cases (or people) behind the figure")


class SacTableSerializer(serializers.Serializer):
    part = serializers.CharField()
    key = serializers.CharField()
    title = serializers.CharField()
    unit = serializers.CharField()
    total = serializers.IntegerField()
    rows = SacRowSerializer(many=True)


class SacMissingSerializer(serializers.Serializer):
    what = serializers.CharField()
    url = serializers.CharField()
    missing = serializers.ListField(child=serializers.CharField())


# Deprivation of Liberty Safeguards --------------------------------------------------------------

from .models_dols import (  # noqa: E402
    LibertyApplication,
    LibertyAssessment,
    LibertyAuthorisation,
    LibertyReview,
    UrgentAuthorisation,
)


class UrgentAuthorisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = UrgentAuthorisation
        fields = ["granted_on", "ends_on", "extended", "extension_reason"]


class LibertyAssessmentSerializer(serializers.ModelSerializer):
    outcome = BlankAsNullChoiceField(choices=LibertyAssessment.Outcome.choices)

    class Meta:
        model = LibertyAssessment
        fields = ["id", "kind", "assessor", "assessor_name", "assessor_role", "allocated_on", "completed_on", "outcome",
                  "equivalent_reference", "recommended_months"]


class LibertyReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = LibertyReview
        fields = ["reviewed_on", "requested_by", "outcome", "notes", "reviewed_by"]


class LibertyAuthorisationSerializer(serializers.ModelSerializer):
    reviews = LibertyReviewSerializer(many=True, read_only=True)

    class Meta:
        model = LibertyAuthorisation
        fields = ["id", "scheme", "starts_on", "ends_on", "conditions", "representative_name", "representative_kind",
                  "signatory", "status", "status_reason", "status_changed_on", "reviews"]


class LibertyApplicationSerializer(serializers.ModelSerializer):
    urgent = UrgentAuthorisationSerializer(read_only=True, allow_null=True)
    assessments = LibertyAssessmentSerializer(many=True, read_only=True)
    authorisation = LibertyAuthorisationSerializer(read_only=True, allow_null=True)
    deadline = serializers.DateField(read_only=True)
    days_in_breach = serializers.IntegerField(read_only=True)
    priority = BlankAsNullChoiceField(choices=LibertyApplication.Priority.choices)
    urgent_granted_on = serializers.DateField(write_only=True, required=False, allow_null=True)
    urgent_days = serializers.IntegerField(write_only=True, required=False, allow_null=True)

    class Meta:
        model = LibertyApplication
        fields = ["id", "reference", "scheme", "supervisory_body", "client", "managing_authority", "kind", "received_on",
                  "needed_from", "care_arrangements", "is_deprivation", "screening_reasoning", "priority", "priority_reason",
                  "status", "decided_on", "not_granted_reason", "withdrawn_on", "withdrawn_reason", "renewal_of", "deadline",
                  "days_in_breach", "urgent", "assessments", "authorisation", "urgent_granted_on", "urgent_days"]
        read_only_fields = ["reference", "scheme", "supervisory_body", "is_deprivation", "screening_reasoning",
                            "priority_reason", "status", "decided_on", "not_granted_reason", "withdrawn_on",
                            "withdrawn_reason", "renewal_of"]
        extra_kwargs = {"care_arrangements": {"allow_blank": True}}


class DolsScreenSerializer(serializers.Serializer):
    is_deprivation = serializers.BooleanField(allow_null=True, default=None)
    reasoning = serializers.CharField(allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=LibertyApplication.Priority.choices, allow_blank=True, default="")
    priority_reason = serializers.CharField(allow_blank=True, default="")


class DolsExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(default=0)
    reason = serializers.CharField(allow_blank=True, default="")


class DolsAssessmentSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LibertyAssessment.Kind.choices)
    assessor = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), allow_null=True, default=None)
    assessor_name = serializers.CharField(allow_blank=True, default="")
    assessor_role = serializers.CharField(allow_blank=True, default="")
    allocated_on = serializers.DateField(allow_null=True, default=None)
    completed_on = serializers.DateField(allow_null=True, default=None)
    outcome = serializers.ChoiceField(choices=LibertyAssessment.Outcome.choices, allow_blank=True, default="")
    equivalent_reference = serializers.CharField(allow_blank=True, default="")
    recommended_months = serializers.IntegerField(allow_null=True, default=None)


class DolsDecisionSerializer(serializers.Serializer):
    granted = serializers.BooleanField()
    starts_on = serializers.DateField(allow_null=True, default=None)
    ends_on = serializers.DateField(allow_null=True, default=None)
    conditions = serializers.CharField(allow_blank=True, default="")
    representative_name = serializers.CharField(allow_blank=True, default="")
    representative_kind = serializers.ChoiceField(choices=LibertyAuthorisation.Representative.choices, allow_blank=True,
                                                  default="")
    reason = serializers.CharField(allow_blank=True, default="")


class DolsStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=LibertyAuthorisation.Status.choices)
    reason = serializers.CharField(allow_blank=True, default="")


class DolsWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, default="")
    on = serializers.DateField(allow_null=True, default=None)


class DolsRenewalSerializer(serializers.Serializer):
    received_on = serializers.DateField(allow_null=True, default=None)
    care_arrangements = serializers.CharField(allow_blank=True, default="")


class DolsReviewSerializer(serializers.Serializer):
    reviewed_on = serializers.DateField(allow_null=True, default=None)
    requested_by = serializers.CharField(allow_blank=True, default="")
    outcome = serializers.ChoiceField(choices=LibertyReview.Outcome.choices, allow_blank=True, default="")
    conditions = serializers.CharField(allow_blank=True, default="")
    notes = serializers.CharField(allow_blank=True, default="")


class DolsFigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The figure's key: .../applications/?figure=<key> lists the applications behind it")
    label = serializers.CharField()
    count = serializers.IntegerField()


class DolsBacklogSerializer(serializers.Serializer):
    today = serializers.DateField()
    open_total = serializers.IntegerField()
    breaches = serializers.IntegerField()
    new_breaches = serializers.IntegerField()
    due_this_week = serializers.IntegerField()
    decided = serializers.IntegerField(help_text="Decisions in the last 12 months")
    average_days = serializers.IntegerField(allow_null=True, help_text="Average days from receipt to decision")
    standard_decided = serializers.IntegerField()
    standard_in_time = serializers.IntegerField()
    figures = DolsFigureSerializer(many=True, help_text="Open applications by priority and age, by age, in breach by priority")
    ending = serializers.ListField(child=serializers.IntegerField(), help_text="Applications whose authorisation ends within 28 days")


class DolsReturnRowSerializer(serializers.Serializer):
    person_reference = serializers.CharField()
    application_reference = serializers.CharField()
    managing_authority_type = serializers.CharField()
    received_date = serializers.DateField()
    request_type = serializers.CharField()
    renewal = serializers.CharField()
    statutory_deadline = serializers.DateField(allow_null=True)
    sign_off_date = serializers.DateField(allow_null=True)
    outcome = serializers.CharField()
    reason_not_granted = serializers.CharField(allow_blank=True)
    withdrawn_date = serializers.DateField(allow_null=True)
    authorisation_start = serializers.DateField(allow_null=True)
    authorisation_end = serializers.DateField(allow_null=True)
    days_to_sign_off = serializers.IntegerField(allow_null=True)


class DolsReturnRowsSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    has_next = serializers.BooleanField()
    results = DolsReturnRowSerializer(many=True)


class DolsReturnSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    figures = DolsFigureSerializer(many=True)
