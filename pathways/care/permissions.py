"""Access policies for care records (see ascm.core.policies). Assessments, plans, reviews and
episodes belong to a person: they are in reach when the person's record is."""

from ascm.core.policies import Policy
from clients.permissions import PersonRecordPolicy

from .models import Assessment, Episode, PathwaySetting, ReminderThreshold, Review, SupportPlan


class EpisodePolicy(PersonRecordPolicy):
    model = Episode


class AssessmentPolicy(PersonRecordPolicy):
    """Sign-off is a permission of its own: whoever holds it in the person's team is asked (never the
    author), whatever their role is called."""

    model = Assessment
    perms = {"sign_off": "care.sign_off_assessment"}

    def signers_for(self, assessment, *, exclude=None):
        """Who is asked to sign this assessment off: holders of sign-off in the person's teams."""
        from clients.models import Allocation

        teams = Allocation.objects.filter(client=assessment.client_id, ended_on__isnull=True).values("team")
        return self.users_with("sign_off", team_ids=teams, exclude=exclude)


class SupportPlanPolicy(PersonRecordPolicy):
    model = SupportPlan


class ReviewPolicy(PersonRecordPolicy):
    model = Review
    client_field = "plan__client"


class PathwaySettingPolicy(Policy):  # settings belong to no one: the administrator's
    model = PathwaySetting


class ReminderThresholdPolicy(Policy):
    model = ReminderThreshold
    perms = {"change": "care.add_reminderthreshold"}  # changing thresholds adds dated rows; none is altered


episode_policy = EpisodePolicy()
assessment_policy = AssessmentPolicy()
support_plan_policy = SupportPlanPolicy()
review_policy = ReviewPolicy()
pathway_setting_policy = PathwaySettingPolicy()
reminder_threshold_policy = ReminderThresholdPolicy()
