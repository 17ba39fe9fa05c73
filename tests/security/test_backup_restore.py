"""manage.py backup / restore round-trips the demo data: every table's rows (timestamps to the
microsecond) and every file's hash (item 17). Runs on SQLite and, with DATABASE_URL, on
PostgreSQL (pg_dump / pg_restore)."""

import hashlib
import io
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from engagements.backup import media_names

from .conftest import PDF_BYTES, png_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> dict[str, list]:
    """Every row of every table, as the database returns it (no serialisation)."""
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            rows[table] = sorted(tuple(map(repr, row)) for row in cursor.fetchall())
    return rows


def file_hashes() -> dict[str, str]:
    hashes = {}
    for name in media_names():
        with default_storage.open(name, "rb") as handle:
            hashes[name] = hashlib.sha256(handle.read()).hexdigest()
    return hashes


def empty_everything():
    call_command("flush", interactive=False, verbosity=0)
    for name in media_names():
        default_storage.delete(name)


@pytest.fixture
def demo(media_root):
    call_command("seed_demo", verbosity=0)
    from engagements.models import Engagement

    engagement = Engagement.objects.order_by("pk").first()
    # uploads of every kind, with a long Japanese name
    default_storage.save(f"engagement_{engagement.pk}/survey/photos/desk.png",
                         ContentFile(png_bytes(60, 40)))
    default_storage.save(f"engagement_{engagement.pk}/meetings/{'議事資料' * 10}.pdf",
                         ContentFile(PDF_BYTES))
    return engagement


def test_round_trip_keeps_every_row_and_every_file(demo, tmp_path):
    before, files = snapshot(), file_hashes()
    assert sum(len(rows) for rows in before.values()) > 100
    archive = tmp_path / "backup.tar"
    call_command("backup", output=str(archive), verbosity=0)

    empty_everything()
    assert file_hashes() == {}
    call_command("restore", str(archive), verbosity=0)

    after = snapshot()
    differing = [table for table in before if before[table] != after.get(table)]
    assert differing == []
    assert file_hashes() == files
    # timestamps kept to the microsecond (dumpdata would cut them to milliseconds)
    from engagements.models import Engagement

    assert any(h.history_date.microsecond % 1000 for h in Engagement.history.all())


def test_restore_refuses_an_archive_whose_hashes_do_not_match(demo, tmp_path):
    archive = tmp_path / "backup.tar"
    call_command("backup", output=str(archive), verbosity=0)
    tampered = tmp_path / "tampered.tar"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.endswith("desk.png"):
                data = data[:-1] + b"\x00"
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    empty_everything()
    with pytest.raises(CommandError) as info:
        call_command("restore", str(tampered), verbosity=0)
    assert "hash differs" in str(info.value)
    assert media_names() == []
    from engagements.models import Engagement

    assert not Engagement.objects.exists()


def test_restore_refuses_a_database_that_is_not_empty(demo, tmp_path):
    archive = tmp_path / "backup.tar"
    call_command("backup", output=str(archive), verbosity=0)
    with pytest.raises(CommandError) as info:
        call_command("restore", str(archive), verbosity=0)
    assert "empty database" in str(info.value)
