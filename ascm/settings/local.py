"""The embedded default for `make run`: SQLite and in-process tasks unless the environment says otherwise."""

import secrets

from .base import *  # noqa: F403
from .base import BASE_DIR, env

# A local secret, made once per checkout and never committed.
_secret_file = BASE_DIR / ".local-secret-key"
if not env.str("DJANGO_SECRET_KEY", default=""):
    if not _secret_file.exists():
        _secret_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = _secret_file.read_text().strip()
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
