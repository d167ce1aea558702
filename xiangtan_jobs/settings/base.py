"""Settings for every environment, read from the process environment (django-environ).

With nothing set, the portal runs on the embedded default: SQLite and a file-system Celery
broker under ``var/``. ``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL and Redis.
"""

from __future__ import annotations

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .keys import REPOSITORY_KEYS, local_secrets

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()

# Development is the default so that a newcomer's first command works; production sets
# DEBUG=0 and must then bring its own secret (checked below, loudly, at start-up).
DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="")
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
# Key of the digests that let encrypted phones and ID numbers be looked up (see common/crypto.py).
PII_HASH_KEY = env.str("PII_HASH_KEY", default="")
# Salt of the key that encrypts personal data at rest (django-fernet-encrypted-fields derives it
# from SECRET_KEY and this salt); a list while rotating.
SALT_KEY = env.list("FIELD_ENCRYPTION_SALT", default=[])
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0 (production).")
    # Nothing set (make run): random keys made on the first start and kept under var/ (keys.py).
    _local = local_secrets(VAR_DIR)
    SECRET_KEY = _local["SECRET_KEY"]
    SALT_KEY = SALT_KEY or [_local["FIELD_ENCRYPTION_SALT"]]
SALT_KEY = SALT_KEY or ["xiangtan-jobs-pii-v1"]
if not DEBUG and REPOSITORY_KEYS.intersection((SECRET_KEY, PII_HASH_KEY, *SECRET_KEY_FALLBACKS)):
    # A key written in the repository: data encrypted under it is readable by anyone with the source.
    raise ImproperlyConfigured(
        "SECRET_KEY (or SECRET_KEY_FALLBACKS / PII_HASH_KEY) is a key from the repository (the development "
        "or test key); set your own random key when DEBUG=0, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "axes",
    "health_check",
    "django_prometheus",
    "xiangtan_jobs.common",
    "xiangtan_jobs.core",
    "matching",
    "markets",
    "stations",
    "fairs",
    "xiangtan_jobs.portal",
    "xiangtan_jobs.dashboard",
    "xiangtan_jobs.seed",
]

MIDDLEWARE = [
    # The request id and the one log line per request (common/logs.py).
    "xiangtan_jobs.common.logs.RequestLogMiddleware",
    # First and (nearly) last: request counts and latencies for Prometheus (django-prometheus).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "xiangtan_jobs.common.middleware.RefuseNulBytesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xiangtan_jobs.common.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "xiangtan_jobs.common.middleware.PersonalPagesNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: answers a locked-out login with its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xiangtan_jobs.urls"
WSGI_APPLICATION = "xiangtan_jobs.wsgi.application"

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
                "django.template.context_processors.i18n",
                "xiangtan_jobs.common.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    # An empty DATABASE_URL (e.g. `DATABASE_URL= make test`) means the embedded default too.
    "default": env.db_url_config(env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# The job list's covering index (INCLUDE columns, core/0006) is a PostgreSQL speed-up; SQLite
# builds the same index without them, which is all the embedded default needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Persistent connections: connection set-up was most of PostgreSQL's time per request (docs/architecture.md).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if not IS_POSTGRES:
    # SQLite: wait instead of failing when the worker and the web write at the same time.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Query counts, errors and durations for Prometheus: django-prometheus's wrapper of the same backend.
DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace(
    "django.db.backends.", "django_prometheus.db.backends."
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker and cache ------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Only derived data lives in the cache: if Redis is away, pages are served without it (slower,
    # never a 500), and a short socket timeout keeps a dead Redis from holding up requests.
    CACHES = {
        "default": {
            "BACKEND": "xiangtan_jobs.common.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            # A prefix of its own: clear() then deletes the cache's keys, not the broker's queues.
            "KEY_PREFIX": "xt",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long the public job list keeps a search's counts (total, per district, per work type);
# 0 counts every request (the benchmark's cold-count run).
PORTAL_COUNT_CACHE_SECONDS = env.int("PORTAL_COUNT_CACHE_SECONDS", default=60)

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        # An unacknowledged task comes back only after this, and a task still running after it is
        # delivered a second time: it must exceed every task's hard time limit and retry delay
        # (tests/common/test_owed_work.py checks). A killed worker's work does not wait for it: its
        # rows are run by the sweepers within minutes (common/owed.py, rematch_sweep).
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    }
else:
    # The embedded default needs no server: Kombu's file-system transport (docs/architecture.md).
    CELERY_BROKER_URL = "filesystem://"
    for _sub in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
# A task whose worker died is re-queued; the tasks cap their own retries (see matching/tasks.py).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=900)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=840)
CELERY_TASK_ALWAYS_EAGER = False
# Postings per chunk of the nightly rematch (the workers share the chunks); smaller in the fault tests.
REMATCH_CHUNK_POSTINGS = env.int("REMATCH_CHUNK_POSTINGS", default=5000)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "expire-postings-nightly": {"task": "core.expire_postings", "schedule": crontab(hour=0, minute=5)},
    "rematch-nightly": {"task": "matching.rematch_all", "schedule": crontab(hour=2, minute=0)},
    # Re-queues a lost chunk of the night's rematch and finishes a complete run whose finish was
    # lost (the chunk rows, not the broker, are the truth).
    "rematch-sweep": {"task": "matching.rematch_sweep", "schedule": crontab()},
    # Runs owed matching whose wake-up message was lost or whose worker died (common/owed.py).
    "owed-sweep": {"task": "common.owed_sweep", "schedule": crontab()},
    "notify-held-back": {"task": "matching.notify", "schedule": crontab(minute="*/30", hour="8-20")},
    # The SMS outbox: what the quiet hours held back, lost messages and retries of failed sends.
    "sms-flush": {"task": "core.sms_flush", "schedule": crontab(minute="*/5")},
    # Every application gets an answer: unanswered ones past their deadline are closed (未获回复).
    "close-unanswered-applications": {"task": "matching.close_unanswered", "schedule": crontab(minute=15)},
    # Saved searches (订阅的搜索): new matching postings, one message a search a day, within the hour.
    "saved-search-alerts": {"task": "portal.saved_search_alerts", "schedule": crontab(minute=40)},
    # Retention: registrations unused for SEEKER_RETENTION_DAYS are anonymised, in chunks; after the
    # roll-up (which it does not change) and the rematch, before the day begins.
    "retention-anonymise-nightly": {"task": "matching.retention_anonymise", "schedule": crontab(hour=3, minute=30)},
    # The dashboard's KPI roll-up (docs/kpis.md), after the expiry and before the rematch.
    "dashboard-rollup-nightly": {"task": "dashboard.rollup_refresh", "schedule": crontab(hour=1, minute=30)},
    # Youth stations: tomorrow's consultation bookings are reminded (inbox + SMS), once each.
    "stations-consultation-reminders": {
        "task": "stations.consultation_reminders",
        "schedule": crontab(hour=18, minute=0),
    },
    # The worker heartbeat that /health/ reads: a fresh stamp proves beat, broker and a worker run.
    # Expires unrun after 50 s, so a stopped worker does not come back to a pile of stale stamps.
    "worker-heartbeat": {"task": "common.heartbeat", "schedule": 60.0, "options": {"expires": 50}},
}

# --- Health checks (xiangtan_jobs/common/health.py) -----------------------------------------
# /health/ fails when the last worker heartbeat is older than this, or a queue holds more tasks.
HEALTH_HEARTBEAT_MAX_AGE = env.int("HEALTH_HEARTBEAT_MAX_AGE", default=180)
HEALTH_QUEUE_MAX = env.int("HEALTH_QUEUE_MAX", default=1000)
HEALTH_QUEUES = env.list("HEALTH_QUEUES", default=["celery"])

# --- Metrics (xiangtan_jobs/common/metrics.py) ----------------------------------------------
# /metrics answers a caller from these addresses or networks (the Prometheus server), or one that
# sends "Authorization: Bearer <METRICS_TOKEN>"; everyone else gets a 403.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1/32", "::1/128"])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked account or address before the password is checked. Then
# a mobile number finds its seeker through the registration's phone digest (usernames are not phones).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "xiangtan_jobs.core.auth_backends.PhoneOrUsernameBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- Rate limits (django-ratelimit, counted in the default cache) ----------------------------
# Redis in production, shared by every web process; without REDIS_URL each process counts alone
# in local memory, which is enough for the embedded single-machine default.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "xiangtan_jobs.common.client_ip.client_ip"
# The header in which the reverse proxy passes the client's address (e.g. HTTP_X_REAL_IP);
# empty = REMOTE_ADDR, for a server reached directly.
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="")
# Login with an SMS code: how often a phone number (whether registered or not) and one address
# may ask for a code ("send") and try one ("check"). Mobile carriers put many people behind one
# address, so the per-address limits are the looser ones.
SMS_LOGIN_RATES = {
    "send_phone": env.str("SMS_LOGIN_RATE_SEND_PHONE", default="5/h"),
    "send_ip": env.str("SMS_LOGIN_RATE_SEND_IP", default="30/h"),
    "check_phone": env.str("SMS_LOGIN_RATE_CHECK_PHONE", default="20/h"),
    "check_ip": env.str("SMS_LOGIN_RATE_CHECK_IP", default="60/h"),
}

# Lockout after wrong passwords (django-axes) on /accounts/login/ and /admin/login/: counted per
# account (the phone's digest, never the phone) and, separately, per address; a lock lasts
# AXES_COOLOFF_TIME hours. Staff unlock with `manage.py login_unlock <phone>` (README). The SMS-code
# login has its own limits (SMS_LOGIN_RATES) and stays open to a locked seeker.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = env.int("LOGIN_LOCKOUT_HOURS", default=1)
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "xiangtan_jobs.common.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "xiangtan_jobs.common.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "xiangtan_jobs.common.lockout.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["username", "password"]
# The lockout list is registered by common/admin.py (superusers only), not axes' own admin.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False  # no banner on stdout at every start (manage.py commands, workers)
# Writes from the portal's forms (common/ratelimits.py): POSTs per client address and per
# logged-in account, as "N/s|m|h|d". Registration counts every screen's POST (5 or more for one
# registration); check-in is for the markets' QR check-in (the fair door has FAIR_DOOR_RATES).
POST_RATE_LIMITS = {
    "register": {"ip": env.str("REGISTER_RATE_IP", default="60/h")},
    "apply": {"ip": env.str("APPLY_RATE_IP", default="120/h"), "user": env.str("APPLY_RATE_USER", default="30/h")},
    "saved_search": {
        "ip": env.str("SAVED_SEARCH_RATE_IP", default="120/h"),
        "user": env.str("SAVED_SEARCH_RATE_USER", default="30/h"),
    },
    "checkin": {
        "ip": env.str("CHECKIN_RATE_IP", default="300/h"),
        "user": env.str("CHECKIN_RATE_USER", default="20/h"),
    },
}
# The fair door's staff check-in (fairs/views.py says why these numbers): every POST per staff
# account and per address, and codes that are no ticket of the fair (what stops guessing) apart.
FAIR_DOOR_RATES = {
    "user": env.str("FAIR_DOOR_RATE_USER", default="30/m"),
    "ip": env.str("FAIR_DOOR_RATE_IP", default="120/m"),
    "miss_user": env.str("FAIR_DOOR_MISS_RATE_USER", default="20/10m"),
    "miss_ip": env.str("FAIR_DOOR_MISS_RATE_IP", default="60/10m"),
}

# The admin import keeps an upload between preview and confirmation encrypted under var/, bound to
# its uploader's token and deleted whatever the outcome (common/import_storage.py), never in /tmp.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "xiangtan_jobs.common.import_storage.SealedUploadStorage"

# --- Locale ------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
# WhiteNoise warns about a missing root before the first collectstatic; an empty one is fine.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security (production) ------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS only in production: HSTS for a year (subdomains, preload) and plain HTTP redirected, except
# the load balancer's health check. TLS ends at the reverse proxy (SECURE_PROXY_SSL_HEADER).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^health/", r"^metrics$"]
# Permissions-Policy (django-permissions-policy): no page uses the camera, microphone, location,
# payment or other device features; an embedded page may use none of them either.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
# Pages that show or take personal data are never cached (common/middleware.py).
NO_STORE_PATHS = ["/me/", "/register/", "/accounts/", "/admin/"]
# Staff (admin) sessions end after this many seconds without a request; seekers' sessions last
# SESSION_COOKIE_AGE (Django's two weeks) so that they stay logged in on their own phone.
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=30 * 60)
# Content-Security-Policy (django-csp): scripts, styles, images and fonts from our own static
# files only; no inline script, no CDN, no framing. Every page that gains a script follows it:
# a library is vendored under static/vendor/, page code lives in static/js/ (never inline).
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

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "xiangtan_jobs.core.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "xiangtan_jobs.common.api.IdCursorPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "xiangtan_jobs.common.api.TokenRateThrottle",
        "xiangtan_jobs.common.api.UserRateThrottle",
        "xiangtan_jobs.common.api.AddressRateThrottle",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "xiangtan_jobs.common.api.api_exception_handler",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per period ("N/second|minute|hour|day"): per API token (a partner system), per
# logged-in account (browser session), per client address (anonymous; CLIENT_IP_HEADER).
API_THROTTLE_RATES = {
    "token": env.str("API_THROTTLE_TOKEN", default="600/minute"),
    "user": env.str("API_THROTTLE_USER", default="120/minute"),
    "address": env.str("API_THROTTLE_ADDRESS", default="60/minute"),
}
# The change feed serves changes at least this old, so that a transaction still running when a
# client reads cannot commit a change behind the client's cursor (docs/data-exchange.md).
API_FEED_SETTLE_SECONDS = env.int("API_FEED_SETTLE_SECONDS", default=10)
SPECTACULAR_SETTINGS = {
    "TITLE": "湘潭市公共就业服务平台 API",
    "DESCRIPTION": (
        "公开接口（岗位、工种、区域、服务点、招聘会）无需登录；求职者接口用网站登录（会话）；"
        "服务点接口用管理后台签发的 API 令牌（Authorization: Bearer xt_…）或工作人员登录。"
        "所有错误统一为 {detail, code, errors}，参数错误返回 400 和逐字段的中文说明"
        "（请求头 Accept-Language: en 时为英文）。"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "WorkTypeEnum": "xiangtan_jobs.core.enums.WorkType",
        "WageUnitEnum": "xiangtan_jobs.core.enums.WageUnit",
        "SkillLevelEnum": "xiangtan_jobs.core.enums.SkillLevel",
        "ShiftEnum": "xiangtan_jobs.core.enums.Shift",
        "KeyGroupEnum": "xiangtan_jobs.core.enums.KeyGroup",
        "PostingStatusEnum": "xiangtan_jobs.core.enums.PostingStatus",
        "SeekerStatusEnum": "xiangtan_jobs.core.enums.SeekerStatus",
        "ServicePointStatusEnum": "xiangtan_jobs.core.enums.ServicePointStatus",
        "MatchStatusEnum": "matching.enums.MatchStatus",
        "FairStatusEnum": "fairs.enums.FairStatus",
    },
}

# --- Portal -----------------------------------------------------------------------------------
PRIVACY_NOTICE_VERSION = "2025-01"
# Retention (PIPL art. 19, kept no longer than needed): a registration with no login, application,
# update or service at a site for this many days is anonymised by the nightly task
# matching.retention_anonymise (README "Privacy"); 730 days = two years.
SEEKER_RETENTION_DAYS = env.int("SEEKER_RETENTION_DAYS", default=730)
SITE_NAME = "湘潭市公共就业服务平台"
# Outgoing SMS: the console backend writes to the log; a real provider is a dotted path here.
SMS_BACKEND = env.str("SMS_BACKEND", default="xiangtan_jobs.common.sms.ConsoleSmsBackend")
# A match at least this strong is worth a message; at most one message per seeker per day, and
# none during the quiet hours (local time, start-end; empty = never quiet, used by tests).
NOTIFY_MIN_SCORE = env.float("NOTIFY_MIN_SCORE", default=70.0)
# The dashboard: hours within which an application should be answered (docs/kpis.md).
DASHBOARD_ANSWER_HOURS = env.int("DASHBOARD_ANSWER_HOURS", default=72)
NOTIFY_QUIET_HOURS = env.str("NOTIFY_QUIET_HOURS", default="21-8")
# Every application gets an answer: one no operator acted on for this many days is closed as
# 「未获回复」 (day gigs are decided within days; other work within two weeks).
APPLICATION_ANSWER_DAYS_DAY_GIG = env.int("APPLICATION_ANSWER_DAYS_DAY_GIG", default=3)
APPLICATION_ANSWER_DAYS = env.int("APPLICATION_ANSWER_DAYS", default=14)
# The portal's public address, for links in text messages.
PUBLIC_URL = env.str("PUBLIC_URL", default="http://127.0.0.1:8000")

# Structured logs (xiangtan_jobs/common/logs.py): one JSON object a line ("text" for a terminal),
# each with the request id of the request or task it belongs to; phones and ID numbers masked.
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "xiangtan_jobs.common.logs.RequestIdFilter"},
    },
    "formatters": {
        "json": {
            "()": "xiangtan_jobs.common.logs.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": True,
            "json_ensure_ascii": False,
        },
        "text": {
            "()": "xiangtan_jobs.common.logs.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # runserver's request lines carry the query string: through the same masking handler.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # A failed probe is already the 503 (logged by django.request); no traceback per probe.
        "health_check": {"level": "ERROR"},
    },
}
# The worker keeps these handlers instead of installing Celery's own (JSON lines there too).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Error reports to Sentry, only when SENTRY_DSN is set; no personal data: no cookies, users or
# request bodies are sent, and phones and ID numbers are masked in what is (common/logs.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    from xiangtan_jobs.common.logs import sentry_before_send

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
        max_request_body_size="never",
        before_send=sentry_before_send,  # type: ignore[arg-type]
        integrations=[DjangoIntegration(), CeleryIntegration()],
    )
