"""qifu settings: the only settings module, read from the environment (see .env.example)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
QIFU_DEMO = env_bool("QIFU_DEMO", False)
QIFU_DEMO_PASSWORD = env_str("QIFU_DEMO_PASSWORD", "Qifu-demo-2026")

INSTALLED_APPS = [
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "captcha",
    "qifu.core",
    "qifu.accounts",
    "qifu.audit",
    "qifu.enterprises",
    "qifu.notices",
    "qifu.appeals",
    "qifu.stats",
    "qifu.investment",
    "qifu.projects",
    "qifu.visits",
    "qifu.reports",
    "qifu.policies",
    "qifu.ideas",
    "qifu.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "qifu.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "qifu.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "qifu.audit.middleware.AuditContextMiddleware",
]

ROOT_URLCONF = "config.urls"
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
                "qifu.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite (WAL, IMMEDIATE transactions, busy timeout) by default; PostgreSQL via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'qifu.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------
_cache_url = env_str("CACHE_URL")
if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
elif _cache_url:
    raise ImproperlyConfigured("CACHE_URL must be a redis:// URL or empty.")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["qifu.accounts.backends.ScopedModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = int(timedelta(hours=10).total_seconds())

# --- Language and time --------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / env_str("STATIC_ROOT", "staticfiles")
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", _NODE / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", _NODE / "bootstrap-icons" / "font"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
    ("vendor/echarts", _NODE / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = BASE_DIR / env_str("MEDIA_ROOT", "media")
# Uploads (Excel, attachments) are at most 10 MB; a whole request at most 12 MB.
QIFU_MAX_REQUEST_BYTES = 12 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail -------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "qifu@localhost")

# Text messages: a class with send(phone, text); the console backend only logs them.
QIFU_SMS_BACKEND = env_str("QIFU_SMS_BACKEND", "qifu.notices.sms.ConsoleSmsBackend")

# --- Ideas portal (征集金点子) ------------------------------------------------------
# The district whose public portal this is (an org unit code); empty: the first with zones.
QIFU_IDEAS_DISTRICT = env_str("QIFU_IDEAS_DISTRICT", "")
# The image CAPTCHA is drawn here (django-simple-captcha); no outside service is asked.
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.random_char_challenge"
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_IMAGE_SIZE = (120, 44)
CAPTCHA_FONT_SIZE = 30

# --- Security (production values unless DEBUG) --------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- REST API -----------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "qifu.core.rest.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "qifu.core.rest.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # the public ideas API, per client address (qifu.ideas.api); 429 when exceeded
    "DEFAULT_THROTTLE_RATES": {"ideas_read": "240/min", "ideas_write": "30/hour"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "qifu API",
    "DESCRIPTION": "企服平台 REST API (/api/v1/). Token: POST /api/v1/auth/token/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "EnterpriseKindEnum": "qifu.enterprises.models.Kind",
        "EnterpriseStatusEnum": "qifu.enterprises.models.Status",
        "AppealKindEnum": "qifu.appeals.models.Kind",
        "AppealStatusEnum": "qifu.appeals.models.Status",
        "SubmissionStatusEnum": "qifu.stats.models.SubmissionStatus",
        "InvestmentChannelKindEnum": "qifu.investment.models.ChannelKind",
        "InvestmentLeadStatusEnum": "qifu.investment.models.LeadStatus",
        "InvestmentResourceKindEnum": "qifu.investment.models.ResourceKind",
        "InvestmentResourceStatusEnum": "qifu.investment.models.ResourceStatus",
        "ProjectStageEnum": "qifu.projects.models.Stage",
        "ProjectDateKindEnum": "qifu.projects.models.DateKind",
        "ProjectObstacleTypeEnum": "qifu.projects.models.ObstacleType",
        "ProjectObstacleStatusEnum": "qifu.projects.models.ObstacleStatus",
        "ProjectTaskStatusEnum": "qifu.projects.models.TaskStatus",
        "VisitKindEnum": "qifu.visits.models.VisitKind",
        "VisitStatusEnum": "qifu.visits.models.VisitStatus",
        "ReportStatusEnum": "qifu.reports.models.ReportStatus",
        "RedFlagKindEnum": "qifu.visits.models.RedFlagKind",
        "QuestionKindEnum": "qifu.visits.models.QuestionKind",
        "ReportKindEnum": "qifu.reports.models.ReportKind",
        "PolicyLevelEnum": "qifu.policies.models.Level",
        "ProgrammeStatusEnum": "qifu.policies.models.ProgrammeStatus",
        "ApplicationStatusEnum": "qifu.policies.models.ApplicationStatus",
        "ApplicationOriginEnum": "qifu.policies.models.Origin",
        "IdeaStatusEnum": "qifu.ideas.models.Status",
        "IdeaTopicEnum": "qifu.ideas.models.Topic",
        "IdeaOutcomeEnum": "qifu.ideas.models.Outcome",
        "IdeaAnswerStatusEnum": "qifu.ideas.models.AnswerStatus",
        "IdeaContactKindEnum": "qifu.ideas.models.ContactKind",
        "IdeaBlockKindEnum": "qifu.ideas.models.BlockKind",
    },
}

# --- Background work ----------------------------------------------------------
# Without a broker, tasks run inline so that the embedded default needs nothing else.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL) or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = "qifu"
CELERY_BEAT_SCHEDULE = {
    "appeals-tick": {"task": "qifu.appeals.tasks.appeals_tick", "schedule": crontab(minute=5)},
    "outbox-send": {"task": "qifu.notices.tasks.outbox_send", "schedule": 60.0},
    "stats-tick": {"task": "qifu.stats.tasks.stats_tick", "schedule": crontab(minute=15, hour=8)},
    "policies-tick": {
        "task": "qifu.policies.tasks.policies_tick",
        "schedule": crontab(minute=30, hour=8),
    },
    "calendar-sync": {
        "task": "qifu.core.tasks.calendar_sync",
        "schedule": crontab(minute=30, hour=2, day_of_week=1),
    },
}

# --- Logging ------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"qifu": {"level": env_str("LOG_LEVEL", "INFO"), "propagate": True}},
}
CSRF_FAILURE_VIEW = "qifu.core.views.csrf_failure"
