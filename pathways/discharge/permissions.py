"""Access to discharge records (see ascm.core.policies): a stay belongs to the person, so it is in
reach when their record is (locality and team reach); discharge-hub staff hold a permission that
gives them the county. Alert rules are the administrators'."""

from ascm.core.policies import Policy
from clients.permissions import PersonRecordPolicy

from .models import AlertRule, Discharge

COUNTY = "discharge.see_county_discharge"


class DischargePolicy(PersonRecordPolicy):
    model = Discharge
    not_found = "No such discharge"

    def scope(self, user, queryset, action):
        if user.has_perm(COUNTY):
            return queryset
        return super().scope(user, queryset, action)

    def get(self, user, pk, action: str = "view", queryset=None):
        if self.user_may(user, action) and user.has_perm(COUNTY):
            from django.http import Http404

            queryset = self.base_queryset() if queryset is None else queryset
            found = queryset.filter(pk=pk).first() if str(pk).isdigit() else None
            if found is None:
                raise Http404(self.not_found)
            return found
        return super().get(user, pk, action, queryset)


class AlertRulePolicy(Policy):
    model = AlertRule


discharge_policy = DischargePolicy()
alert_rule_policy = AlertRulePolicy()
