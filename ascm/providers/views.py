"""The register's pages: administrators set it up; everyone signed in may look it up."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ascm.core.csvfiles import FileRefused
from ascm.core.forms import form_add_service_errors
from ascm.core.policies import policy_required

from . import selectors, services
from .forms import CareSettingForm, CloseForm, ImportForm, ProviderForm, SettingFilterForm, WardForm
from .models import CareSetting, ProviderImport
from .permissions import care_setting_policy, provider_import_policy, provider_policy, ward_policy

PAGE = 200


@policy_required(care_setting_policy, "view")
def setting_list(request):
    filters = SettingFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    settings = selectors.care_settings_search(q=data.get("q", ""), kind=data.get("kind", ""),
                                              include_closed=data.get("include_closed", False))
    shown = list(settings[:PAGE + 1])
    return render(request, "providers/setting_list.html", {
        "filters": filters, "settings": shown[:PAGE], "more": len(shown) > PAGE,
        "providers": selectors.providers_list(include_closed=data.get("include_closed", False))[:PAGE]})


@policy_required(care_setting_policy, "view")
def setting_detail(request, pk: int):
    setting = care_setting_policy.get(request.user, pk, queryset=CareSetting.objects.select_related("provider", "locality"))
    return render(request, "providers/setting_detail.html", {
        "setting": setting, **selectors.care_setting_detail(setting=setting),
        "ward_form": WardForm(), "close_form": CloseForm()})


def _form_page(request, form, template_context, save, success):
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, success(saved))
            return redirect(saved)
    return render(request, "providers/form.html", {"form": form, **template_context},
                  status=400 if form.errors else 200)


@policy_required(care_setting_policy, "add")
def setting_create(request):
    initial = {"provider": request.GET.get("provider")} if request.GET.get("provider") else None
    form = CareSettingForm(request.POST if request.method == "POST" else None, initial=initial)
    return _form_page(request, form, {"heading": "Add a care setting", "button": "Add the care setting",
                                      "back": "providers:settings"},
                      lambda data: services.setting_create(**data), lambda s: f"{s} added to the register")


@policy_required(care_setting_policy, "change")
def setting_edit(request, pk: int):
    setting = care_setting_policy.get(request.user, pk, "change")
    form = CareSettingForm(request.POST if request.method == "POST" else None, initial=CareSettingForm.initial_for(setting))
    return _form_page(request, form, {"heading": f"Change {setting}", "button": "Save changes", "back_object": setting},
                      lambda data: services.setting_update(setting=setting, **data), lambda s: f"{s} saved")


@policy_required(provider_policy, "add")
def provider_create(request):
    form = ProviderForm(request.POST if request.method == "POST" else None)
    return _form_page(request, form, {"heading": "Add a provider", "button": "Add the provider", "back": "providers:settings"},
                      lambda data: services.provider_create(**data), lambda p: f"{p} added to the register")


@policy_required(provider_policy, "view")
def provider_detail(request, pk: int):
    provider = provider_policy.get(request.user, pk)
    return render(request, "providers/provider_detail.html", {
        "provider": provider, "settings": provider.settings.select_related("locality").order_by("closed_on", "name"),
        "close_form": CloseForm()})


@policy_required(provider_policy, "change")
def provider_edit(request, pk: int):
    provider = provider_policy.get(request.user, pk, "change")
    form = ProviderForm(request.POST if request.method == "POST" else None, initial=ProviderForm.initial_for(provider))
    return _form_page(request, form, {"heading": f"Change {provider}", "button": "Save changes", "back_object": provider},
                      lambda data: services.provider_update(provider=provider, **data), lambda p: f"{p} saved")


def _close(request, instance, close, template, context):
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            close(form.cleaned_data["closed_on"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{instance} is closed. It stays in the register, marked closed.")
            return redirect(instance)
    return render(request, template, {**context, "close_form": form}, status=400)


@require_POST
@policy_required(provider_policy, "change")
def provider_close(request, pk: int):
    provider = provider_policy.get(request.user, pk, "change")
    return _close(request, provider, lambda on: services.provider_close(provider=provider, closed_on=on),
                  "providers/provider_detail.html", {"provider": provider, "settings": provider.settings.all()})


@require_POST
@policy_required(care_setting_policy, "change")
def setting_close(request, pk: int):
    setting = care_setting_policy.get(request.user, pk, "change")
    return _close(request, setting, lambda on: services.setting_close(setting=setting, closed_on=on),
                  "providers/setting_detail.html",
                  {"setting": setting, "ward_form": WardForm(), **selectors.care_setting_detail(setting=setting)})


@require_POST
@policy_required(ward_policy, "add")
def ward_add(request, pk: int):
    setting = care_setting_policy.get(request.user, pk, "change")
    form = WardForm(request.POST)
    if form.is_valid():
        try:
            ward = services.ward_add(setting=setting, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{ward.name} added")
            return redirect(setting)
    return render(request, "providers/setting_detail.html", {
        "setting": setting, "ward_form": form, "close_form": CloseForm(), **selectors.care_setting_detail(setting=setting)},
        status=400)


@require_POST
@policy_required(ward_policy, "change")
def ward_close(request, pk: int):
    ward = ward_policy.get(request.user, pk, "change")
    try:
        services.ward_close(ward=ward)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{ward.name} is closed")
    return redirect(ward.setting)


@policy_required(provider_import_policy, "add")
def register_import(request):
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = services.providers_import(data=upload.read(), filename=upload.name, user=request.user)
        except FileRefused as refused:
            form.add_error("file", str(refused))
        else:
            return redirect("providers:import-report", pk=run.pk)
    return render(request, "providers/import.html", {
        "form": form, "required": services.REQUIRED_COLUMNS, "optional": services.OPTIONAL_COLUMNS,
        "recent": ProviderImport.objects.select_related("imported_by")[:10]}, status=400 if form.errors else 200)


@policy_required(provider_import_policy, "view")
def import_report(request, pk: int):
    run = provider_import_policy.get(request.user, pk, queryset=ProviderImport.objects.select_related("imported_by"))
    if request.GET.get("format") == "csv":
        response = HttpResponse(services.provider_import_report_csv(run), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-report.csv"'
        return response
    return render(request, "providers/import_report.html", {"run": run})



