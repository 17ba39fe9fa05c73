"""Local development: debug on, a throw-away secret key, files served by runserver."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "local-development-only-not-secret"
STORAGES = {
    "default": STORAGES["default"],  # noqa: F405 - base's choice (DJANGO_STORAGE=s3 works here)
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
