"""Settings of the benchmark server: the platform's base settings plus the bare baseline route (benchmarks.urls).

Production code stays as it is; only ROOT_URLCONF differs, so the compounds list runs through the same middleware,
authentication, pagination and filter backends as in production.
"""

from config.settings.base import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "benchmarks.urls"
# The bare endpoint is an API token request like any other (config/token_api.py).
API_TOKEN_PATHS = (*API_TOKEN_PATHS, "/bench/")  # noqa: F405
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
