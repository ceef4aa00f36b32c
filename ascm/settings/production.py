"""Production: PostgreSQL, Redis, a Celery worker and beat. Refuses to start without its secrets."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env.str("DJANGO_SECRET_KEY")  # ImproperlyConfigured when missing
# Refuse the placeholders people copy from examples, and anything too short to be a secret.
if SECRET_KEY.lower() in {"changeme", "change-me", "secret", "django-insecure"} or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a long random secret (at least 32 characters), "
                               "not a placeholder: python -c 'import secrets; print(secrets.token_urlsafe(50))'")
if env.bool("DJANGO_DEBUG", default=False):
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production: debug pages show settings and personal data.")
DEBUG = False
if not env.str("DATABASE_URL", default=""):
    raise ImproperlyConfigured("Set the DATABASE_URL environment variable: production runs on PostgreSQL.")
if not env.str("CELERY_BROKER_URL", default=""):
    raise ImproperlyConfigured("Set the CELERY_BROKER_URL environment variable: production runs a Celery worker.")

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
