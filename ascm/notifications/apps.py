from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ascm.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from ascm.core.extensions import SyntheticData, synthetic_data

        from .synthetic import notifications_generate

        synthetic_data.contribute("notifications", SyntheticData(88, "notifications", notifications_generate))
