"""One set of pages for every organisation register (see registers.py): find, add, change, close
with a reason, reopen. Each view asks the register's policy."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from ascm.core.forms import form_page
from ascm.core.policies import policy_required
from ascm.core.templatetags.links import link_for

from . import services
from .forms import CloseForm, ConfirmForm, RegisterSearchForm
from .permissions import locality_policy
from .registers import REGISTERS


def _register(slug: str, user, action: str):
    register = REGISTERS.get(slug)
    if register is None:
        raise Http404
    if not register.policy.user_may(user, action):
        raise PermissionDenied
    return register


def _url(register, page: str, *args) -> str:
    return reverse(f"organisation:{register.slug}-{page}", args=args)


def _context(register, request, **extra) -> dict:
    return {"register": register, "may_change": register.policy.user_may(request.user, "change"),
            "list_url": _url(register, "list"), **extra}


@policy_required(locality_policy, "view")
def register_list(request, register: str):
    register = _register(register, request.user, "view")
    search = RegisterSearchForm(request.GET or None)
    search.fields["q"].label = register.search_label
    data = search.cleaned_data if search.is_valid() else {}
    # In the model's order (an annotated count would drop it), the same order on every page.
    rows = register.search(register.rows(), data.get("q", "").strip()).order_by(*register.model._meta.ordering, "pk")
    status = data.get("status") or "open"
    if register.closable and status != "all":
        rows = rows.filter(archived_at__isnull=(status == "open"))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    table = [(row, register.label(row), link_for(f"organisation:{register.slug}-edit", row.pk),
              [(column.value(row), column.numeric) for column in register.columns]) for row in page]
    return render(request, "organisation/register_list.html", _context(
        register, request, search=search, page=page, table=table, query=query.urlencode(),
        add_url=_url(register, "create")))


@policy_required(locality_policy, "view")
def register_create(request, register: str):
    register = _register(register, request.user, "add")
    return form_page(request, form=register.form(request.POST or None), act=lambda f: register.create(**f.cleaned_data),
                     template="organisation/register_form.html", context=_context(register, request, record=None),
                     done=lambda saved: f"{register.noun[0].upper()}{register.noun[1:]} ‘{register.label(saved)}’ added",
                     to=lambda saved: _url(register, "list"))


@policy_required(locality_policy, "view")
def register_edit(request, register: str, pk: int):
    register = _register(register, request.user, "change")
    record = get_object_or_404(register.model, pk=pk)
    form = register.form(request.POST or None, initial=register.initial_for(record))
    return form_page(request, form=form, act=lambda f: register.update(**{register.instance_arg: record}, **f.cleaned_data),
                     template="organisation/register_form.html", context=_context(
                         register, request, record=record, label=register.label(record),
                         close_url=_url(register, "close", pk) if register.closable else None),
                     done=lambda saved: f"‘{register.label(saved)}’ saved", to=lambda saved: _url(register, "list"))


@policy_required(locality_policy, "view")
def register_close(request, register: str, pk: int):
    register = _register(register, request.user, "change")
    if not register.closable:
        raise Http404
    record = get_object_or_404(register.model, pk=pk)
    if record.archived_at is not None:  # the page offers reopening instead
        act = lambda f: services.record_reopen(instance=record)  # noqa: E731
        form = ConfirmForm(request.POST if request.method == "POST" else None)
        done = lambda saved: f"‘{register.label(saved)}’ reopened"  # noqa: E731
    else:
        act = lambda f: services.record_archive(instance=record, reason=f.cleaned_data["reason"])  # noqa: E731
        form = CloseForm(request.POST or None)
        done = lambda saved: f"‘{register.label(saved)}’ closed"  # noqa: E731
    return form_page(request, form=form, act=act, template="organisation/register_close.html",
                     context=_context(register, request, record=record, label=register.label(record)),
                     done=done, to=lambda saved: _url(register, "list"), aliases={"__all__": "reason"})
