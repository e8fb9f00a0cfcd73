"""A bare Django project: `startproject`'s settings, one app with one table, one view.

The yardstick beside Conferbook in `bench/load.py`, so it is configured as Django makes a
new project, except where the comparison must be fair: the same database kind (and, for
SQLite, the same connection options and persistent connections Conferbook uses).

BARE_SECRET_KEY      required; the load bench makes a new one each run.
BARE_DATABASE_URL    a PostgreSQL database (postgres://...); without it, SQLite at BARE_SQLITE.
BARE_SQLITE          the SQLite file.
"""

from __future__ import annotations

import os

import dj_database_url

SECRET_KEY = os.environ["BARE_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "bare",
]

# `startproject`'s list, as it is.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "bare.urls"
WSGI_APPLICATION = "bare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# Conferbook's database settings (conferbook/settings.py): a connection opened per request
# would measure connecting, not Django.
if database_url := os.environ.get("BARE_DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=600)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ["BARE_SQLITE"],
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 10,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
