"""The administrator's routing rules, in GOV.UK pages: the rules in order with a warning for any that
can never apply, moving a rule up or down, a form of choices for each rule, and the rule tester
beside the list. Practitioners may read the rules (to see why a referral went where it did)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ascm.core.forms import form_page
from ascm.core.policies import policy_required

from . import selectors, services
from .forms import RoutingRuleForm, SampleReferralForm
from .models import RoutingRule
from .permissions import routing_rule_policy


@policy_required(routing_rule_policy, "view")
def rule_list(request):
    """The rules, and the tester: a GET form, so trying a sample changes nothing and can be shared."""
    tester = SampleReferralForm(request.GET if "locality" in request.GET else None)
    preview = services.referral_route_preview(**tester.cleaned_data) if tester.is_bound and tester.is_valid() else None
    return render(request, "pathways/routing_rules.html", {
        "rows": selectors.routing_rules_overview(), "tester": tester, "preview": preview,
        "manages": routing_rule_policy.user_may(request.user, "change")})


def _rule_page(request, rule=None):
    def act(f):
        data = dict(f.cleaned_data)
        return services.routing_rule_save(rule=rule, localities=data.pop("localities"), **data)

    return form_page(request, form=RoutingRuleForm(request.POST or None, initial=RoutingRuleForm.initial_for(rule) if rule else None),
                     act=act, template="pathways/routing_rule_form.html", context={"rule": rule},
                     done=lambda r: f"Rule ‘{r.name}’ saved", to=lambda r: f"{reverse('referrals:rules')}#rule-{r.pk}")


@policy_required(routing_rule_policy, "add")
def rule_create(request):
    return _rule_page(request)


@policy_required(routing_rule_policy, "change")
def rule_edit(request, pk: int):
    return _rule_page(request, get_object_or_404(RoutingRule, pk=pk))


@require_POST
@policy_required(routing_rule_policy, "change")
def rule_move(request, pk: int, direction: str):
    if direction not in ("up", "down"):
        raise Http404("Up or down")
    rule = get_object_or_404(RoutingRule, pk=pk)
    services.routing_rule_move(rule=rule, by=-1 if direction == "up" else 1)
    messages.success(request, f"Rule ‘{rule.name}’ moved {direction}")
    return redirect(f"{reverse('referrals:rules')}#rule-{rule.pk}")
