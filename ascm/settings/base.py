"""Settings shared by every environment. Everything that differs comes from the environment."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

COUNCIL_NAME = env.str("ASCM_COUNCIL_NAME", default="Kent County Council")
SERVICE_NAME = "Adult social care case management"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django.contrib.postgres",
    "django_celery_beat",
    "guardian",
    "axes",
    "csp",
    # ascm.audit before auditlog: its management commands win (auditlogflush is refused).
    "ascm.audit",
    "auditlog",
    "ascm.core",
    "ascm.accounts",
    "ascm.organisation",
    "ascm.notifications",
    "ascm.providers",
    "ascm.performance",
    "clients",
    "pathways",  # the migration history of the two apps below
    "pathways.referrals",
    "pathways.care",
    "pathways.discharge",
    "mdt",
    "safeguarding",
    "finance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # HTML and JSON compressed (Django's own BREACH mitigation pads each response at random).
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ascm.core.middleware.RequestIdMiddleware",
    "ascm.core.middleware.RequestLimitsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session (so it runs first on the way out): slides the idle limit without a write per request.
    "ascm.core.middleware.SessionTouchMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Keeps a form posted after the session expired, and saves it after sign-in.
    "ascm.core.middleware.KeepWorkLoginRequiredMiddleware",
    # Last: axes must see the final outcome of a login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ascm.urls"
FORM_RENDERER = "ascm.core.forms.GovukFormRenderer"
WSGI_APPLICATION = "ascm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ascm.core.context_processors.ascm",
            ],
            # A quicker `date` filter for the formats the pages use (see the module).
            "builtins": ["ascm.core.templatetags.govuk_dates"],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # axes first: it refuses locked-out attempts before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Permissions come from global roles and from the roles held in team memberships.
    "ascm.accounts.backends.RoleModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: 30 minutes idle. Every request slides the expiry; the page warns 2 minutes before.
SESSION_COOKIE_AGE = env.int("ASCM_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_TIMEOUT_WARNING_SECONDS = 2 * 60
# Sessions are read from the cache (Redis in production) and written through to the database; they
# are saved when they change, and touched at most once a minute to slide the idle limit.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# build/static holds what `npm run build` compiles; static/ what we write ourselves.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # The built stylesheet and, copied by `npm run build`, the only GOV.UK Frontend files pages use
    # (its script and images): collecting the whole package (6,000 files) cost a minute a deploy.
    BASE_DIR / "build" / "static",
]
MEDIA_ROOT = env.path("ASCM_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = False

# Django's own limits on request size: an oversized body gets 413, not a crash.
# API tokens stop working this many days after they are made (README "API").
ASCM_API_TOKEN_DAYS = env.int("ASCM_API_TOKEN_DAYS", default=90)
# The council's local authority code in statutory returns (Kent: 886).
ASCM_LA_CODE = env.str("ASCM_LA_CODE", default="886")
# django-guardian would otherwise create an "AnonymousUser" account (listed among staff).
ANONYMOUS_USER_NAME = None
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("ASCM_MAX_REQUEST_BYTES", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Celery: tasks run in-process unless a broker is configured ---------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5, "max_retries": 1}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="ascm")
# A broker that is down must not hold up saving a referral: fail fast, the sweep catches up.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# Daily jobs run at set times (London), not every 24 hours from whenever beat last started: a
# redeploy does not restart their countdown. The schedule lives in the database (django-celery-beat:
# administrators see and change it under "Periodic tasks"); these entries are its defaults.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "sweep-unrouted-referrals": {"task": "pathways.referrals.tasks.sweep_unrouted_referrals_task", "schedule": 60},
    "daily-reminders": {"task": "pathways.care.tasks.daily_reminders_task", "schedule": crontab(hour=6, minute=30)},
    "mdt-series": {"task": "mdt.tasks.extend_meeting_series_task", "schedule": crontab(hour=2, minute=15)},
    "safeguarding-decision-reminders": {"task": "safeguarding.tasks.safeguarding_decision_reminders_task",
                                        "schedule": crontab(hour=7, minute=0)},
    "dols-daily-alerts": {"task": "safeguarding.tasks.dols_daily_alerts_task", "schedule": crontab(hour=7, minute=5)},
    # The morning DToC alerts are not here: administrators set their time (pathways/discharge/schedule.py).
    "discharge-alerts-sweep": {"task": "pathways.discharge.tasks.discharge_alerts_sweep_task", "schedule": 300},
    "finance-daily": {"task": "finance.tasks.finance_daily_task", "schedule": crontab(hour=6, minute=45)},
    "clear-expired-sessions": {"task": "ascm.core.tasks.clear_expired_sessions_task", "schedule": crontab(minute=5)},
    "archive-old-notifications": {"task": "ascm.notifications.tasks.archive_old_notifications_task",
                                  "schedule": crontab(hour=3, minute=10)},
}

# Email (the DToC alerts' daily digest): printed to the console unless EMAIL_URL names an SMTP server,
# e.g. smtp+tls://user:password@smtp.example.org:587 (a secret: from the environment only).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ASCM <no-reply@ascm.invalid>")
ASCM_SITE_URL = env.str("ASCM_SITE_URL", default="http://127.0.0.1:8000")  # links in emails

REDIS_URL = env.str("REDIS_URL", default="")
if not REDIS_URL and CELERY_BROKER_URL.startswith("redis"):
    REDIS_URL = CELERY_BROKER_URL
if REDIS_URL:
    # Tolerant: with Redis down, reads miss and the database answers (ascm/core/cache.py).
    CACHES = {"default": {"BACKEND": "ascm.core.cache.TolerantRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Security headers -------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Failed logins: 5 failures for one username from one address lock it for 15 minutes ---
AXES_FAILURE_LIMIT = env.int("ASCM_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# --- Audit log (django-auditlog, stored in our append-only model) ------------------------
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_CID_GETTER = "ascm.core.middleware.get_request_id"


# --- REST API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first so that a request with no credentials gets 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ascm.accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "ascm.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ascm.core.api.exception_handler",
    # JSON only. The browsable API rendered forms whose related-field choices listed every person in
    # the county; people read the API at /api/docs/. One request format keeps generated clients simple.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ASCM API",
    "DESCRIPTION": "Adult social care case management: REST API, version 1.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ascm.core.api.schema_add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "TeamTypeEnum": "ascm.organisation.models.TeamType",
        "PathwayEnum": "pathways.referrals.models.Pathway",
        "ReviewOutcomeEnum": "pathways.care.plans.REVIEW_OUTCOME_CHOICES",
        "TriageOutcomeEnum": "pathways.referrals.models.Referral.Outcome",
        "ReferralStatusEnum": "pathways.referrals.models.Referral.Status",
        "ActionStatusEnum": "mdt.models.Action.Status",
        "MeetingStatusEnum": "mdt.models.Meeting.Status",
        "MetByEnum": "pathways.care.plans.MET_BY_CHOICES",
    },
}

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("ASCM_LOG_LEVEL", default="INFO")},
    # Libraries that narrate every step at INFO (WeasyPrint logs each page it lays out).
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
ASCM_DEMO_PASSWORD = env.str("ASCM_DEMO_PASSWORD", default="")

# Reviews (Care and support statutory guidance, ch. 13): a light-touch review 6–8 weeks after the plan
# starts (we schedule the end of that window), then at least every 12 months.
ASCM_FIRST_REVIEW_WEEKS = env.int("ASCM_FIRST_REVIEW_WEEKS", default=8)
ASCM_REVIEW_INTERVAL_MONTHS = env.int("ASCM_REVIEW_INTERVAL_MONTHS", default=12)
# How often an assessment page saves a changed draft in the background.
ASCM_AUTOSAVE_SECONDS = env.int("ASCM_AUTOSAVE_SECONDS", default=30)
