"""The test database is made from the models (``--nomigrations`` in pyproject.toml), so this
checks, in a separate process with migrations on, that the migrations match the models."""

import os
import subprocess
import sys

from django.conf import settings


def test_the_migrations_match_the_models():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "office_reform.settings.test"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
