"""The administrator's pages for staff accounts (under the Organisation area): find, create, change,
set a password, deactivate and reactivate. Nobody is deleted."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ascm.core.forms import form_page
from ascm.core.policies import policy_required

from . import selectors, services
from .forms import (
    PasswordSetForm,
    RoleForm,
    RoleSearchForm,
    UserCreateForm,
    UserDeactivateForm,
    UserDetailsForm,
    UserSearchForm,
)
from .models import Role, User
from .permissions import role_policy, user_policy


def _user(pk: int) -> User:
    return get_object_or_404(User.objects.exclude(username="AnonymousUser"), pk=pk)


@policy_required(user_policy, "view")
def user_list(request):
    search = UserSearchForm(request.GET or None)
    data = search.cleaned_data if search.is_valid() else {}
    users = selectors.users_for_setup(q=data.get("q", ""), status=data.get("status") or "active")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/user_list.html", {"search": search, "page": page, "query": query.urlencode()})


@policy_required(user_policy, "add")
def user_create(request):
    def act(f):
        data = dict(f.cleaned_data)
        data.pop("password2")
        return services.user_create(password=data.pop("password1"), **data)

    return form_page(request, form=UserCreateForm(request.POST or None), act=act, template="accounts/user_form.html",
                     context={"account": None}, to=_detail,
                     done=lambda u: f"Account created for {u}. Give them their password in person or by phone.")


def _detail(account) -> str:
    return reverse("users:detail", args=[account.pk])


@policy_required(user_policy, "view")
def user_detail(request, pk: int):
    account = _user(pk)
    return render(request, "accounts/user_detail.html", {"account": account, **selectors.user_setup_detail(user=account)})


@policy_required(user_policy, "change")
def user_edit(request, pk: int):
    account = _user(pk)
    form = UserDetailsForm(request.POST or None, initial=UserDetailsForm.initial_for(account))
    return form_page(request, form=form, act=lambda f: services.user_update(user=account, **f.cleaned_data),
                     template="accounts/user_form.html", context={"account": account}, to=_detail,
                     done=lambda u: f"{u}'s details saved")


@policy_required(user_policy, "change")
def user_password(request, pk: int):
    account = _user(pk)
    return form_page(request, form=PasswordSetForm(request.POST or None, user=account),
                     act=lambda f: services.user_reset_password(user=account, password=f.cleaned_data["password1"]),
                     template="accounts/user_password.html", context={"account": account}, to=_detail,
                     done=lambda u: f"New password set for {u}. They are signed out everywhere and use it next time.")


@policy_required(user_policy, "change")
def user_deactivate(request, pk: int):
    account = _user(pk)
    return form_page(request, form=UserDeactivateForm(request.POST or None),
                     act=lambda f: services.user_deactivate(user=account, reason=f.cleaned_data["reason"]),
                     template="accounts/user_deactivate.html", context={"account": account}, to=_detail,
                     done=lambda u: f"{u} can no longer sign in", aliases={"is_active": "reason", "roles": "reason"})


@require_POST
@policy_required(user_policy, "change")
def user_reactivate(request, pk: int):
    account = services.user_reactivate(user=_user(pk))
    messages.success(request, f"{account} can sign in again")
    return redirect("users:detail", pk=account.pk)


# Roles ---------------------------------------------------------------------------------------------

@policy_required(role_policy, "view")
def role_list(request):
    search = RoleSearchForm(request.GET or None)
    q = search.cleaned_data["q"].strip().lower() if search.is_valid() else ""
    roles = selectors.roles_for_setup()
    if q:  # by its name or by what it may do ("approve" finds who approves packages)
        roles = [r for r in roles if q in r["role"].name.lower()
                 or any(q in words.lower() for _, area in r["areas"] for words in area)]
    return render(request, "accounts/role_list.html", {"roles": roles, "search": search, "q": q})


def _role_page(request, *, role=None):
    form = RoleForm(request.POST or None, editing=role is not None,
                    initial=RoleForm.initial_for(role) if role else {"is_team_role": "team", "record_scope": "team"})

    def act(f):
        if role is None:
            return services.role_create(**f.cleaned_data)
        return services.role_update(role=role, **f.cleaned_data)

    return form_page(request, form=form, act=act, template="accounts/role_form.html", context={"role": role},
                     done=lambda r: f"Role ‘{r.name}’ saved", to=lambda r: f"{reverse('roles:list')}#role-{r.slug}")


@policy_required(role_policy, "add")
def role_create(request):
    return _role_page(request)


@policy_required(role_policy, "change")
def role_edit(request, pk: int):
    from .roles import DEFAULT_ROLES

    role = get_object_or_404(Role.objects.select_related("group").exclude(slug__in=list(DEFAULT_ROLES)), pk=pk)
    return _role_page(request, role=role)
