from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ascm.notifications"
    label = "notifications"
    verbose_name = "Notifications"
