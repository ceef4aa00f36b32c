"""Access policies for the organisation (see ascm.core.policies)."""

from ascm.core.policies import Policy

from .models import Area, GPPractice, Hub, Locality, PostcodeDistrict, Team, TeamMembership


class ReferenceDataPolicy(Policy):
    """Organisation reference data every form uses (localities, practices, teams): any signed-in
    user may "read" it (look it up, through the API); "view" is the organisation pages' permission,
    and changing it needs the administrator's."""

    perms = {"read": ""}

    def user_may(self, user, action="view"):
        if action == "read":
            return bool(user and user.is_authenticated and user.is_active)
        return super().user_may(user, action)


class AreaPolicy(ReferenceDataPolicy):
    model = Area


class LocalityPolicy(ReferenceDataPolicy):
    model = Locality


class PostcodeDistrictPolicy(ReferenceDataPolicy):
    model = PostcodeDistrict


class HubPolicy(ReferenceDataPolicy):
    model = Hub


class GPPracticePolicy(ReferenceDataPolicy):
    model = GPPractice


class TeamPolicy(ReferenceDataPolicy):
    """Teams as organisation set-up. Looking into a team's work (its queue, its caseloads) is the
    reach of `teams_for_user`: administrators and county-wide roles all teams, managers and leads
    their localities' teams, practitioners their own."""

    model = Team

    def work_scope(self, user, queryset):
        from ascm.accounts.models import Role

        from .selectors import user_locality_ids, user_record_scope, user_team_ids

        if user.has_perm(self.permission("change")):
            return queryset
        scope = user_record_scope(user)
        if scope == Role.RecordScope.ALL:
            return queryset
        if scope == Role.RecordScope.LOCALITY:
            return queryset.filter(locality_id__in=user_locality_ids(user))
        if scope == Role.RecordScope.TEAM:
            return queryset.filter(pk__in=user_team_ids(user))
        return queryset.none()


class TeamMembershipPolicy(ReferenceDataPolicy):
    model = TeamMembership


area_policy = AreaPolicy()
locality_policy = LocalityPolicy()
postcode_district_policy = PostcodeDistrictPolicy()
hub_policy = HubPolicy()
gp_practice_policy = GPPracticePolicy()
team_policy = TeamPolicy()
team_membership_policy = TeamMembershipPolicy()
