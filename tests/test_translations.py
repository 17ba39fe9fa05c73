"""The Japanese catalogue is complete: every msgid in the code has a Japanese translation.

Regenerates the catalogues with makemessages in a copy of the source tree (so the working
tree is untouched) and fails on any entry left empty or fuzzy.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

IGNORED = (".venv", ".git", "media", "staticfiles", "__pycache__", "*.mo", ".pytest_cache")


@pytest.fixture(scope="module")
def regenerated_catalogues(tmp_path_factory) -> list[Path]:
    assert shutil.which("xgettext"), "install gettext (make test does)"
    copy = tmp_path_factory.mktemp("source") / "tree"
    shutil.copytree(settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(*IGNORED))
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "ja",
            "-v0",
            "--ignore=tests",
            "--ignore=bench",
            "--ignore=static/vendor",
        ],
        cwd=copy,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "office_reform.settings.test"},
    )
    return sorted(copy.glob("**/locale/ja/LC_MESSAGES/django.po"))


def test_every_message_has_a_japanese_translation(regenerated_catalogues):
    assert regenerated_catalogues, "no Japanese catalogue found"
    missing = []
    for path in regenerated_catalogues:
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            translated = (
                all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
            )
            if not translated or "fuzzy" in entry.flags:
                missing.append(f"{path.parts[-5]}: {entry.msgid!r}")
    assert not missing, "untranslated:\n" + "\n".join(missing)
