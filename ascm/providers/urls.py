from django.urls import path

from . import views

app_name = "providers"
urlpatterns = [
    path("", views.setting_list, name="settings"),
    path("settings/new/", views.setting_create, name="setting-create"),
    path("settings/<int:pk>/", views.setting_detail, name="setting"),
    path("settings/<int:pk>/edit/", views.setting_edit, name="setting-edit"),
    path("settings/<int:pk>/close/", views.setting_close, name="setting-close"),
    path("settings/<int:pk>/wards/", views.ward_add, name="ward-add"),
    path("wards/<int:pk>/close/", views.ward_close, name="ward-close"),
    path("new/", views.provider_create, name="provider-create"),
    path("<int:pk>/", views.provider_detail, name="provider"),
    path("<int:pk>/edit/", views.provider_edit, name="provider-edit"),
    path("<int:pk>/close/", views.provider_close, name="provider-close"),
    path("import/", views.register_import, name="import"),
    path("import/<int:pk>/", views.import_report, name="import-report"),
]
