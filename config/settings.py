"""Closeloop settings, read from the environment (12-factor, django-environ).

Embedded default: SQLite file, tasks run in-process, DEBUG on. Production sets DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL and CELERY_BROKER_URL (see README). A malformed value fails at start-up.
"""

import re
import warnings
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def env_flag(name: str, default: bool) -> bool:
    """A boolean from the environment; anything but 1/0, true/false, yes/no, on/off stops the start."""
    raw = env.str(name, default=str(int(default))).strip().lower()
    if raw not in _TRUE | _FALSE:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1 or 0.")
    return raw in _TRUE


DEBUG = env_flag("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="closeloop-development-only-not-secret")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be set (50 characters or more) when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # SimpleAdminConfig: no admin autodiscovery, because django-leaflet's admin module needs GDAL, which we do not
    # use (coordinates are plain fields). config/urls.py imports the admin modules it wants.
    "django.contrib.admin.apps.SimpleAdminConfig",
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
    "django_countries",
    "django_htmx",
    "leaflet",
    "csp",
    "partners",
    "scenarios",
    "assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
                "partners.context_processors.organizations",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded files (certificates) are private: they are never served from MEDIA_URL, only through views that check
# access. MEDIA_ROOT must not be exposed by the web server.
# In development WhiteNoise serves from the app folders; STATIC_ROOT exists only after collectstatic.
warnings.filterwarnings("ignore", message="No directory at: ")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media-not-served/"

# Certificates: PDF, PNG or JPEG, at most this many bytes (documented in the README).
CERTIFICATE_MAX_BYTES = env.int("CERTIFICATE_MAX_BYTES", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = CERTIFICATE_MAX_BYTES + 1_048_576
# JSON bodies of the API: at most this many bytes, lists and objects nested at most this deep.
API_JSON_MAX_BYTES = env.int("API_JSON_MAX_BYTES", default=2 * 1024 * 1024)
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=32)
if API_JSON_MAX_BYTES < 1024 or API_JSON_MAX_DEPTH < 4:
    raise ImproperlyConfigured("API_JSON_MAX_BYTES must be at least 1024 and API_JSON_MAX_DEPTH at least 4.")


# Transport distances: geodesic (WGS-84) distance times a circuity factor per mode, used when no distance is typed.
# Road 1.3: DOMAIN.md, "about 1.2-1.3 (Newell 1980; O'Sullivan 1996: 1.21-1.23); use about 1.3 for European road
# freight". Rail, inland waterway and sea: ASSUMPTION, the road figure reused, because our references give no
# mode-specific factor; set CIRCUITY_<MODE> from your own routing data, or type the real distance on the route.
def _circuity(mode: str, default: float) -> float:
    value = env.float(f"CIRCUITY_{mode.upper()}", default=default)
    if value < 1:
        raise ImproperlyConfigured(
            f"CIRCUITY_{mode.upper()}={value} is below 1; a route is never shorter than the geodesic."
        )
    return value


CIRCUITY_FACTORS = {mode: _circuity(mode, 1.3) for mode in ("road", "rail", "inland_waterway", "sea")}
CIRCUITY_SOURCES = {
    "road": "Newell 1980; O'Sullivan 1996 (DOMAIN.md: about 1.3 for European road freight)",
    "rail": "assumption: road factor reused",
    "inland_waterway": "assumption: road factor reused",
    "sea": "assumption: road factor reused",
}
# The mode a new route takes unless the user picks another: road, as most reverse-logistics scrap flows move by truck.
DEFAULT_TRANSPORT_MODE = env.str("DEFAULT_TRANSPORT_MODE", default="road")
if DEFAULT_TRANSPORT_MODE not in CIRCUITY_FACTORS:
    raise ImproperlyConfigured(
        f"DEFAULT_TRANSPORT_MODE={DEFAULT_TRANSPORT_MODE!r}; use one of {', '.join(CIRCUITY_FACTORS)}."
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# E-mail: see the block "Work handed to workers, and the e-mail it sends" below.

# Security: on by default when DEBUG is off; `manage.py check --deploy` is clean with the README's production env.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_flag("BEHIND_TLS_PROXY", default=False) else None
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_flag("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Celery: without a broker, tasks run in-process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None) or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

# Partner rankings with at least this many candidates are computed by a worker, with progress; smaller ones at once.
AHP_TASK_MIN_CANDIDATES = env.int("AHP_TASK_MIN_CANDIDATES", default=30)

# Longest a worker spends on one optimisation solve (each point of a cost-CO2e front is one solve).
OPTIMISE_TIME_LIMIT_S = env.float("OPTIMISE_TIME_LIMIT_S", default=60.0)

# ==== Work handed to workers, and the e-mail it sends (issue 11, hardening) =====================================
# A worker killed mid-run, a broker that is down and invitations that never leave: see assessment/jobs.py,
# partners/broker.py, partners/checks.py and the README's production section. Every name below is documented there.

# The broker answers within this many seconds or the request is refused at once with a 503 ("The task queue is not
# reachable; nothing was started."), nothing created: connecting, then publishing with one quick retry, takes a few
# seconds at most instead of Celery's default of about 20.
CELERY_BROKER_TIMEOUT_S = env.float("CELERY_BROKER_TIMEOUT_S", default=2.0)
CELERY_BROKER_CONNECTION_TIMEOUT = CELERY_BROKER_TIMEOUT_S
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True  # a worker started before Redis keeps trying
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.5, "interval_step": 0.5, "interval_max": 0.5}
# Results live on the rows (runs, rankings, optimisations), never in the result backend: ignoring them spares each
# send a round trip to the backend, which retried for 20 s when Redis was down.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"timeout": CELERY_BROKER_TIMEOUT_S}}

# Redis hands an unacknowledged message (tasks acknowledge late) to another worker after the visibility timeout.
# It must exceed the longest task, or a running task is delivered twice: the longest is an optimisation with the
# largest front (1 proposal + 31 solves for the 30 points optimisation_request accepts at most), each at most
# OPTIMISE_TIME_LIMIT_S, plus a margin of 10 minutes for reading, storing and a slow machine: 60 s x 32 + 600 s =
# 2,520 s by default. The sweep below, not this timeout, is what brings back the work of a killed worker.
OPTIMISE_MAX_SOLVES = 1 + 30 + 1
CELERY_VISIBILITY_TIMEOUT_S = env.int(
    "CELERY_VISIBILITY_TIMEOUT_S", default=int(OPTIMISE_TIME_LIMIT_S * OPTIMISE_MAX_SOLVES + 600)
)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT_S,
    "socket_connect_timeout": CELERY_BROKER_TIMEOUT_S,
    "socket_timeout": 10.0,  # above the 1 s a worker's BRPOP waits
}

# A worker computing a job writes a heartbeat every WORKER_HEARTBEAT_S; a running job silent for WORKER_STALE_AFTER_S
# is taken back by the sweep and sent again, up to WORKER_MAX_ATTEMPTS takes, then failed with a message. The sweep
# runs every WORKER_SWEEP_EVERY_S under Celery beat (`celery -A config beat`), or from cron: `manage.py sweep_jobs`.
WORKER_HEARTBEAT_S = env.float("WORKER_HEARTBEAT_S", default=15.0)
WORKER_STALE_AFTER_S = env.float("WORKER_STALE_AFTER_S", default=120.0)
if WORKER_STALE_AFTER_S < 3 * WORKER_HEARTBEAT_S:
    raise ImproperlyConfigured(
        f"WORKER_STALE_AFTER_S={WORKER_STALE_AFTER_S:g} must be at least three heartbeats "
        f"(3 x WORKER_HEARTBEAT_S={WORKER_HEARTBEAT_S:g}), or live workers are swept."
    )
WORKER_MAX_ATTEMPTS = env.int("WORKER_MAX_ATTEMPTS", default=3)
if WORKER_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured(
        f"WORKER_MAX_ATTEMPTS={WORKER_MAX_ATTEMPTS}: a job is taken at least once; use 1 or more."
    )
WORKER_SWEEP_EVERY_S = env.float("WORKER_SWEEP_EVERY_S", default=60.0)
CELERY_BEAT_SCHEDULE = {
    "sweep-worker-jobs": {
        "task": "assessment.tasks.sweep_jobs",
        "schedule": WORKER_SWEEP_EVERY_S,
        "options": {"expires": WORKER_SWEEP_EVERY_S},
    },  # sweeps do not pile up without a worker
}

# E-mail (invitations are sent by the worker). EMAIL_URL through django-environ (smtp+tls://user:password@host:587)
# or EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL (SMTP as soon as
# EMAIL_HOST is set). Without either, mails go to the console, that is the worker's log: the system check
# closeloop.E001 (partners/checks.py) refuses the console and in-memory backends when DEBUG=0.
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_HOST = env.str("EMAIL_HOST", default="")
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND",
        default="django.core.mail.backends.smtp.EmailBackend"
        if EMAIL_HOST
        else "django.core.mail.backends.console.EmailBackend",
    )
    EMAIL_HOST = EMAIL_HOST or "localhost"
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", default=False)
    EMAIL_USE_SSL = env_flag("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="closeloop@localhost")
# ==== end of: work handed to workers, and the e-mail it sends ===================================================

# When set, tests that need PostgreSQL, Redis or Chromium fail instead of skipping (CI).
REQUIRE_SERVICES = env_flag("REQUIRE_SERVICES", default=False)

REST_FRAMEWORK = {
    # Token first: DRF answers anonymous requests 401 with its WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # One JSON parser with a size and a depth limit (a refused body is a 400 with a JSON message), forms and uploads.
    "DEFAULT_PARSER_CLASSES": [
        "partners.api_input.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_METADATA_CLASS": "partners.api_input.InputMetadata",
    # The browsable API's pages allow DRF's inline styles (config/api_renderers.py); JSON first, as DRF's default.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "config.api_renderers.BrowsableAPIRenderer"],
    "DEFAULT_PAGINATION_CLASS": "partners.pagination.PageNumberPagination",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "partners.negotiation.ContentNegotiation",  # ?format= checked
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    # Documents the refusals (400, 401, 403, 404, 409, 415) with their bodies for every operation.
    "DEFAULT_SCHEMA_CLASS": "partners.api_schema.ErrorResponsesSchema",
    "EXCEPTION_HANDLER": "partners.api_errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Closeloop API",
    "DESCRIPTION": "Reverse logistics networks: partners, facilities, description sheets and sharing.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from our own static files (drf-spectacular-sidecar), not a CDN: the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Leaflet through django-leaflet. Tiles are the only thing the pages load from outside; the URL is a setting.
MAP_TILES_URL = env.str("MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env.str(
    "MAP_TILES_ATTRIBUTION", default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)


def tile_image_source(url: str) -> str | None:
    """The CSP source that lets pages load MAP_TILES_URL's images: its scheme and host (a Leaflet subdomain
    placeholder `{s}` becomes `*`); None for tiles served from our own origin (a path) or no tiles."""
    if not url or url.startswith("/"):
        return None
    parts = urlsplit(url)
    host = parts.netloc.replace("{s}", "*")
    if parts.scheme not in ("http", "https") or not host or re.search(r"[{}\s'\";,]", host):
        raise ImproperlyConfigured(
            f"MAP_TILES_URL={url!r} must be an http(s) address whose host has no placeholder other than {{s}}."
        )
    return f"{parts.scheme}://{host}"


# Content-Security-Policy (django-csp) on every response: scripts, styles, fonts and connections only from our own
# origin (no inline script or style attribute, no eval), images also from the tile host and data: URIs (Pico CSS
# draws its icons as inline SVG data), no plugins, no framing, forms posting only to us. README, "Security model".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *filter(None, [tile_image_source(MAP_TILES_URL)])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (50.0, 8.0),
    "DEFAULT_ZOOM": 4,
    "MIN_ZOOM": 2,
    "MAX_ZOOM": 18,
    "TILES": [("Map", MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION, "maxZoom": 19})] if MAP_TILES_URL else [],
    "RESET_VIEW": False,
}

# ---------------------------------------------------------------- sign-in hardening (lock-out, second factor)
# Lock-out (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords in a row for one account, that account's
# sign-ins are refused (portal, admin) for LOGIN_LOCKOUT_MINUTES, counted from the last failure; a successful
# sign-in before the limit resets the count. `python manage.py axes_reset_username <username>` lifts it early.
INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp"]
MIDDLEWARE += [
    "django_otp.middleware.OTPMiddleware",
    "partners.second_factor.SecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a refused sign-in into the lock-out page
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
if LOGIN_FAILURE_LIMIT < 1 or LOGIN_LOCKOUT_MINUTES < 1:
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES must be 1 or more.")
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]  # per account, wherever the guesses come from
# axes.W006 asks for the client address in the lock-out key. Deliberately not: guesses against one account from many
# addresses must count together, and a limit per address would lock out everyone behind one office's address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the minutes we announce are the minutes it lasts
AXES_LOCKOUT_CALLABLE = "partners.security.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "token"]
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are not kept; failures are, for the lock-out
AXES_VERBOSE = False  # no start-up banner on every manage.py command (it would precede --json output)
# Second factor (django-otp, TOTP): the issuer name authenticator apps show next to the account.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Closeloop")

# Logs go to the console (stderr), DEBUG or not: the `django` loggers write there themselves, without Django's default
# "only under DEBUG" filter, so `django.request` prints every 500 once, with its traceback, while the visitor sees
# templates/500.html. Everything else propagates to the root logger at LOG_LEVEL.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
