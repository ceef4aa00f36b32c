from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ascm.core"
    label = "core"
    verbose_name = "Core"
