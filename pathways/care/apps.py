from django.apps import AppConfig


class CareConfig(AppConfig):
    """Care: pathway episodes and their transitions, pathway settings, assessments and eligibility,
    care and support plans, reviews, the work page and its reminders."""

    name = "pathways.care"
    label = "care"
    verbose_name = "Episodes, assessments, plans and reviews"

    def ready(self):
        from ascm.performance.extensions import measures_contribute

        from .performance import measures as performance_measures

        measures_contribute(performance_measures())
        from django.urls import reverse

        from clients.extensions import CareEventSource, care_event_sources

        care_event_sources.contribute("care-assessments", CareEventSource(
            "care.assessment", "the assessment", lambda ids: {i: reverse("care:assessment", args=[i]) for i in ids}))
        care_event_sources.contribute("care-reviews", CareEventSource(
            "care.review", "the review's plan", _review_plan_urls))
        from ascm.accounts import roles
        from ascm.accounts.extensions import NavEntry, RolePermissions, navigation, role_permissions
        from ascm.core.extensions import DemoData, SyntheticData, demo_data, synthetic_data
        from clients.extensions import MergeHandler, RecordPanel, merge_handlers, record_panels
        from clients.permissions import client_policy
        from pathways.referrals.extensions import OpenWork, open_work

        from . import audit_registry  # noqa: F401 - audit registration
        from .demo import demo_pathway_work
        from .permissions import assessment_policy, episode_policy
        from .selectors import (
            CARE_RECORD_PARTS,
            care_panel,
            care_record_holds,
            open_episode_work,
            pathway_journey_holds,
            pathway_journey_panel,
        )
        from .services import care_merge
        from .synthetic import care_events_generate, care_generate

        navigation.contribute("work", NavEntry(10, "Your work", "care:work", client_policy))
        from ascm.organisation.extensions import SetupLink, setup_links

        from .permissions import pathway_setting_policy, reminder_threshold_policy

        setup_links.contribute("care-pathways", SetupLink(42, "Pathway settings (planned episode lengths)",
                                                          "care:pathway-settings", pathway_setting_policy, action="change"))
        setup_links.contribute("care-reminders", SetupLink(43, "Reminder thresholds", "care:reminder-thresholds",
                                                           reminder_threshold_policy, action="change"))
        record_panels.contribute("pathway-journey", RecordPanel(
            order=10, title="Pathway journey", template="pathways/_journey_panel.html", context=pathway_journey_panel,
            policy=episode_policy, holds=pathway_journey_holds))
        record_panels.contribute("care", RecordPanel(
            order=20, title="Assessments and plans", template="pathways/_care_panel.html", context=care_panel,
            policy=assessment_policy, holds=care_record_holds, parts=CARE_RECORD_PARTS))
        open_work.contribute("open-episode", OpenWork(order=10, find=open_episode_work))
        merge_handlers.contribute("care", MergeHandler(order=20, move=care_merge))
        demo_data.contribute("care", DemoData(20, demo_pathway_work))
        synthetic_data.contribute("care", SyntheticData(40, "care", care_generate))
        synthetic_data.contribute("care-events", SyntheticData(41, "assessment and review events",
                                                              care_events_generate))
        work = ("care.view_episode", "care.add_episode", "care.change_episode",
                "care.view_assessment", "care.add_assessment", "care.change_assessment",
                "care.view_supportplan", "care.add_supportplan", "care.change_supportplan",
                "care.view_review", "care.change_review")
        role_permissions.contribute("care:casework", RolePermissions(roles.CASEWORK, work))
        role_permissions.contribute("care:manager", RolePermissions(roles.MANAGE, ("care.sign_off_assessment",)))
        role_permissions.contribute("care:admin", RolePermissions(roles.SET_UP, (
            "care.add_pathwaysetting", "care.change_pathwaysetting", "care.view_pathwaysetting",
            "care.add_reminderthreshold", "care.view_reminderthreshold")))


def _review_plan_urls(ids) -> dict:
    from django.urls import reverse

    from .models import Review

    return {pk: reverse("care:plan", args=[plan]) for pk, plan in Review.objects.filter(pk__in=ids).values_list("pk", "plan_id")}
