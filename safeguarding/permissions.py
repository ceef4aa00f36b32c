"""Access to safeguarding records, the strictest in ASCM (see ascm.core.policies).

A concern is seen by the members of its locality's teams whose role there gives the safeguarding
permission (the safeguarding team and lead), and by people given access to that one concern by name
(django-guardian, with a reason: SafeguardingAccess). Everyone else gets 404 — the same answer as
for an id that does not exist. Breaking the glass on a person's record does not open them."""

from ascm.core.policies import Policy

from .models import AdultAtRisk, DecisionTarget, Enquiry, SafeguardingConcern


class ConcernPolicy(Policy):
    model = SafeguardingConcern
    perms = {"decide": "safeguarding.decide_safeguardingconcern", "grant": "safeguarding.grant_safeguardingaccess"}
    object_grants = True  # named people, one concern each
    hide_refusals = True  # everyone else: 404 on every safeguarding page and endpoint
    not_found = "Not found"

    def scope(self, user, queryset, action):
        localities = self.memberships_with("view", user=user).values("team__locality_id")
        return queryset.filter(locality_id__in=localities)

    def may_raise(self, user) -> bool:
        """Anyone whose work is with people may raise a concern; raising it does not let them see it."""
        return bool(user and user.is_authenticated and user.has_perm(self.permission("add")))


class SafeguardingTeamPolicy(ConcernPolicy):
    """The safeguarding team's own pages in the navigation: by permission only (someone given one
    concern reaches it from their notification, and costs no query on every page)."""

    object_grants = False


class AdultAtRiskPolicy(Policy):
    model = AdultAtRisk
    not_found = "Not found"

    def user_may(self, user, action="view"):
        return concern_policy.user_may(user, action) or bool(user and user.is_authenticated)

    def instances(self, user, action="view", queryset=None):
        queryset = AdultAtRisk.objects.all() if queryset is None else queryset
        return queryset.filter(concern__in=concern_policy.instances(user, "view"))


class EnquiryPolicy(Policy):
    """An enquiry is seen by whoever may see its concern (the team, and named people: its officer
    is named when allocated from outside the team)."""

    model = Enquiry
    hide_refusals = True
    not_found = "Not found"

    def user_may(self, user, action="view"):
        return concern_policy.user_may(user, "view")

    def instances(self, user, action="view", queryset=None):
        queryset = Enquiry.objects.all() if queryset is None else queryset
        return queryset.filter(adult__concern__in=concern_policy.instances(user, "view"))


class DolsPolicy(ConcernPolicy):
    """DoLS applications and authorisations follow safeguarding's restrictions for their details: the
    locality's safeguarding/DoLS team (the `safeguard` duty) and nobody else (404). Who decides is a
    permission of its own (`sign`), given by administrators to the roles that sign authorisations.
    The person's record shows everyone who may open it only the status and end date."""

    from .models_dols import LibertyApplication as model  # noqa: N813 - the policy's model

    perms = {"sign": "safeguarding.sign_libertyapplication"}
    object_grants = False


class DecisionTargetPolicy(Policy):
    model = DecisionTarget
    hide_refusals = True  # like every safeguarding URL


concern_policy = ConcernPolicy()
dols_policy = DolsPolicy("DoLS")
enquiry_policy = EnquiryPolicy()
safeguarding_team_policy = SafeguardingTeamPolicy("safeguarding team")
adult_at_risk_policy = AdultAtRiskPolicy()
decision_target_policy = DecisionTargetPolicy()
