"""
Settings for Fichero, read from the environment.

Every setting has a development default, so a fresh clone runs with no
configuration at all. `.env.example` documents each variable. Production is
`DJANGO_DEBUG=false` plus real hosts; `python manage.py check --deploy` then
reports nothing.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from config.database import database_config

BASE_DIR = Path(__file__).resolve().parent.parent

environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
env = environ.Env()
# An empty variable, such as `MEDIA_ROOT=`, counts as unset: it gets the default.
env.ENVIRON = {name: value for name, value in os.environ.items() if value}

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env(
        "DJANGO_SECRET_KEY", default="insecure-development-key-never-used-in-production"
    )
    ALLOWED_HOSTS = env.list(
        "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"]
    )
else:
    SECRET_KEY = env("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# How many proxies of ours append to X-Forwarded-For (0: trust none of it).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

INSTALLED_APPS = [
    "accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "knox",
    "axes",
    "accounts",
    "catalogs",
    "chat",
    "audit",
]

MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.ApiExceptionMiddleware",
    "catalogs.limits.UploadSizeLimitMiddleware",
    # Last, as django-axes asks: it turns a lockout into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: a Secrets Manager secret, else DATABASE_URL, else SQLite.
DATABASES = {
    "default": database_config(
        secret_arn=env("DB_SECRET_ARN", default=""),
        database_url=env("DATABASE_URL", default=""),
        sqlite_path=BASE_DIR / "db.sqlite3",
        conn_max_age=env.int("DB_CONN_MAX_AGE", default=60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses locked-out logins before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.EmailBackend",
]
LOGIN_URL = "rest_framework:login"
LOGIN_REDIRECT_URL = "api-root"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Files: S3 when a bucket is named, else the local media folder.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
AWS_DEFAULT_ACL = None
AWS_S3_FILE_OVERWRITE = False
AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=300)
AWS_S3_SIGNATURE_VERSION = "s3v4"
# A file read from S3 (for text extraction) moves from memory to a temporary
# file past this size, so a large document does not fill Lambda's memory.
AWS_S3_MAX_MEMORY_SIZE = env.int("AWS_S3_MAX_MEMORY_SIZE", default=16 * 1024 * 1024)

if AWS_STORAGE_BUCKET_NAME:
    default_storage = {"BACKEND": "storages.backends.s3.S3Storage"}
else:
    default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": default_storage,
    "staticfiles": {"BACKEND": "config.storages.StaticFilesStorage"},
}
# A relative path is relative to the folder of manage.py.
MEDIA_ROOT = (BASE_DIR / env("MEDIA_ROOT", default="media")).resolve()
if BASE_DIR.is_relative_to(MEDIA_ROOT):
    raise ImproperlyConfigured(
        f"MEDIA_ROOT is {MEDIA_ROOT}, which holds Fichero's own code; stored "
        "files would mix with it. Name a folder of their own, such as the "
        "default, media/ beside manage.py."
    )
MEDIA_URL = "media/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Absolute, so that the storage adds the script prefix per request.
STATIC_URL = "/static/"
# Pages link static files by their hashed names only; the originals need not ship.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# Uploads through the API stay under Lambda's 6 MB request body limit.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "catalogs.limits.SizeLimitUploadHandler",
    "catalogs.uploadhandlers.SpooledUploadHandler",
]

ALLOW_SIGNUP = env.bool("ALLOW_SIGNUP", default=True)
# Text extraction: on Lambda a separate asynchronous invocation, else inline.
EXTRACTION_ASYNC = env.bool(
    "EXTRACTION_ASYNC", default="AWS_LAMBDA_FUNCTION_NAME" in os.environ
)
EXTRACTION_MAX_CHARS = env.int("EXTRACTION_MAX_CHARS", default=2_000_000)
# A PDF is read for at most this long, under Lambda's 28 seconds.
EXTRACTION_MAX_SECONDS = env.int("EXTRACTION_MAX_SECONDS", default=20)
CHAT_PASSAGE_WORDS = env.int("CHAT_PASSAGE_WORDS", default=180)
CHAT_PASSAGE_OVERLAP = env.int("CHAT_PASSAGE_OVERLAP", default=40)

CHAT_BACKEND = env("CHAT_BACKEND", default="extractive")
CHAT_MESSAGE_MAX_CHARS = env.int("CHAT_MESSAGE_MAX_CHARS", default=2000)
CHAT_CITATIONS = env.int("CHAT_CITATIONS", default=4)
CHAT_HISTORY_TURNS = env.int("CHAT_HISTORY_TURNS", default=6)
BEDROCK_MODEL_ID = env("BEDROCK_MODEL_ID", default="")
BEDROCK_REGION = env("BEDROCK_REGION", default=None)
BEDROCK_TIMEOUT_SECONDS = env.int("BEDROCK_TIMEOUT_SECONDS", default=20)
BEDROCK_MAX_TOKENS = env.int("BEDROCK_MAX_TOKENS", default=800)

# Request throttling counts in the "throttle" cache, which every Lambda
# instance shares: Redis when REDIS_URL is set (the redis package must then be
# in requirements.txt), else a database table that `migrate` creates. Nothing
# uses the default cache so far; without Redis it is per process.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
    CACHES = {"default": redis_cache, "throttle": redis_cache}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "throttle_cache",
            # One entry per client and scope. Past this many, entries still
            # counting would be dropped to make room, letting their clients
            # start afresh.
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
    }

# Brute-force lockout: failures are counted in the database, so that every
# Lambda instance sees them. An account, or a client address, is refused for
# the cool-off period once it reaches the limit.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "config.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Refused attempts during a lockout do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Logins are in the activity log already; no banner on every start-up.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "email", "ip_address"]

# Tokens for scripts: stored hashed, valid for a limited time.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("TOKEN_TTL_HOURS", default=10)),
    "AUTH_HEADER_PREFIX": "Token",
}


def throttle_rate(name, *, default):
    """A request rate such as `20/hour`, refused at start-up if malformed."""
    rate = env(name, default=default)
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", rate):
        raise ImproperlyConfigured(
            f"{name} is {rate!r}; write a number of requests per second, "
            f"minute, hour or day, such as {default}."
        )
    return rate


REST_FRAMEWORK = {
    # A request with a token is authenticated by it alone: no session cookie,
    # no CSRF check.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "config.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "config.api.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "config.api.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.exceptions.api_exception_handler",
    # The rates of the views that use accounts.throttling.ScopedRateThrottle.
    "DEFAULT_THROTTLE_RATES": {
        "signup": throttle_rate("SIGNUP_THROTTLE_RATE", default="20/hour"),
        "chat": throttle_rate("CHAT_THROTTLE_RATE", default="30/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Fichero API",
    "DESCRIPTION": "Documents in catalogs, and a chat that answers from them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # A fixed release of the Swagger UI page, not whatever is newest that day.
    "SWAGGER_UI_DIST": "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.35.0",
    "SWAGGER_UI_FAVICON_HREF": (
        "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.35.0/favicon-32x32.png"
    ),
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "accounts.models.Role",
        "SignupRoleEnum": "accounts.models.SIGNUP_ROLES",
    },
}

# Behind API Gateway the connection to the client is always HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
        "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
    )
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

LOG_FORMAT = env("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.logging.RequestIdFilter"}},
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level"},
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["stdout"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        **{name: {"level": "WARNING"} for name in ("boto3", "botocore", "s3transfer")},
        # accounts.receivers logs each login, failure and lockout once.
        "axes": {"level": "ERROR"},
        # Django's own console handler would print each of its lines twice.
        "django": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
