from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    """`pathways/` is the home of the front door (`pathways.referrals`) and care (`pathways.care`).
    This app itself has no models now: it keeps the migration history that created their tables,
    so existing databases migrate forward and new ones are built the same way."""

    name = "pathways"
    label = "pathways"
    verbose_name = "Pathways (migration history)"
