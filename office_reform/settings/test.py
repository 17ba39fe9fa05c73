"""Tests: fast hashing, in-memory cache and files, plain static storage."""

import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="office_reform_test_media_")
ALLOWED_HOSTS = ["*"]
# Tests sign in with client.login() (no request, which django-axes needs); the lockout tests
# (tests/security/test_login_throttling.py) switch it on.
AXES_ENABLED = False
# Serve static files from the apps' folders, as in development, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Report builds run at once, inside the request or the test (one test runs a real db_worker).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
