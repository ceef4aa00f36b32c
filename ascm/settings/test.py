"""Tests: the database and broker come from the environment (CI: PostgreSQL and Redis)."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "tests-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Unit tests run tasks in-process; the worker tests start a real worker against the broker.
CELERY_TASK_ALWAYS_EAGER = True
TEST_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Each test starts with an empty cache (tests/conftest.py): an in-process one, so clearing it never
# touches the broker's Redis database that the worker tests use.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Files the tests make (statutory return files) go to a temporary directory, never the checkout.
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="ascm-test-media-")
