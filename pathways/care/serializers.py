from rest_framework import serializers

from .models import Assessment, Episode, Review, SupportPlan
from .plans import MET_BY_CHOICES, REVIEW_OUTCOME_CHOICES


class EpisodeSerializer(serializers.ModelSerializer):
    outcome_label = serializers.CharField(read_only=True)

    class Meta:
        model = Episode
        fields = ["id", "client", "pathway", "team", "worker", "referral", "previous", "started_on", "planned_end_on",
                  "ended_on", "outcome", "outcome_label"]
        read_only_fields = ["previous", "planned_end_on", "ended_on", "outcome"]
        validators = []


class EpisodeCloseSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assessment
        fields = ["id", "kind", "client", "carer", "carer_name", "episode", "author", "status", "version", "answers",
                  "determination", "practitioner_agrees", "disagreement_reason", "submitted_at", "signed_off_by",
                  "signed_off_at", "return_comments", "supersedes", "last_saved_by", "created_at", "updated_at"]
        read_only_fields = [f for f in fields if f not in ("kind", "client", "carer", "carer_name", "episode")]


class AssessmentDraftSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version you last read: a save over a newer one is refused (409)")
    answers = serializers.DictField(help_text="Answers to merge into the draft, by question")


class AssessmentSubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    practitioner_agrees = serializers.BooleanField()
    disagreement_reason = serializers.CharField(required=False, allow_blank=True, default="")


class AssessmentReturnSerializer(serializers.Serializer):
    comments = serializers.CharField()


class PlanOutcomeSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=500)
    met_by = serializers.ChoiceField(choices=MET_BY_CHOICES)
    how = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class SupportPlanSerializer(serializers.ModelSerializer):
    outcomes = PlanOutcomeSerializer(many=True)

    class Meta:
        model = SupportPlan
        fields = ["id", "client", "episode", "assessment", "author", "starts_on", "ended_on", "outcomes", "contingency",
                  "created_at"]
        read_only_fields = ["author", "ended_on", "created_at"]
        extra_kwargs = {"starts_on": {"required": False}}


class ReviewSerializer(serializers.ModelSerializer):
    client = serializers.IntegerField(source="plan.client_id", read_only=True)

    class Meta:
        model = Review
        fields = ["id", "plan", "client", "due_on", "completed_on", "reviewer", "what_changed", "outcome"]
        read_only_fields = fields


class ReviewCompleteSerializer(serializers.Serializer):
    completed_on = serializers.DateField(required=False, allow_null=True, default=None)
    what_changed = serializers.CharField()
    outcome = serializers.ChoiceField(choices=REVIEW_OUTCOME_CHOICES)
    outcomes_achieved = serializers.ChoiceField(choices=[("fully", "Fully achieved"), ("partially", "Partially achieved"),
                                                         ("not", "Not achieved")], required=False, default="")
