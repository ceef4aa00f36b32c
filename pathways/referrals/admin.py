from django import forms
from django.contrib import admin, messages
from django.shortcuts import render
from django.urls import path

from ascm.organisation.models import Locality, TeamType
from clients.reference import PrimarySupportReason

from .models import FLAGS, Referral, ReferralSource, ResponseTarget, RoutingRule, Urgency
from .routing import localities_missing_team_type
from .services import referral_route_preview


class SampleReferralForm(forms.Form):
    age = forms.IntegerField(min_value=0, max_value=120, required=False)
    primary_support_reason = forms.ChoiceField(choices=PrimarySupportReason.choices, initial="unknown")
    flags = forms.MultipleChoiceField(choices=list(FLAGS.items()), required=False, widget=forms.CheckboxSelectMultiple)
    source = forms.ChoiceField(choices=ReferralSource.choices)
    urgency = forms.ChoiceField(choices=Urgency.choices, initial=Urgency.ROUTINE)
    locality = forms.ModelChoiceField(queryset=Locality.objects.current())


class RoutingRuleForm(forms.ModelForm):
    """Conditions as choices to tick, not JSON to type: each list holds codes the routing reads."""

    primary_support_reasons = forms.MultipleChoiceField(
        choices=PrimarySupportReason.choices, required=False, widget=forms.CheckboxSelectMultiple,
        label="Primary support reasons", help_text="Any of these (none ticked: any reason)")
    required_flags = forms.MultipleChoiceField(
        choices=list(FLAGS.items()), required=False, widget=forms.CheckboxSelectMultiple,
        label="Flags", help_text="All of these must be on the referral (none ticked: none needed)")
    sources = forms.MultipleChoiceField(choices=ReferralSource.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple, help_text="Any of these (none ticked: any)")
    urgencies = forms.MultipleChoiceField(choices=Urgency.choices, required=False, widget=forms.CheckboxSelectMultiple,
                                          help_text="Any of these (none ticked: any)")

    class Meta:
        model = RoutingRule
        fields = ["position", "name", "is_active", "min_age", "max_age", "primary_support_reasons", "required_flags",
                  "sources", "urgencies", "localities", "target_team_type", "target_pathway"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """Rules are tried in order; the first match wins. The decline count shows rules that send
    referrals where teams do not want them."""

    form = RoutingRuleForm

    list_display = ("position", "name", "is_active", "target_team_type", "target_pathway", "decline_count")
    list_display_links = ("name",)
    list_editable = ("position", "is_active")
    filter_horizontal = ("localities",)
    change_list_template = "admin/referrals/routingrule/change_list.html"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        rule = form.instance
        missing = localities_missing_team_type(rule.target_team_type, set(rule.localities.values_list("pk", flat=True)))
        if missing:
            messages.warning(request, f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} no "
                             f"{TeamType(rule.target_team_type).label} team: referrals this rule matches there "
                             "will go to Integrated Triage, with that reason shown.")

    def get_urls(self):
        return [path("test/", self.admin_site.admin_view(self.test_view), name="referrals_routingrule_test")] + super().get_urls()

    def test_view(self, request):
        """Try a sample referral against the rules as they are now."""
        form = SampleReferralForm(request.POST if request.method == "POST" else None)
        decision = None
        if request.method == "POST" and form.is_valid():
            decision = referral_route_preview(**form.cleaned_data)
        return render(request, "admin/referrals/routingrule/test.html", {
            **self.admin_site.each_context(request), "form": form, "decision": decision,
            "title": "Test a sample referral against the routing rules", "opts": self.model._meta,
        })

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResponseTarget)
class ResponseTargetAdmin(admin.ModelAdmin):
    list_display = ("urgency", "hours")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ("pk", "client", "status", "team", "urgency", "received_at")
    list_filter = ("status", "urgency", "locality")
    readonly_fields = [f.name for f in Referral._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
