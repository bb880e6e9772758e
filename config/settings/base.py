"""Settings shared by every environment. Values come from the environment; with none set the platform runs on
embedded defaults (an SQLite file and a file-system Celery broker under var/)."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "staticfiles").mkdir(exist_ok=True)

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789abcdef")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "simple_history",
    "axes",
    "notifications",
    "csp",
    "communities",
    "properties",
    "governance",
    "petitions",
    "ledger",
    "rankings",
    "dashboards",
]

# `config.token_api.*` are whitenoise's, Django's sessions, auth and messages middleware, which a token
# request to the API (a path under API_TOKEN_PATHS with `Authorization: Token …`) passes by: DRF authenticates it
# by its token alone and it uses none of them (config/token_api.py, ADR 0011). Every other request runs them.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RequestBodyLimitMiddleware",
    "config.token_api.WhiteNoise",
    "config.csp.CSPMiddleware",
    "config.token_api.Sessions",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.token_api.Authentication",
    "config.token_api.Messages",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into a 429 answer.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): every page loads scripts, styles, images and fonts from this site only,
# and nothing inline — no <script> or <style> blocks, no on*= or style= attributes: put them in static/. The
# admin (Django's own and ours) and the portal work under it; frames and plugins are refused.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Messages live in the session (server side), not in a cookie: a reveal's message carries a whole phone number
# (roles.md, personal data), which must not travel in request headers until it is shown.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, but the health check (a SELECT 1 round trip before each request's first query) is skipped
    # for a connection used less than DATABASE_HEALTH_CHECK_GRACE_MS ago (ADR 0010; 0: check every request).
    DATABASES["default"]["ENGINE"] = "config.postgresql"
DATABASE_HEALTH_CHECK_GRACE = env_int("DATABASE_HEALTH_CHECK_GRACE_MS", 1000) / 1000
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite holds one writer at a time: wait for the lock rather than fail while the worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
# `tokens` is the API token cache alone (core/tokens.py, ADR 0011): on Redis with client-side caching, so that a
# token read once is answered from the worker's memory until Redis reports its key written (a revoke).
if REDIS_URL:
    from config.cache import token_cache_options

    CACHES = {
        "default": {"BACKEND": "config.cache.RedisCache", "LOCATION": REDIS_URL},
        "tokens": {"BACKEND": "config.cache.RedisCache", "LOCATION": REDIS_URL,
                   "OPTIONS": token_cache_options(max_size=env_int("API_TOKEN_LOCAL_ENTRIES", 10_000))},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "tokens": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tokens"},
    }

# --- Authentication -----------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"

# Reverse proxies in front of the web server whose X-Forwarded-For is trusted (core/client_ip.py): 0 when
# gunicorn faces the clients, 1 behind one TLS-terminating proxy (docker-compose.yml). The login throttle and the
# lockout key on the address this yields; a header from anyone else changes nothing.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"

# Login throttling (django-axes): after 5 failures for one username from one address, 15 minutes of lockout.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.lockout.lockout_response"
AXES_VERBOSE = False

# django-simple-history: records are read, never reverted by hand (a revert would bypass the services).
SIMPLE_HISTORY_REVERT_DISABLED = True

# django-guardian: no anonymous user row; grants on single objects only (see docs/adr/0001-tenancy-and-scope.md).
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# --- Internationalisation -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
# Photos are served by petitions.views after the policy check; behind nginx, set this to the `internal` location
# that maps MEDIA_ROOT (e.g. "/protected-media/") and nginx sends the bytes (X-Accel-Redirect, see README).
ATTACHMENTS_X_ACCEL_PREFIX = env_str("ATTACHMENTS_X_ACCEL_PREFIX", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Request bodies: JSON and forms up to 2.5 MB; uploads (photos) up to 32 MB in all; larger bodies answer 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_BYTES", 32 * 1024 * 1024)
# Photos declaring more pixels than this are refused from their header, before decoding (core/images.py says
# what one upload may take in memory: about 5 bytes a pixel of this limit, 250 MB at 50).
MAX_PHOTO_MEGAPIXELS = env_int("MAX_PHOTO_MEGAPIXELS", 50)
# JSON bodies nest at most this deep (the API's own requests nest 3 levels); deeper is a 400 before decoding.
MAX_JSON_DEPTH = 32

# API tokens live this many hours from the login that issued them (core/tokens.py).
API_TOKEN_HOURS = env_int("API_TOKEN_HOURS", 24)
# … and are kept in the cache this many seconds after a request found them (0: read on every request). A revoke,
# a login and a change of the user end it at once (core/tokens.py) — in every worker only where the cache is
# shared (Redis): without one, each process would keep its own copy, so the default is then 0.
API_TOKEN_CACHE_SECONDS = env_int("API_TOKEN_CACHE_SECONDS", 300 if REDIS_URL else 0)
# Rendered pages of the compounds list, keyed by the user's filter and the table's version, which every write
# changes (communities/listcache.py, ADR 0013). Correct with any cache (the version lives in PostgreSQL); off
# without Redis only to keep each process's memory small.
API_LIST_CACHE_SECONDS = env_int("API_LIST_CACHE_SECONDS", 300 if REDIS_URL else 0)

# Paths whose token requests pass by the middleware they do not need (config/token_api.py): DRF views only.
API_TOKEN_PATHS = ("/api/v1/",)

# --- REST API -----------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "core.filters.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": "20/min"},
    "NUM_PROXIES": TRUSTED_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "三方协同治理平台 API",
    "DESCRIPTION": "Party-led three-party governance of residential compounds.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from static files (drf-spectacular-sidecar): the docs work without internet. (No Redoc page:
    # its bundle fetches its logo from a CDN.)
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Many models have a `kind` or a `status`: each choice set gets its own stable name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "StreetKindEnum": "communities.models.Street.Kind",
        "DepartmentKindEnum": "communities.models.Department.Kind",
        "ContractStatusEnum": "properties.models.Contract.Status",
        "PartyOrganizationKindEnum": "governance.models.PartyOrganization.Kind",
        "BodyKindEnum": "governance.models.Body.Kind",
        "MeetingKindEnum": "governance.models.Meeting.Kind",
        "VoteStatusEnum": "governance.models.Vote.Status",
        "VoteEventKindEnum": "governance.models.VoteEvent.Kind",
        "PartyMemberKindEnum": "governance.models.PartyMember.Kind",
        "TermReminderKindEnum": "governance.models.TermReminder.Kind",
        "ListItemKindEnum": "governance.models.ListItem.Kind",
        "WorkRequestStatusEnum": "governance.models.WorkRequest.Status",
        "CrossAppointmentKindEnum": "governance.models.CrossAppointment.Kind",
        "CampaignRecordKindEnum": "governance.models.CampaignRecord.Kind",
        "PetitionStatusEnum": "petitions.models.Status",
        "EscalationLevelEnum": "petitions.models.EscalationLevel",
        "PetitionEventKindEnum": "petitions.models.EventKind",
        "LedgerAccountKindEnum": "ledger.models.AccountKind",
        "LedgerTransactionKindEnum": "ledger.models.TransactionKind",
        "FundApplicationStatusEnum": "ledger.models.FundApplication.Status",
        "FundReviewLevelEnum": "ledger.models.FundReview.Level",
        "FundDocumentKindEnum": "ledger.models.FundDocument.Kind",
        "CommonItemKindEnum": "ledger.models.CommonItem.Kind",
        "CommonItemStatusEnum": "ledger.models.CommonItem.Status",
    },
}

# --- Celery -------------------------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery" / "broker"
    (_broker_dir).mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        # The file-system broker polls its folder; once a second would drain a burst of tasks too slowly.
        "polling_interval": 0.1,
        "store_processed": False,
    }
else:
    # Redelivery of unacknowledged tasks (late acknowledgement) after an hour, longer than any task runs.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    "governance-close-due-votes": {"task": "governance.tasks.close_due_votes", "schedule": 60.0},
    "governance-remind-terms": {"task": "governance.tasks.remind_terms", "schedule": 6 * 3600.0},
    "properties-remind-expiring-contracts": {"task": "properties.tasks.remind_expiring_contracts",
                                             "schedule": 6 * 3600.0},
    "rankings-compute-ended-quarters": {"task": "rankings.tasks.compute_ended_quarters", "schedule": 6 * 3600.0},
    "petitions-sweep-deadlines": {"task": "petitions.tasks.sweep_deadlines", "schedule": 60.0,
                                  "options": {"expires": 55}},
    "notifications-deliver-pending": {"task": "notifications.tasks.deliver_pending", "schedule": 60.0,
                                      "options": {"expires": 55}},
    "ledger-remind-fund-reviews": {"task": "ledger.tasks.remind_fund_reviews", "schedule": 3600.0},
    # The petition figures' summary tables, recomputed from the raw rows at night (they are kept current by a
    # task per change during the day; this repairs what a lost task or an edit outside the services left).
    "petitions-refresh-new-figures": {"task": "petitions.tasks.refresh_new_figures", "schedule": 60.0,
                                      "options": {"expires": 55}},
    "petitions-rebuild-figures": {"task": "petitions.tasks.rebuild_figures", "schedule": crontab(hour=2, minute=30)},
    # Nightly, after the day is over and before the offices open (after the figures' rebuild, not beside it).
    "dashboards-compute-strength": {"task": "dashboards.tasks.compute_strength",
                                    "schedule": crontab(hour=3, minute=30)},
}
# A fund-use review step that waits longer than this is reminded to its reviewers ("done the same day where
# possible": a day is the limit).
LEDGER_REVIEW_REMIND_AFTER_HOURS = env_int("LEDGER_REVIEW_REMIND_AFTER_HOURS", 24)

# --- E-mail and logging -------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@sanfang.local")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Demo data (manage.py seed_demo): each app adds its part, in this order ---------------------------------
DEMO_SEEDERS = [
    "communities.demo.seed_hierarchy",
    "properties.demo.seed",
    "governance.demo.seed",
    "communities.demo.seed_logins",
    "governance.demo_campaign.seed",
    "governance.demo.seed_open_vote",
    "governance.demo.seed_term_reminders",
    "petitions.demo.seed",
    "ledger.demo.seed",
    "rankings.demo.seed",
    "communities.demo.seed_map",
    "dashboards.strength.demo.seed",
]
