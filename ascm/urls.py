from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers
from rest_framework.routers import DefaultRouter

from ascm.accounts.apis import RoleViewSet, UserViewSet
from ascm.audit.apis import AuditEntryViewSet
from ascm.core import views
from ascm.core.policies import PUBLIC, SIGNED_IN, PolicyPermission, policy_declare
from ascm.notifications.apis import NotificationViewSet
from ascm.organisation import apis as organisation_apis
from ascm.performance import apis as performance_apis
from ascm.providers import apis as provider_apis
from clients import apis as client_apis
from finance import apis as finance_apis
from mdt import apis as mdt_apis
from mdt.weights import CaseloadWeightsAPI
from pathways.care import apis as care_apis
from pathways.care.settings import PathwaySettingsAPI, ReminderThresholdsAPI
from pathways.discharge import apis as discharge_apis
from pathways.referrals import apis as referral_apis
from pathways.referrals.targets import ResponseTargetsAPI
from safeguarding import apis as safeguarding_apis

admin.site.site_header = "ASCM administration"
admin.site.site_title = "ASCM administration"
admin.site.index_title = "Organisation set-up"

class IdRouter(DefaultRouter):
    """Ids in API paths are whole numbers: /api/v1/clients/abc/ is a plain 404, never a server error."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        lookup_field = getattr(viewset, "lookup_field", "pk")
        lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
        lookup_value = getattr(viewset, "lookup_value_regex", "[0-9]+")
        return f"(?P<{lookup_prefix}{lookup_url_kwarg}>{lookup_value})"


class PolicyAPIRootView(routers.APIRootView):
    """The API's index: for anyone signed in (each listed endpoint asks its own policy)."""

    permission_classes = [PolicyPermission]
    policy = SIGNED_IN


router = IdRouter()
router.APIRootView = PolicyAPIRootView
router.register("areas", organisation_apis.AreaViewSet)
router.register("localities", organisation_apis.LocalityViewSet)
router.register("postcode-districts", organisation_apis.PostcodeDistrictViewSet)
router.register("hubs", organisation_apis.HubViewSet)
router.register("gp-practices", organisation_apis.GPPracticeViewSet)
router.register("teams", organisation_apis.TeamViewSet)
router.register("team-memberships", organisation_apis.TeamMembershipViewSet)
router.register("providers", provider_apis.ProviderViewSet, basename="provider")
router.register("care-settings", provider_apis.CareSettingViewSet, basename="care-setting")
router.register("wards", provider_apis.WardViewSet, basename="ward")
router.register("roles", RoleViewSet)
router.register("users", UserViewSet)
router.register("audit-entries", AuditEntryViewSet)
router.register("clients", client_apis.ClientViewSet)
router.register("return-files", client_apis.ReturnFileViewSet, basename="return-file")
router.register("performance", performance_apis.PerformanceViewSet, basename="performance")
router.register("referrals", referral_apis.ReferralViewSet, basename="referral")
router.register("routing-rules", referral_apis.RoutingRuleViewSet)
router.register("episodes", care_apis.EpisodeViewSet, basename="episode")
router.register("assessments", care_apis.AssessmentViewSet, basename="assessment")
router.register("support-plans", care_apis.SupportPlanViewSet, basename="support-plan")
router.register("reviews", care_apis.ReviewViewSet, basename="review")
router.register("mdt-meetings", mdt_apis.MeetingViewSet, basename="mdt-meeting")
router.register("mdt-agenda-items", mdt_apis.AgendaItemViewSet, basename="mdt-agenda-item")
router.register("mdt-actions", mdt_apis.ActionViewSet, basename="mdt-action")
router.register("caseload-review", mdt_apis.CaseloadReviewViewSet, basename="caseload-review")
router.register("safeguarding-concerns", safeguarding_apis.SafeguardingConcernViewSet, basename="safeguarding-concern")
router.register("safeguarding-enquiries", safeguarding_apis.SafeguardingEnquiryViewSet, basename="safeguarding-enquiry")
router.register("safeguarding-returns", safeguarding_apis.SafeguardingReturnViewSet, basename="safeguarding-return")
router.register("discharges", discharge_apis.DischargeViewSet, basename="discharge")
router.register("discharge-alert-rules", discharge_apis.AlertRuleViewSet, basename="discharge-alert-rule")
router.register("discharge-summary", discharge_apis.DischargeSummaryViewSet, basename="discharge-summary")
router.register("dols-applications", safeguarding_apis.LibertyApplicationViewSet, basename="dols-application")
router.register("dols-backlog", safeguarding_apis.DolsBacklogViewSet, basename="dols-backlog")
router.register("dols-returns", safeguarding_apis.DolsReturnViewSet, basename="dols-return")
router.register("care-packages", finance_apis.CarePackageViewSet, basename="care-package")
router.register("package-lines", finance_apis.PackageLineViewSet, basename="package-line")
router.register("personal-budgets", finance_apis.PersonalBudgetViewSet, basename="personal-budget")
router.register("provider-rates", finance_apis.ProviderRateViewSet, basename="provider-rate")
router.register("approval-limits", finance_apis.ApprovalLimitViewSet, basename="approval-limit")
router.register("allocation-tables", finance_apis.AllocationTableViewSet, basename="allocation-table")
router.register("budgets", finance_apis.BudgetViewSet, basename="budget")
router.register("commitments", finance_apis.CommitmentsViewSet, basename="commitments")
router.register("finance-return", finance_apis.FinanceReturnViewSet, basename="finance-return")
router.register("financial-assessments", finance_apis.FinancialAssessmentViewSet, basename="financial-assessment")
router.register("charging-rates", finance_apis.ChargingRatesViewSet, basename="charging-rates")
router.register("pay-runs", finance_apis.PayRunViewSet, basename="pay-run")
router.register("service-actuals", finance_apis.ServiceActualViewSet, basename="service-actual")
router.register("client-invoices", finance_apis.ClientInvoiceViewSet, basename="client-invoice")
router.register("client-payments", finance_apis.ClientPaymentViewSet, basename="client-payment")
router.register("reassessments", finance_apis.ReassessmentViewSet, basename="reassessment")
router.register("direct-payments", finance_apis.DirectPaymentViewSet, basename="direct-payment")
router.register("notifications", NotificationViewSet, basename="notification")
router.register(r"clients/(?P<client_pk>\d+)/notes", client_apis.CaseNoteViewSet, basename="client-notes")
router.register(r"clients/(?P<client_pk>\d+)/relationships", client_apis.RelationshipViewSet, basename="client-relationships")
router.register(r"clients/(?P<client_pk>\d+)/strengths", client_apis.ClientAssetViewSet, basename="client-strengths")

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", policy_declare(views.LoginView.as_view(), PUBLIC), name="login"),
    path("sign-out/", policy_declare(auth_views.LogoutView.as_view(), PUBLIC), name="logout"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("account/", include("ascm.accounts.urls")),
    path("session/keepalive/", views.session_keepalive, name="session-keepalive"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("people/", include("clients.urls")),
    path("returns/", include("clients.return_urls")),
    path("performance/", include("ascm.performance.urls")),
    path("referrals/", include("pathways.referrals.urls")),
    path("", include("pathways.care.urls")),
    path("discharges/", include("pathways.discharge.urls")),
    path("mdt/", include("mdt.urls")),
    path("safeguarding/", include("safeguarding.urls")),
    path("finance/", include("finance.urls")),
    path("notifications/", include("ascm.notifications.urls")),
    path("organisation/users/", include("ascm.accounts.setup_urls")),
    path("organisation/roles/", include("ascm.accounts.role_urls")),
    path("organisation/", include("ascm.organisation.urls")),
    path("organisation/providers/", include("ascm.providers.urls")),
    path("audit/", include("ascm.audit.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/settings/response-targets/", ResponseTargetsAPI.as_view(), name="api-response-targets"),
    path("api/v1/settings/pathways/", PathwaySettingsAPI.as_view(), name="api-pathway-settings"),
    path("api/v1/settings/reminder-thresholds/", ReminderThresholdsAPI.as_view(), name="api-reminder-thresholds"),
    path("api/v1/settings/caseload-weights/", CaseloadWeightsAPI.as_view(), name="api-caseload-weights"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", policy_declare(login_not_required(SpectacularAPIView.as_view()), PUBLIC), name="api-schema"),
    path(
        "api/docs/",
        # Swagger UI sets a few inline styles; its scripts stay external (the "split" view).
        policy_declare(login_not_required(
            csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))
        ), PUBLIC),
        name="api-docs",
    ),
]
