"""Settings for Improvement Tracker, read from the environment.

Safe development defaults; production values are required where a default would be unsafe.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "value (or set DEBUG=1 for local development, which uses an insecure default)."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "django_tables2",
    "django_filters",
    "simple_history",
    "csp",
    "axes",
    "config",
    "inspections",
    "improvement",
    "scrutiny",
]

MIDDLEWARE = [
    "config.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.middleware.OversizeRequestMiddleware",  # before CSRF, which reads the body first
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.IdleSignOutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into its own response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked-out username and address is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with a user's permissions and role read in one query (config/auth.py).
    "config.auth.RoleBackend",
]

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
                "config.context_processors.service",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite by default so a newcomer needs no server; PostgreSQL (psycopg 3) in production and CI.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles a query whose estimated cost is high (correlated subqueries are
    # estimated high) with LLVM first: 20 ms or more per query on a page, for queries that then
    # run in a few. Pages run short queries, so compiling never pays (make bench shows it).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"

# Pages worked out from the record are cached in each worker's memory, keyed by a token the
# database replaces with every write (config/record_cache.py): no worker serves what another's
# write made stale, so no shared cache server is needed. Lists are cached by address (each
# filter, sort and page its own entry, tens of KB each): 500 entries is a few tens of MB a worker.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 500},
    }
}

# Sessions: signed out after SESSION_IDLE_TIMEOUT seconds without a request (IdleSignOutMiddleware),
# and after SESSION_COOKIE_AGE seconds whatever happens.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(10 * 60 * 60)))

# Sign-in throttling (django-axes), as the NCSC advises: 10 failures for one username from one
# address lock that pair, and only that pair, for a cool-off period. Behind a reverse proxy, the
# client's address is read from X-Forwarded-For, trusting exactly TRUSTED_PROXY_COUNT proxies;
# with none, from the connection itself (a client cannot forge it).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.views.sign_in_paused"
AXES_USERNAME_FORM_FIELD = "username"
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if TRUSTED_PROXY_COUNT else ("REMOTE_ADDR",)
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# UK formats: 9 March 2022, 9/3/2022.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g:i a"
SHORT_DATE_FORMAT = "d/m/Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Production hardening; all on unless DEBUG. SECURE_SSL_REDIRECT can be switched off where a
# proxy terminates TLS and already redirects (see README).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Forms render as GOV.UK Design System components through crispy-forms-gds.
# A change's reason is the officer's own words (why a due date moved, a value was corrected), plus
# how it was made: django-simple-history's default of 100 characters would refuse longer reasons
# on PostgreSQL (SQLite does not enforce the length).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "5.14.0"  # the version compiled into static/ (package.json)

COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Devon County Council")
# The authority whose plan the dashboards follow, by the short name its letters use.
HOME_AUTHORITY = os.environ.get("HOME_AUTHORITY", "Devon")
SERVICE_NAME = "Improvement Tracker"

# Fixture files and letters are read into memory; their forms refuse anything larger, and a
# fixture with more objects than FIXTURE_MAX_OBJECTS.
FIXTURE_UPLOAD_MAX_BYTES = int(os.environ.get("FIXTURE_UPLOAD_MAX_BYTES", str(2 * 1024 * 1024)))
FIXTURE_MAX_OBJECTS = int(os.environ.get("FIXTURE_MAX_OBJECTS", "5000"))
# A previewed load that nobody confirms expires, and its copy of the file is deleted.
FIXTURE_PREVIEW_LIFETIME = timedelta(hours=int(os.environ.get("FIXTURE_PREVIEW_HOURS", "24")))

BULK_UPDATE_MAX_BYTES = int(os.environ.get("BULK_UPDATE_MAX_BYTES", str(2 * 1024 * 1024)))

# Django's request limits, matched to those forms: an uploaded file up to the limit is kept in
# memory, and the fields of one request may carry a letter's text twice (the review form sends
# the text and the draft read from it). A larger request gets the form's own size message
# (config.middleware.OversizeRequestMiddleware), not a bare 400.
FILE_UPLOAD_MAX_MEMORY_SIZE = max(FIXTURE_UPLOAD_MAX_BYTES, BULK_UPDATE_MAX_BYTES)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * FIXTURE_UPLOAD_MAX_BYTES + 64 * 1024

# Content Security Policy (django-csp): nothing inline but what carries the response's nonce,
# nothing from elsewhere, no plugins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Structured logs: one JSON object per line (request logs from RequestLogMiddleware, errors
# with their traceback from Django), for whatever collects the server's output.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own request log repeats ours for errors; keep its tracebacks, drop its 4xx noise.
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
