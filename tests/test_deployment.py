import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_check_deploy_reports_no_issue_with_debug_off():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "office_reform.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "-Zq8#vW2!pL5@xR9$mT3^nB7&cY1*hJ4(gF6)dS0",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "reform.city.example.jp",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser-test fixtures only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "office_reform.settings.production"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


OUTSIDE_ASSET = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//(?!127\.0\.0\.1|localhost)""")


def test_no_page_loads_anything_from_outside():
    # City networks are closed: every CSS, JS and font comes from the app itself.
    base = Path(settings.BASE_DIR)
    offenders = []
    for path in [*base.glob("templates/**/*.html"), *base.glob("*/templates/**/*.html")]:
        if ".venv" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if OUTSIDE_ASSET.search(line):
                offenders.append(f"{path.relative_to(base)}:{number}: {line.strip()}")
    for path in base.glob("*/static/**/*.css"):
        if "@import url(http" in path.read_text() or "url(http" in path.read_text():
            offenders.append(str(path.relative_to(base)))
    assert not offenders, "\n".join(offenders)
