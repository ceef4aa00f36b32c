"""Access to discharge records (see ascm.core.policies): a stay belongs to the person, so it is in
reach when their record is (locality and team reach); discharge-hub staff hold a permission that
gives them the county. Alert rules are the administrators'."""

from ascm.core.policies import Policy
from clients.permissions import CountyWidePersonRecordPolicy

from .models import AlertRule, Discharge

COUNTY = "discharge.see_county_discharge"


class DischargePolicy(CountyWidePersonRecordPolicy):
    model = Discharge
    county_perms = (COUNTY,)
    not_found = "No such discharge"


class AlertRulePolicy(Policy):
    model = AlertRule


discharge_policy = DischargePolicy()
alert_rule_policy = AlertRulePolicy()
