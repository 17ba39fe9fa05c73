"""The data migrations that give the catalogue and suppliers to engagements, run on a database
of before (a separate process, migrations on, a SQLite file of its own)."""

import json
import os
import subprocess
import sys

from django.conf import settings


def test_catalogue_items_and_suppliers_go_to_the_engagements_that_used_them(tmp_path):
    # given three engagements, a desk used by A (approved) and B (draft), an unused item, a
    # company of A, its twin name (a duplicate of an earlier race) and an unused company
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "office_reform.settings.test",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'before.sqlite3'}",
           "PYTHONPATH": str(settings.BASE_DIR)}
    # when the migrations run
    result = subprocess.run([sys.executable, "-m", "tests.apart_migration_script"],
                            cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=300,
                            env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(result.stdout)
    a, b, c = data["e"]
    # then the desk is A's and B's own (B's a copy), the unused item every engagement's
    assert data["items"] == sorted([["机", a], ["机", b], ["未使用", a], ["未使用", b],
                                    ["未使用", c]])
    # and each row points at its own engagement's item; A's approved item keeps name and price
    assert data["layout"] == sorted([[a, a, "机", 100], [b, b, "", None]])
    assert data["work"] == [[a, a]]
    # and the company A used is A's supplier (its twin name left out), the unused one everyone's
    assert data["suppliers"] == sorted([[a, "株式会社Ａ家具"], [a, "株式会社未使用"],
                                        [b, "株式会社未使用"], [c, "株式会社未使用"]])
