"""Settings shared by every environment. Only this module reads the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    # Login throttling: failed sign-ins per user and address (see "Sign-in lockout" in README).
    "axes",
    # Background work (the report PDF and its electronic data): django-tasks, the backport of
    # Django 6's tasks framework, with its database queue (worker: manage.py db_worker).
    "django_tasks",
    "django_tasks_db",
    "csp",
    # The engagement, its organisations, members and roles: shared by every stage.
    "engagements",
    # One app per stage of the engagement.
    "survey",
    "proposals",
    "procurement",
    "disposal",
    "meetings",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy with a nonce per response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Renews the session (the idle timeout) every few minutes instead of on every request.
    "engagements.sessions.IdleSessionMiddleware",
    # After a request that may have written, the dashboard's stored stage progress is redone.
    "engagements.progress.ProgressInvalidationMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL character in any text input (form, query string, JSON) is refused with 400.
    "engagements.input_guard.NulCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # While a questionnaire kiosk runs, the session reaches nothing but the kiosk's pages.
    "survey.kiosk.KioskMiddleware",
    # Records the signed-in user on every history row written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Answers a locked-out sign-in with the lockout page (last, as django-axes asks).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "office_reform.urls"
WSGI_APPLICATION = "office_reform.wsgi.application"

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
                "engagements.context_processors.stages",
                "csp.context_processors.nonce",
            ],
            "builtins": [
                "engagements.templatetags.japanese",
                "engagements.templatetags.status_badges",
                "engagements.templatetags.images",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses sign-ins of a locked-out user/address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: after AXES_FAILURE_LIMIT wrong passwords for the same user name from the same
# address, sign-in (the app's and the admin's) is refused for AXES_COOLOFF_TIME hours, even
# with the right password. Unlock: `manage.py axes_reset` (all),
# `manage.py axes_reset_username <name>` or `manage.py axes_reset_ip <address>`.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("DJANGO_AXES_COOLOFF_HOURS", 1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind the TLS proxy the client's address is in X-Forwarded-For (set DJANGO_AXES_PROXY_COUNT
# to the number of proxies in front of gunicorn).
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("DJANGO_AXES_PROXY_COUNT", 0)) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# A rejected form (expired CSRF token) gets a Japanese page in the site's layout.
CSRF_FAILURE_VIEW = "engagements.errors.csrf_failure"
# Content-Security-Policy (django-csp): scripts only from the app itself or inline with this
# response's nonce (<script nonce="{{ CSP_NONCE }}">), never inline event handlers or eval;
# nothing from another origin (city networks are closed anyway). Inline style attributes
# remain allowed. User uploads get "sandbox" (engagements.views.upload_response).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Sessions live in the database (any app server can answer any request) and end after a working
# day without a request (idle time) or when the browser closes (shared tablets). A request
# renews the session when its last renewal is SESSION_RENEW_AFTER_SECONDS old
# (engagements.sessions.IdleSessionMiddleware), not on every request: one write every few
# minutes instead of one per page.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_IDLE_SECONDS", 9 * 60 * 60))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_AFTER_SECONDS = 5 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The cache holds only what can be rebuilt: page parts and engagements keyed by the data
# generation read from the database (engagements.fragments). Each server's own memory is
# enough (a cold server renders the part itself); a shared cache would only save renders.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 1000},  # a few hundred kB each at most: tens of MB
    }
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "engagements:engagement_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads are read and written only through STORAGES["default"]: a local folder (one server,
# or a shared NFS mount) or, with DJANGO_STORAGE=s3, an S3-compatible bucket that every app
# server and worker shares. Downloads always pass the membership check at /media/.
S3_STORAGE = {
    "BACKEND": "engagements.storage.ProtectedS3Storage",
    "OPTIONS": {
        "bucket_name": os.environ.get("DJANGO_S3_BUCKET", ""),
        "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("DJANGO_S3_REGION") or None,
        "access_key": os.environ.get("DJANGO_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("DJANGO_S3_SECRET_ACCESS_KEY") or None,
        "location": os.environ.get("DJANGO_S3_PREFIX", ""),
    },
}
if os.environ.get("DJANGO_STORAGE", "").lower() == "s3":
    STORAGES["default"] = S3_STORAGE
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

# Report builds run in the worker (manage.py db_worker), off the web request. Tests run them
# immediately (settings.test). Moving to Django 6 changes the import, not the design.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The empty choice of every list filter reads 「すべて」 instead of 「---------」.
FILTERS_EMPTY_CHOICE_LABEL = pgettext_lazy("list filter", "All")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Fonts the report PDF asks for, first found wins; the Debian packages fonts-ipaexfont and
# fonts-noto-cjk provide them. The PDF embeds the font, so readers need none installed.
REPORT_FONT_FAMILIES = ["IPAexMincho", "IPAexGothic", "Noto Serif CJK JP", "Noto Sans CJK JP"]

# Domain settings that vary by city (DOMAIN.md): kept here, not as constants in code.
OFFICE_REFORM = {
    "CONSUMPTION_TAX_PERCENT": 10,
    "DOCUMENT_FM_PER_PERSON_BENCHMARK": "8.4",
    "MIN_AISLE_MM": 900,
    # Uploaded images: at most this many pixels (a 12000×12000 PNG is refused).
    "MAX_IMAGE_PIXELS": 40_000_000,
    # ... and at most this much memory for their decoded pixels, read from the header
    # (Pillow keeps RGB and RGBA in 4 bytes a pixel: 96 MB is 24 megapixels in colour).
    "MAX_IMAGE_DECODED_BYTES": 96_000_000,
    # One size limit per kind of uploaded file (engagements/uploads.py), for every file field.
    "UPLOAD_MAX_BYTES": {
        "image": 10 * 2**20,
        "pdf": 20 * 2**20,
        "office": 20 * 2**20,
        "text": 5 * 2**20,
    },
    # Pages and the report show a copy of each photo and plan at most this many pixels wide
    # or high (engagements/images.py).
    "DISPLAY_IMAGE_MAX_PX": 2000,
    # Procurement (DOMAIN.md): quotes required up to an amount with tax (None: above all);
    # inspection within N days of the notice of delivery; storage this tall is anchored;
    # an OA tap's rating; default watts per device; LAN run limits per cable category.
    "PROCUREMENT": {
        "QUOTES_REQUIRED": [(1_000_000, 2), (None, 3)],
        "INSPECTION_DAYS": 10, "TALL_STORAGE_MM": 1200, "OA_TAP_RATING_W": 1500,
        "EQUIPMENT_WATTS": {"pc": 150, "monitor": 30, "phone": 5, "printer": 900, "booth": 200},
        "LAN_MAX_LENGTH_M": {"Cat5e": 100, "Cat6": 55, "Cat6A": 100},
        "OFFICE_HOURS": ("08:45", "17:30"),
    },
    # Disposal (DOMAIN.md): manifest copies B2/D and E due back within these days of issue;
    # a copy not back is reported within the next 30 days; waste licences run 5 (優良 7) years.
    "MANIFEST_B2_D_DAYS": 90,
    "MANIFEST_E_DAYS": 180,
    "MANIFEST_REPORT_DAYS": 30,
    "WASTE_LICENCE_YEARS": 5,
    "WASTE_LICENCE_YEARS_EXCELLENT": 7,
    # Survey workbooks (Excel import): the file, what it unpacks to (checked before it is
    # opened: a zip bomb is refused), its sheets and the rows of a sheet.
    "IMPORT_MAX_BYTES": 10 * 2**20,
    "IMPORT_MAX_UNCOMPRESSED_BYTES": 100 * 2**20,
    "IMPORT_MAX_SHEETS": 20,
    "IMPORT_MAX_ROWS": 20_000,
    # The key of the backup manifest's HMAC (manage.py backup / restore). Kept off the
    # archive; empty: derived from DJANGO_SECRET_KEY (a restore then needs the same one).
    "BACKUP_KEY": os.environ.get("DJANGO_BACKUP_KEY", ""),
}

# Who gets a mail with the traceback of every server error: DJANGO_ADMINS="Name <a@b>,c@d"
# (needs EMAIL_HOST etc.; DJANGO_EMAIL_HOST, DJANGO_SERVER_EMAIL). Every 500 is also written
# with its traceback to stderr, which gunicorn keeps in its log.
ADMINS = [
    (address.split("<")[0].strip() or address.strip(), address.split("<")[-1].strip(" >"))
    for address in os.environ.get("DJANGO_ADMINS", "").split(",")
    if address.strip()
]
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", 25))
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", "root@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "verbose": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # stderr, with the traceback (exc_info) of the request that failed.
        "errors": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                   "formatter": "verbose", "level": "ERROR"},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR",
                        "filters": ["require_debug_false"]},
    },
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "loggers": {
        "django.request": {"handlers": ["errors", "mail_admins"], "level": "ERROR",
                           "propagate": False},
        # WeasyPrint reports every unsupported CSS property at WARNING level.
        "weasyprint": {"handlers": ["console"], "level": "ERROR"},
        "fontTools": {"handlers": ["console"], "level": "ERROR"},
    },
}
