"""Access policies for locality MDTs and the caseload review (see ascm.core.policies)."""

from ascm.core.policies import Policy

from .models import Action, AgendaItem, Attendee, CaseloadWeight, Meeting


class MeetingPolicy(Policy):
    """Meetings of the localities the user works in (partners have no accounts, so no access). A
    person's part of the pack is for the meeting's own (organiser, chair, staff attendees) or for
    staff whose role already reaches that person's record."""

    model = Meeting
    perms = {"add_attendee": "mdt.add_attendee"}
    not_found = "No such meeting"

    def scope(self, user, queryset, action):
        from ascm.organisation.selectors import user_locality_ids

        return queryset.filter(locality_id__in=user_locality_ids(user))


class AgendaItemPolicy(Policy):
    model = AgendaItem
    not_found = "No such agenda item"

    def scope(self, user, queryset, action):
        return queryset.filter(meeting__in=meeting_policy.instances(user))


class ActionPolicy(Policy):
    model = Action
    not_found = "No such action"

    def scope(self, user, queryset, action):
        return queryset.filter(agenda_item__meeting__in=meeting_policy.instances(user))


class AttendeePolicy(Policy):
    model = Attendee


class CaseloadWeightPolicy(Policy):
    model = CaseloadWeight


class CaseloadReviewPolicy(Policy):
    """A team's caseload review: for the teams in which the user's role gives the review (a team
    manager, or any role an administrator gives it)."""

    perms = {"view": "mdt.view_caseload_review", "reallocate": "mdt.reallocate_caseload"}
    not_found = "No such team"

    def base_queryset(self):
        from ascm.organisation.models import Team

        return Team.objects.select_related("locality")

    def scope(self, user, queryset, action):
        return queryset.filter(pk__in=self.memberships_with("view", user=user).values("team"))


meeting_policy = MeetingPolicy()
agenda_item_policy = AgendaItemPolicy()
action_policy = ActionPolicy()
attendee_policy = AttendeePolicy()
caseload_weight_policy = CaseloadWeightPolicy()
caseload_review_policy = CaseloadReviewPolicy()
