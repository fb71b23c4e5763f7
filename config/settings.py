"""Django settings, read from the environment (see README "Configuration").

With no environment at all this is production: DEBUG off, and start-up fails until DJANGO_SECRET_KEY and
AUDIT_HMAC_KEY (each at least 50 characters) are set, so a forgotten setting fails closed. `make run`
turns DEBUG on and sets demo keys; the test suite sets its own (tests/settings.py).
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from whitenoise.compress import Compressor

from config.env import ImproperlyConfiguredEnv, env_bool, env_int, env_list, env_path, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

# Keys shorter than this are refused outside debug: 50 characters is what Django's own deployment check
# (security.W009) asks of SECRET_KEY, and the audit key guards the evidence.
MIN_KEY_LENGTH = 50


def _key(name: str, demo: str) -> str:
    value = env_str(name)
    if not value:
        if not DEBUG:
            raise ImproperlyConfiguredEnv(f"{name} must be set when DJANGO_DEBUG is off")
        # Only the embedded demo (`make run`) gets here: never a production install.
        return demo
    if not DEBUG and len(value) < MIN_KEY_LENGTH:
        raise ImproperlyConfiguredEnv(
            f"{name} is {len(value)} characters long; production needs at least {MIN_KEY_LENGTH}"
        )
    return value


SECRET_KEY: str = _key("DJANGO_SECRET_KEY", "insecure-demo-key-only-for-debug-installs")
# The HMAC key of the audit chain and of e-signatures (submissions.audit). Keep it outside the database
# and away from its administrators; rotating it is described in README "Security".
AUDIT_HMAC_KEY: str = _key("AUDIT_HMAC_KEY", "insecure-demo-audit-key-only-for-debug-installs")
# Keys used before a rotation, kept so the events and signatures they made still verify.
AUDIT_HMAC_RETIRED_KEYS: list[str] = env_list("AUDIT_HMAC_RETIRED_KEYS", [])
# Where the audit chain's head is copied outside the database (submissions.anchors).
AUDIT_ANCHOR_STORE = env_str("AUDIT_ANCHOR_STORE", "submissions.anchors.FileAnchorStore")
AUDIT_ANCHOR_PATH = env_path("AUDIT_ANCHOR_PATH", BASE_DIR / "var" / "audit-anchors.jsonl")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rest_framework",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "submissions",
    "submissions.letters",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "submissions.accounts.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout answer.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Production serves static files from the application itself: an install must work offline, with
    # no CDN (DESIGN section 8). In debug, runserver serves them from the apps' folders.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"

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
                "submissions.web.context.web",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite under var/ is the embedded default; DATABASE_URL (e.g. postgres://...) selects a real server.
_default_db = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_db) or _default_db,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
# Lets several test runs share one PostgreSQL server without dropping each other's test database.
_test_db_name = env_str("TEST_DATABASE_NAME")
if _test_db_name:
    DATABASES["default"]["TEST"] = {"NAME": _test_db_name}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers on SQLite get the same coded conflict as on PostgreSQL, never "database is
    # locked": each transaction takes the write lock when it begins (BEGIN IMMEDIATE), so none fails
    # upgrading a read lock half-way, and a writer waits up to the busy timeout for the one before it;
    # WAL lets readers go on meanwhile (https://www.sqlite.org/wal.html, /lang_transaction.html).
    # Our subclass of Django's SQLite backend hands the writer lock over at once (config/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "config.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 30),
    }
    if not _test_db_name:
        # Django's default SQLite test database is shared-cache memory, whose table locks fail at once
        # instead of waiting; a file behaves as the real database does under concurrent requests.
        DATABASES["default"]["TEST"] = {
            "NAME": str(Path(tempfile.gettempdir()) / f"trialdisclosure-test-{os.getpid()}.sqlite3")
        }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in throttling first (django-axes), then the usual password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# OWASP ASVS 4.0.3 V2.1.1: at least 12 characters.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_path("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves hashed, compressed copies made by `collectstatic`; the demo serves the sources.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The staff web application has its own sign-in; the admin (site operators only) keeps its own.
LOGIN_URL = "web:sign_in"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:sign_in"

# E-mail (deadline reminders, invitations): printed to the console unless SMTP is configured.
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost") or "localhost"
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "disclosure@localhost") or "disclosure@localhost"
# Days before a deadline's due date on which its trial's authors get a reminder, each sent once.
DEADLINE_REMINDER_DAYS = [int(day) for day in env_list("DEADLINE_REMINDER_DAYS", ["30", "7", "1"])]

# Source maps (6 MB of the API docs' bundles) are for developers' browsers, rarely fetched: compressing
# them would double the time collectstatic takes for nothing.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")


# Sessions end after SESSION_IDLE_TIMEOUT_MINUTES without a request (the expiry moves with every request)
# and when the browser closes (21 CFR 11.300; OWASP ASVS V3.3.2).
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username, that
# username is locked for AXES_COOLOFF_MINUTES. Counted per username, not per address: one office behind
# one address must not lock everyone, and guessing one account from many addresses must still stop.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# axes.W006 asks to count by address too; behind a reverse proxy every person shares one address, and
# five wrong passwords anywhere would lock the whole site.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Sign-in attempts name people and addresses of every organization: not for the scoped admin.
AXES_ENABLE_ADMIN = False
# The same for the e-signature password (21 CFR 11.300(d)): each wrong password is an audit event;
# after this many within the window the person cannot sign until the window has passed.
SIGNATURE_FAILURE_LIMIT = env_int("SIGNATURE_FAILURE_LIMIT", 3)
SIGNATURE_LOCKOUT_MINUTES = env_int("SIGNATURE_LOCKOUT_MINUTES", 30)

# A second factor (TOTP, django-otp) for the approvers and admins of organizations that require it
# (Organization.two_factor_required); enforced by submissions.accounts.SecondFactorMiddleware.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Trial disclosure")

# Content-Security-Policy (django-csp): nothing inline, nothing from elsewhere. The Django admin needs no
# allowance: its templates carry no inline script or style (checked by tests/submissions/test_admin_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The largest record JSON (or registry XML) accepted from anyone: forms, uploads, API, CLIs
# (registries/jsonread.py). A complete real record with results is a few hundred kilobytes.
MAX_RECORD_BYTES = env_int("MAX_RECORD_BYTES", 20 * 1024 * 1024)
# A complete record with results pasted into a form can pass Django's 2.5 MB default; a pasted record
# gets the same room as an uploaded one (plus 1 MB for the form's other fields).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", MAX_RECORD_BYTES + 1024 * 1024)

# Official registry schemas and sample records are data we read, never copies in this repository.
# The default points at the shared folder beside the checkout; production runs
# `python manage.py fetch_registry_schemas` into a directory of its own and sets this variable.
REGISTRY_SCHEMA_DIR = env_path("REGISTRY_SCHEMA_DIR", BASE_DIR.parent / "shared" / "registry-specs")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The REST API (submissions/api) sets its own parsers, renderers, errors and throttles per view.
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "submissions.api.problems.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"api_key": env_rate("API_RATE_LIMIT", "1200/min")},
}

# REST API (issue 11; README "REST API").
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 20 * 1024 * 1024)
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50)
API_BULK_SYNC_LIMIT = env_int("API_BULK_SYNC_LIMIT", 100)
API_BULK_MAX_ITEMS = env_int("API_BULK_MAX_ITEMS", 5000)
# How long an Idempotency-Key is remembered: a retry after that is a new request, and the daily cleanup
# removes the stored response (24 hours, as the IETF Idempotency-Key draft's examples and common APIs).
API_IDEMPOTENCY_KEY_HOURS = env_int("API_IDEMPOTENCY_KEY_HOURS", 24)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", default=DEBUG)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=DEBUG)
SPECTACULAR_SETTINGS = {
    "TITLE": "Trial disclosure API",
    "DESCRIPTION": "REST API for clinical trial management systems: trials, records, filings, deadlines.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {"StageEnum": "submissions.enums.Stage"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "submissions.api.schema.add_problem_responses",
    ],
}

# Celery: with no broker configured the embedded default runs tasks in-process, so `make run` needs no
# server; production and CI set CELERY_BROKER_URL=redis://127.0.0.1:6379/0.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "memory://")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", None)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With a broker and Redis, a save's deadline recomputation starts this many seconds later, and saves of
# the same trial meanwhile join it (submissions.domain.deadlines.schedule_recompute).
DEADLINE_RECOMPUTE_DELAY_SECONDS = env_int("DEADLINE_RECOMPUTE_DELAY_SECONDS", 5)
# Statuses move with the calendar even when nothing is saved: recompute every trial's deadlines daily.
CELERY_BEAT_SCHEDULE = {
    "recompute-deadlines-daily": {
        "task": "submissions.recompute_all_deadlines",
        "schedule": crontab(hour=env_int("DEADLINES_RECOMPUTE_HOUR_UTC", 2), minute=15),
    },
    "send-deadline-reminders-daily": {
        "task": "submissions.send_deadline_reminders",
        "schedule": crontab(hour=env_int("DEADLINE_REMINDERS_HOUR_UTC", 6), minute=0),
    },
    "forget-idempotency-keys-daily": {
        "task": "submissions.forget_idempotency_keys",
        "schedule": crontab(hour=env_int("IDEMPOTENCY_CLEANUP_HOUR_UTC", 4), minute=30),
    },
    # The audit chain's head copied outside the database once a day (submissions.anchors).
    "anchor-audit-log-daily": {
        "task": "submissions.anchor_audit_log",
        "schedule": crontab(hour=env_int("AUDIT_ANCHOR_HOUR_UTC", 3), minute=5),
    },
}

_redis_url = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
        if _redis_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

if not DEBUG:
    # Production is served over TLS by default (records and signatures must not travel in clear text);
    # each default can be relaxed explicitly, e.g. when a proxy already redirects to HTTPS.
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
    # Behind a TLS-terminating reverse proxy: DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https
    _proxy_header = env_list("DJANGO_SECURE_PROXY_SSL_HEADER", [])
    if _proxy_header:
        if len(_proxy_header) != 2:
            raise ImproperlyConfiguredEnv(
                "DJANGO_SECURE_PROXY_SSL_HEADER must be 'HEADER,value', e.g. HTTP_X_FORWARDED_PROTO,https"
            )
        SECURE_PROXY_SSL_HEADER = (_proxy_header[0], _proxy_header[1])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # In the embedded default tasks run in-process; one "task succeeded" line per save is noise.
    "loggers": {
        "celery.app.trace": {"level": "WARNING"},
        # The embedded in-memory broker has no host by design; kombu warns about that on every start.
        "kombu.connection": {"level": "ERROR"},
        # django-axes logs every attempt at INFO; lockouts (WARNING) are what the security team needs.
        "axes": {"level": "WARNING"},
    },
}
