from django import forms

from ascm.core.forms import GovukDateField, GovukFormMixin
from pathways.referrals.models import Pathway

from .plans import MET_BY, REVIEW_OUTCOMES


class EpisodeStartForm(GovukFormMixin, forms.Form):
    pathway = forms.ChoiceField(choices=[("", "Choose a pathway")] + list(Pathway.choices),
                                error_messages={"required": "Choose a pathway"})
    started_on = GovukDateField(label="Start date", label_name="start date", required=False,
                                help_text="Leave blank to start today")


class EpisodeCloseForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(choices=(), widget=forms.RadioSelect, error_messages={"required": "Choose the outcome of the episode"})
    ended_on = GovukDateField(label="End date", label_name="end date", required=False, help_text="Leave blank for today")

    def __init__(self, *args, pathway: str, **kwargs):
        super().__init__(*args, **kwargs)
        from .episodes import outcome_choices

        self.fields["outcome"].choices = outcome_choices(pathway)


# Assessments, plans and reviews ------------------------------------------------------------------

_YES_NO = [("yes", "Yes"), ("no", "No")]


def _to_choice(value) -> str:
    return {True: "yes", False: "no"}.get(value, "")


def _from_choice(value: str):
    return {"yes": True, "no": False}.get(value)


class AssessmentStartForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Which assessment?", widget=forms.RadioSelect,
                             choices=[("needs", "Care Act needs assessment"), ("carer", "Carer's assessment")],
                             error_messages={"required": "Choose which assessment to start"})
    episode = forms.ModelChoiceField(label="Pathway episode", queryset=None, required=False,
                                     empty_label="Not part of an episode")
    carer = forms.ModelChoiceField(label="The carer's own record", queryset=None, required=False,
                                   empty_label="They do not have a record", help_text="For a carer's assessment")
    carer_name = forms.CharField(label="The carer's name", required=False, max_length=200,
                                 help_text="For a carer's assessment, if they have no record of their own")

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        from clients.models import Client

        from .models import Episode

        self.fields["episode"].queryset = Episode.objects.filter(client=client, ended_on__isnull=True)
        self.fields["carer"].queryset = Client.objects.filter(
            related_to__client=client, related_to__is_carer=True, related_to__ended_on__isnull=True)

    def clean(self):
        data = super().clean()
        if data.get("kind") == "carer" and not data.get("carer") and not (data.get("carer_name") or "").strip():
            self.add_error("carer_name", "Name the carer, or choose their record")
        return data


class AssessmentSectionForm(GovukFormMixin, forms.Form):
    """One question page of an assessment. Nothing is required on a draft: the rules are checked when
    it is submitted. `answers()` gives what to store."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, assessment, section: str, **kwargs):
        from .assessments import assessment_outcomes, assessment_sections
        from .eligibility import UNABLE_REASONS

        answers = assessment.answers
        self.section = section
        self.questions = next(q for key, _, q in assessment_sections(assessment.kind) if key == section)
        self.outcomes = assessment_outcomes(assessment.kind) if section == "outcomes" else {}
        initial = {"version": assessment.version}
        super().__init__(*args, initial=initial, **kwargs)
        for key, label, kind, hint in self.questions:
            if kind == "yesno":
                self.fields[key] = forms.ChoiceField(label=label, choices=_YES_NO, widget=forms.RadioSelect,
                                                     required=False, help_text=hint)
                self.initial[key] = _to_choice(answers.get(key))
            else:
                self.fields[key] = forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 4}),
                                                   required=False, max_length=20000, help_text=hint)
                value = answers.get(key, "")
                self.initial[key] = "\n".join(value) if isinstance(value, list) else value
        given = answers.get("outcomes", {})
        for code in self.outcomes:
            answer = given.get(code, {})
            self.fields[f"{code}__unable"] = forms.ChoiceField(
                label="Is the person unable to achieve this?", widget=forms.RadioSelect, required=False,
                choices=[("yes", "Yes, unable to achieve it"), ("no", "No, able to achieve it")])
            self.fields[f"{code}__reason"] = forms.ChoiceField(
                label="Why (if unable)", widget=forms.RadioSelect, required=False, choices=list(UNABLE_REASONS.items()))
            self.fields[f"{code}__detail"] = forms.CharField(
                label="What happens, and the impact on the person", widget=forms.Textarea(attrs={"rows": 3}),
                required=False, max_length=20000)
            self.initial.update({f"{code}__unable": _to_choice(answer.get("unable")),
                                 f"{code}__reason": answer.get("reason", ""), f"{code}__detail": answer.get("detail", "")})

    def outcome_groups(self):
        """(outcome label, [bound fields]) for the outcomes page."""
        return [(label, [self[f"{code}__{part}"] for part in ("unable", "reason", "detail")])
                for code, label in self.outcomes.items()]

    def question_fields(self):
        return [self[key] for key, *_ in self.questions]

    def answers(self) -> dict:
        data = self.cleaned_data
        answers = {}
        for key, _, kind, _ in self.questions:
            answers[key] = _from_choice(data[key]) if kind == "yesno" else data[key]
        if self.outcomes:
            answers["outcomes"] = {code: {"unable": _from_choice(data[f"{code}__unable"]),
                                          "reason": data[f"{code}__reason"] if data[f"{code}__unable"] == "yes" else "",
                                          "detail": data[f"{code}__detail"]} for code in self.outcomes}
        return answers


class AssessmentSubmitForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    practitioner_agrees = forms.ChoiceField(
        label="Do you agree with this determination?", widget=forms.RadioSelect,
        choices=[("yes", "Yes, I agree"), ("no", "No, I disagree")],
        error_messages={"required": "Say whether you agree with the determination"})
    disagreement_reason = forms.CharField(label="Why you disagree", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                          help_text="Needed if you disagree")


class AssessmentReturnForm(GovukFormMixin, forms.Form):
    comments = forms.CharField(label="What needs to change", widget=forms.Textarea(attrs={"rows": 4}),
                               error_messages={"required": "Say what needs to change"})


class SupportPlanForm(GovukFormMixin, forms.Form):
    """The care and support plan. Outcomes are rows of (what the person wants, how it is met, how);
    "Add another outcome" adds a row without losing what is typed."""

    starts_on = GovukDateField(label="Plan start date", label_name="plan start date", required=False,
                               help_text="Leave blank to start today")
    episode = forms.ModelChoiceField(label="Pathway episode", queryset=None, required=False,
                                     empty_label="Not part of an episode")
    assessment = forms.ModelChoiceField(label="Based on the assessment", queryset=None, required=False,
                                        empty_label="No assessment")
    contingency = forms.CharField(label="Contingency plan", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="What happens if the plan breaks down, for example if a carer is ill")

    def __init__(self, *args, client, rows: int = 3, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Assessment, Episode

        self.rows = max(1, min(rows, 20))
        self.fields["episode"].queryset = Episode.objects.filter(client=client, ended_on__isnull=True)
        self.fields["assessment"].queryset = Assessment.objects.filter(client=client, status=Assessment.Status.SIGNED_OFF)
        for i in range(1, self.rows + 1):
            self.fields[f"outcome_{i}"] = forms.CharField(label=f"Outcome {i}: what the person wants to achieve",
                                                          required=False, max_length=500)
            self.fields[f"met_by_{i}"] = forms.ChoiceField(label=f"Outcome {i}: how it will be met", required=False,
                                                           choices=[("", "Choose")] + list(MET_BY.items()))
            self.fields[f"how_{i}"] = forms.CharField(label=f"Outcome {i}: who does what, and when", required=False,
                                                      widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
        self.fields["contingency"] = self.fields.pop("contingency")

    def outcome_rows(self):
        return [[self[f"{part}_{i}"] for part in ("outcome", "met_by", "how")] for i in range(1, self.rows + 1)]

    def clean(self):
        data = super().clean()
        outcomes = []
        for i in range(1, self.rows + 1):
            outcome, met_by, how = (data.get(f"{p}_{i}") or "" for p in ("outcome", "met_by", "how"))
            if not outcome.strip():
                if met_by or how.strip():
                    self.add_error(f"outcome_{i}", f"Describe outcome {i}, or clear its other answers")
                continue
            if not met_by:
                self.add_error(f"met_by_{i}", f"Say how outcome {i} will be met")
            outcomes.append({"outcome": outcome.strip(), "met_by": met_by, "how": how.strip()})
        if not outcomes and not self.errors:
            self.add_error("outcome_1", "Add at least one outcome the person wants")
        data["outcomes"] = outcomes
        return data


class ReviewForm(GovukFormMixin, forms.Form):
    completed_on = GovukDateField(label="Date of the review", label_name="date of the review", required=False,
                                  help_text="Leave blank for today")
    what_changed = forms.CharField(label="What has changed since the plan started or was last reviewed",
                                   widget=forms.Textarea(attrs={"rows": 5}),
                                   error_messages={"required": "Say what has changed, or that nothing has"})
    outcome = forms.ChoiceField(label="What the review leads to", widget=forms.RadioSelect,
                                choices=list(REVIEW_OUTCOMES.items()),
                                error_messages={"required": "Choose what the review leads to"})
    outcomes_achieved = forms.ChoiceField(label="How far were the plan's outcomes achieved?", widget=forms.RadioSelect,
                                          choices=[("fully", "Fully achieved"), ("partially", "Partially achieved"),
                                                   ("not", "Not achieved")],
                                          error_messages={"required": "Choose how far the plan's outcomes were achieved"})
