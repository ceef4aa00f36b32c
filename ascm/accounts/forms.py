"""The administrator's forms for staff accounts and roles."""

from django import forms
from django.contrib.auth.password_validation import validate_password

from ascm.core.forms import GovukFormMixin

from .models import Role, User


def _direct_roles():
    return Role.objects.filter(is_team_role=False).select_related("group").order_by("group__name")


class UserSearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Name, username or email address", required=False, max_length=100)
    status = forms.ChoiceField(label="Show", required=False, choices=[
        ("active", "People who can sign in"), ("inactive", "Deactivated accounts"), ("all", "Everyone")])


class RoleSearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Role name, or something it may do", required=False, max_length=100,
                        help_text="For example, ‘approve’ finds the roles that approve care packages")


class UserDetailsForm(GovukFormMixin, forms.Form):
    username = forms.CharField(label="Username", max_length=150, help_text="What they sign in with: letters, digits and @ . + - _",
                               error_messages={"required": "Enter a username"})
    first_name = forms.CharField(label="First name", max_length=150, error_messages={"required": "Enter their first name"})
    last_name = forms.CharField(label="Last name", max_length=150, error_messages={"required": "Enter their last name"})
    email = forms.EmailField(label="Email address", required=False, error_messages={
        "invalid": "Enter an email address in the correct format, like name@example.com"})
    job_title = forms.CharField(label="Job title", max_length=120, required=False)
    roles = forms.ModelMultipleChoiceField(
        label="Roles held directly", queryset=_direct_roles(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Organisation-wide roles. Roles in a team (practitioner, team manager) come from the team's page.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].label_from_instance = lambda role: f"{role.name}: {role.description}" if role.description else role.name

    @classmethod
    def initial_for(cls, user: User) -> dict:
        return {"username": user.username, "first_name": user.first_name, "last_name": user.last_name,
                "email": user.email, "job_title": user.job_title,
                "roles": list(Role.objects.filter(group__user=user, is_team_role=False).values_list("pk", flat=True))}


class PasswordSetForm(GovukFormMixin, forms.Form):
    """Passwords are never sent back to the browser, so after an error they are typed again."""

    password1 = forms.CharField(label="New password", widget=forms.PasswordInput(), strip=False,
                                help_text="At least 12 characters; not a common password, and not like their name",
                                error_messages={"required": "Enter a new password"})
    password2 = forms.CharField(label="The new password again", widget=forms.PasswordInput(), strip=False,
                                error_messages={"required": "Enter the new password again"})

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords are not the same")
        elif first:
            try:
                validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class UserCreateForm(UserDetailsForm, PasswordSetForm):
    pass


class UserDeactivateForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label="Why can they no longer sign in?", max_length=250,
                             help_text="For example, 'Left the council on 30 November'. Kept with their account.",
                             error_messages={"required": "Enter why they can no longer sign in"})


class RoleForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Role name", max_length=150, error_messages={"required": "Enter the role's name"})
    description = forms.CharField(label="What the role is for", max_length=300, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    is_team_role = forms.TypedChoiceField(
        label="How is it held?", coerce=lambda v: v == "team", widget=forms.RadioSelect,
        choices=[("team", "Through a team membership (reaches that team's work)"),
                 ("direct", "By the person directly, across the organisation")],
        error_messages={"required": "Choose how the role is held"})
    record_scope = forms.ChoiceField(label="Whose records can they open?", widget=forms.RadioSelect,
                                     choices=Role.RecordScope.choices,
                                     error_messages={"required": "Choose whose records they can open"})
    permissions = forms.ModelMultipleChoiceField(
        label="What they may do", queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose from the list"})

    def __init__(self, *args, editing: bool = False, **kwargs):
        from django.contrib.auth.models import Permission

        from .selectors import PERMISSION_AREAS

        super().__init__(*args, **kwargs)
        self.fields["permissions"].queryset = Permission.objects.filter(content_type__app_label__in=list(PERMISSION_AREAS))
        if editing:  # how a role is held is fixed once people hold it
            del self.fields["is_team_role"]

    def areas(self):
        """The permission checkboxes grouped by area, each with whether it is ticked."""
        from .selectors import permission_plain, permissions_by_area

        chosen = {str(v) for v in (self["permissions"].value() or [])}
        return [(area, [(p, permission_plain(p), str(p.pk) in chosen) for p in perms]) for area, perms in permissions_by_area()]

    @classmethod
    def initial_for(cls, role: Role) -> dict:
        return {"name": role.name, "description": role.description, "record_scope": role.record_scope,
                "permissions": list(role.group.permissions.values_list("pk", flat=True))}
