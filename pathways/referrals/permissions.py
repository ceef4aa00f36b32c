"""Access policies for the front door (see ascm.core.policies)."""

from django.db.models import Q

from ascm.core.policies import Policy

from .models import Referral, ResponseTarget, RoutingRule


class ReferralPolicy(Policy):
    """Referrals held by (or linked to) teams whose work the user may look into, those waiting for
    routing in those teams' localities, and those the user took."""

    model = Referral
    perms = {"allocate": "referrals.allocate_referral"}
    not_found = "No such referral"

    def scope(self, user, queryset, action):
        from ascm.organisation.selectors import teams_for_user

        teams = list(teams_for_user(user=user).values_list("pk", "locality_id"))
        team_ids = [pk for pk, _ in teams]
        locality_ids = {locality for _, locality in teams}
        return queryset.filter(
            Q(team_id__in=team_ids) | Q(safeguarding_team_id__in=team_ids)
            | Q(team__isnull=True, locality_id__in=locality_ids) | Q(created_by=user))


class RoutingRulePolicy(Policy):
    """Routing rules: practitioners read them (to see why a referral went where it did); the
    administrator sets them."""

    model = RoutingRule
    perms = {"read": ""}

    def user_may(self, user, action="view"):
        if action == "read":
            return bool(user and user.is_authenticated and user.is_active)
        return super().user_may(user, action)


class ResponseTargetPolicy(Policy):
    model = ResponseTarget


referral_policy = ReferralPolicy()
routing_rule_policy = RoutingRulePolicy()
response_target_policy = ResponseTargetPolicy()
