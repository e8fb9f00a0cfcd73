"""Conferbook's one settings file, driven by the environment.

CONFERBOOK_HOME      the data folder (default: the platform's user data directory);
                     holds the SQLite database, the generated secret key and backups.
DATABASE_URL         use this database instead of SQLite (e.g. postgres://user@host/db).
CONFERBOOK_POSTGRES_OPTIONS  PostgreSQL settings for each connection (default
                     "-c random_page_cost=1.1", none when prepared statements are off;
                     empty for none).
CONFERBOOK_PREPARED_STATEMENTS  "0" turns PostgreSQL's prepared statements off (for a pooler
                     that cannot keep them).
CONFERBOOK_DEBUG     "1" for Django's debug pages (never on a shared server).
CONFERBOOK_HOSTS     comma-separated host names the server answers to.
CONFERBOOK_SECURE    "1" when served over HTTPS: secure cookies, HSTS, SSL redirect.
CONFERBOOK_TRUSTED_PROXIES  comma-separated addresses (or networks, 10.0.0.0/8) of the proxy
                     in front; only requests from these may name the client's address and
                     scheme in X-Forwarded-For and X-Forwarded-Proto.
CONFERBOOK_EMAIL_HOST  an SMTP server to e-mail sign-in links through (without it, links are
                     only shown to the administrator); CONFERBOOK_EMAIL_PORT (25),
                     CONFERBOOK_EMAIL_USER, CONFERBOOK_EMAIL_PASSWORD, CONFERBOOK_EMAIL_USE_TLS
                     ("1" for STARTTLS) and CONFERBOOK_EMAIL_FROM (the sender) go with it.
CONFERBOOK_BASE_URL  the address people open Conferbook at, for links printed by
                     `conferbook user` (default http://127.0.0.1:8000).
CONFERBOOK_HASHED_STATIC  set by `conferbook serve` itself (see STATIC_ROOT below).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
import platformdirs
import tzlocal
from django.core.exceptions import ImproperlyConfigured


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("CONFERBOOK_HOME") or platformdirs.user_data_dir("conferbook"))


def _secret_key() -> str:
    """Read the instance's secret key, generating it on first run (no default key anywhere)."""
    if key := os.environ.get("CONFERBOOK_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
        # O_EXCL: two processes starting at once must not write different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _flag("CONFERBOOK_DEBUG")
SECURE = _flag("CONFERBOOK_SECURE")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("CONFERBOOK_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "template_partials",
    "conferbook.web",
    "conferbook.accounts",
    "conferbook.audit",
    "conferbook.roster",
    "conferbook.calendar",
    "conferbook.goals",
    "conferbook.groups",
    "conferbook.conferences",
    "conferbook.scheduling",
    "conferbook.printables",
    "conferbook.board",
    "conferbook.privacy",
]


def _trusted_proxies() -> list[str]:
    proxies = [
        p.strip() for p in os.environ.get("CONFERBOOK_TRUSTED_PROXIES", "").split(",") if p.strip()
    ]
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError as problem:
            raise ImproperlyConfigured(
                f"CONFERBOOK_TRUSTED_PROXIES: {proxy!r} is not an address or a network "
                "(write the proxy's address, e.g. 127.0.0.1)."
            ) from problem
    return proxies


TRUSTED_PROXIES = _trusted_proxies()

# Django's form renderer, with selects, inputs and textareas written in Python (the same HTML).
FORM_RENDERER = "conferbook.web.form_renderer.FormRenderer"

MIDDLEWARE = [
    # First: the security middleware's HTTPS redirect needs the scheme the proxy forwards.
    "conferbook.web.middleware.TrustedProxyMiddleware",
    "conferbook.web.middleware.HeadWithoutBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "conferbook.accounts.middleware.SchoolTimeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "conferbook.web.middleware.CleanInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "conferbook.accounts.middleware.SessionLifetimeMiddleware",
    "conferbook.accounts.middleware.TeacherLoginRequiredMiddleware",
    # After sign-in is known: logs the pages and PDFs of conferbook.audit.audited.
    "conferbook.audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "conferbook.web.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "conferbook.urls"
WSGI_APPLICATION = "conferbook.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "roster:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            # Times as the school writes them ({{ at|clock }}, {{ at|when }}) on every page.
            "builtins": ["conferbook.web.templatetags.clock"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "conferbook.accounts.context_processors.roles",
            ],
        },
    }
]

if database_url := os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=600)}
    postgresql = DATABASES["default"]["ENGINE"].endswith("postgresql")
    pooled = not _flag("CONFERBOOK_PREPARED_STATEMENTS", default=True)
    if postgresql and not pooled:
        # A page's queries are the same each time: PostgreSQL plans each once per connection
        # (psycopg's prepared statements, from its second use) instead of on every request,
        # which for the chart's many joins took longer than running it. Off ("0") behind a
        # connection pooler that cannot keep prepared statements (PgBouncer before 1.21).
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 2}
        )
    # Plan for a disk that reads anywhere about as fast as in order (an SSD, or tables held
    # in memory): with PostgreSQL's default of 4 it read every student of the district to
    # find one class's 30, a hash join over a sequential scan, so a class page slowed as the
    # district grew. Sent as a startup option, which a pooler may refuse: behind one
    # (prepared statements off) nothing is sent unless asked; empty sends nothing.
    postgres_options = os.environ.get(
        "CONFERBOOK_POSTGRES_OPTIONS", "" if pooled else "-c random_page_cost=1.1"
    ).strip()
    if postgresql and postgres_options:
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", postgres_options)
else:
    DATABASES = {
        "default": {
            # Django's SQLite, with one process's writers queuing on a lock of their own
            # rather than in SQLite's sleeping busy handler (conferbook/sqlite3/base.py).
            "ENGINE": "conferbook.sqlite3",
            "NAME": str(DATA_DIR / "conferbook.sqlite3"),
            # Tests: in memory, as for Django's own SQLite (named, since pytest-django knows
            # only that engine's default).
            "TEST": {"NAME": ":memory:"},
            # Persistent connections keep the PRAGMAs below from being re-run per request.
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so concurrent savers queue on the
                # busy timeout instead of failing with "database is locked" mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 10,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    # Length and a common-password list only: composition rules make passwords worse.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "conferbook.accounts.validators.MaximumLengthValidator"},
]

# Sessions: a school day of idle time, and a hard limit of a week from sign-in. The idle
# time is renewed at most every SESSION_RENEW_SECONDS (accounts.middleware), not saved on
# every request: a page view writes nothing, so it never waits for the write lock.
# Django's database sessions and ModelBackend, each reading its row with a compiled query
# (conferbook.compiled).
SESSION_ENGINE = "conferbook.accounts.sessions"
AUTHENTICATION_BACKENDS = ["conferbook.accounts.backends.AccountBackend"]
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 5 * 60
SESSION_ABSOLUTE_SECONDS = 7 * 24 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Sign-in lockout: by username and address together, never by address alone
# (a whole school may share one address).
LOGIN_FAILURE_LIMIT = 5
LOGIN_COOL_OFF_SECONDS = 15 * 60

# E-mail: only to send a one-time sign-in link, and only when an SMTP server is named.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("CONFERBOOK_EMAIL_HOST", "")
try:
    EMAIL_PORT = int(os.environ.get("CONFERBOOK_EMAIL_PORT") or 25)
except ValueError:
    raise ImproperlyConfigured("CONFERBOOK_EMAIL_PORT must be a port number, e.g. 587.") from None
EMAIL_HOST_USER = os.environ.get("CONFERBOOK_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CONFERBOOK_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _flag("CONFERBOOK_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("CONFERBOOK_EMAIL_FROM") or "conferbook@localhost"
EMAIL_TIMEOUT = 15

LANGUAGE_CODE = "en-us"


def _local_time_zone() -> str:
    """The machine's own zone name: the default for a school that has not chosen one.

    The school's time zone is data (`accounts.School`), set at first run and in the
    school's settings; this is only the default offered there."""
    try:
        return tzlocal.get_localzone_name() or "UTC"
    except Exception:  # an unreadable or odd system setting: fall back, never fail to start
        return "UTC"


TIME_ZONE = _local_time_zone()
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# `conferbook serve` sets CONFERBOOK_HASHED_STATIC and copies the static files into the data
# folder itself (only when they changed) with hashed names and compressed copies, so
# browsers keep them for a year without asking again. Everything else (tests, `manage`
# commands) serves them straight from the package: no collectstatic step anywhere.
if _flag("CONFERBOOK_HASHED_STATIC"):
    STATIC_ROOT = DATA_DIR / "static"
    _static_backend = "conferbook.web.storage.StaticFiles"
else:
    _static_backend = "whitenoise.storage.CompressedStaticFilesStorage"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": _static_backend},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
