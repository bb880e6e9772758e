"""Tests: PostgreSQL and Redis when DATABASE_URL / REDIS_URL point at them, SQLite and memory otherwise."""

from .base import *  # noqa: F403
from .base import CACHES  # noqa: F401

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Token logins are throttled per address; the suite logs in far more often than a person.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"login": "10000/min"}}  # noqa: F405
# The token cache on, whichever cache backs it (one process: memory is shared enough): the suite tests it.
API_TOKEN_CACHE_SECONDS = 300
