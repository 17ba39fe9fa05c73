"""manage.py backup / restore round-trips the demo data: every table's rows (timestamps to the
microsecond) and every file's hash (item 17). An archive is trusted only if its signed
manifest, member names, paths, hashes and the dump's row counts all hold, checked before
anything is written; a backup taken while files are uploaded and deleted holds every file its
rows name. Runs on SQLite and, with DATABASE_URL, on PostgreSQL (pg_dump / pg_restore).

The demo is seeded ONCE for the module and archived; each test (transactional: pg_dump sees
committed rows only, and the database is emptied after each) starts from a restore of that
archive into its own empty media folder.
"""

import hashlib
import io
import json
import tarfile
import threading
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from engagements import backup
from engagements.backup import (
    FRAMEWORK_TABLES,
    backup_marker,
    file_columns,
    manifest_signature,
    media_names,
    restore_backup,
    table_counts,
    write_backup,
)
from engagements.choices import Role
from engagements.files import delete_file_on_commit
from engagements.models import DeferredFileDeletion, Engagement, Membership

from .conftest import PDF_BYTES, png_bytes

pytestmark = pytest.mark.django_db(transaction=True)
# A refused restore writes nothing: its test needs no emptying afterwards (a transactional
# test's flush of every table is what costs the time here).
refusal = pytest.mark.django_db


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


def nothing_written() -> bool:
    filled = [t for t, n in table_counts().items() if n and t not in FRAMEWORK_TABLES]
    return filled == [] and media_names() == []


@pytest.fixture(scope="module")
def demo_archive(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo with uploads of every kind (a long Japanese name too), seeded and archived
    once; the database and its media folder are emptied again."""
    media = tmp_path_factory.mktemp("demo_media")
    path = tmp_path_factory.mktemp("demo_archive") / "demo.tar"
    with override_settings(MEDIA_ROOT=str(media)), django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)
        engagement = Engagement.objects.order_by("pk").first()
        default_storage.save(f"engagement_{engagement.pk}/survey/photos/desk.png",
                             ContentFile(png_bytes(60, 40)))
        default_storage.save(f"engagement_{engagement.pk}/meetings/{'議事資料' * 10}.pdf",
                             ContentFile(PDF_BYTES))
        write_backup(path)
        empty_everything()
    yield SimpleNamespace(path=path)
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(demo_archive, media_root):
    restore_backup(demo_archive.path)
    return Engagement.objects.order_by("pk").first()


def rewrite(source, target, *, change=None, manifest=None, sign=True, extra=()):
    """Copy an archive, changing members (``change(name, data) -> data``), the manifest
    (``manifest(dict)``), re-signing it with the right key or not, adding ``extra`` members."""
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        members = {m.name: old.extractfile(m).read() for m in old.getmembers()}
        for name, data in members.items():
            if change is not None and name not in ("manifest.json", "manifest.sig"):
                data = change(name, data)
            if name == "manifest.json" and manifest is not None:
                content = json.loads(data)
                manifest(content)
                data = json.dumps(content, ensure_ascii=False).encode()
            if name == "manifest.sig" and sign and manifest is not None:
                continue
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
            if name == "manifest.json" and sign and manifest is not None:
                signature = manifest_signature(data).encode()
                info = tarfile.TarInfo("manifest.sig")
                info.size = len(signature)
                new.addfile(info, io.BytesIO(signature))
        for info, data in extra:
            new.addfile(info, io.BytesIO(data) if data is not None else None)


@pytest.fixture
def archive(demo_archive, media_root):
    """The demo's archive, with the database and the media storage empty: a refused restore
    must leave them so."""
    assert nothing_written()
    return demo_archive.path


def refused(path) -> str:
    with pytest.raises(CommandError) as info:
        call_command("restore", str(path), verbosity=0)
    return str(info.value)


# --- The round trip -------------------------------------------------------------------------------


def test_round_trip_keeps_every_row_and_every_file(demo, tmp_path):
    before, files = snapshot(), file_hashes()
    assert sum(len(rows) for rows in before.values()) > 100
    assert len(files) >= 2
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
    assert any(h.history_date.microsecond % 1000 for h in Engagement.history.all())


def test_the_manifest_is_signed_and_counts_every_table(demo, tmp_path):
    archive = tmp_path / "backup.tar"
    call_command("backup", output=str(archive), verbosity=0)
    with tarfile.open(archive) as tar:
        data = tar.extractfile("manifest.json").read()
        signature = tar.extractfile("manifest.sig").read().decode()
    manifest = json.loads(data)
    assert signature == manifest_signature(data)
    assert manifest["tables"] == {t: n for t, n in table_counts().items()
                                  if t not in backup.BOOKKEEPING_TABLES} \
        | dict.fromkeys(backup.BOOKKEEPING_TABLES, 0)
    assert manifest["missing"] == []


# --- Refused before anything is written -------------------------------------------------------


@refusal
def test_restore_refuses_an_archive_whose_hashes_do_not_match(archive, tmp_path):
    tampered = tmp_path / "tampered.tar"
    rewrite(archive, tampered,
            change=lambda name, data: data[:-1] + b"\x00" if name.endswith("desk.png") else data)
    assert "hash differs" in refused(tampered)
    assert nothing_written()


@refusal
def test_an_altered_file_with_its_hash_recomputed_is_refused_by_the_signature(archive, tmp_path):
    # given: a file changed and its new hash written into the manifest (not re-signed)
    evil = png_bytes(61, 40)
    with tarfile.open(archive) as tar:
        target = next(m.name[6:] for m in tar.getmembers() if m.name.endswith("desk.png"))

    def manifest(content):
        content["files"][target] = hashlib.sha256(evil).hexdigest()

    tampered = tmp_path / "tampered.tar"
    rewrite(archive, tampered, manifest=manifest, sign=False,
            change=lambda name, data: evil if name == f"media/{target}" else data)
    # when / then
    assert "signature does not match" in refused(tampered)
    assert nothing_written()


@refusal
def test_an_archive_signed_with_another_key_is_refused(archive, settings):
    settings.OFFICE_REFORM = {**settings.OFFICE_REFORM, "BACKUP_KEY": "another key"}
    assert "signature does not match" in refused(archive)
    assert nothing_written()


@refusal
@pytest.mark.parametrize("bad_name", ["../outside.txt", "engagement_1/../../outside.txt",
                                      "/etc/passwd", "engagement_1/./a.png", "a//b.png"])
def test_a_manifest_path_leaving_the_media_folder_is_refused(archive, tmp_path, bad_name):
    # given: a manifest naming a path outside the archive's media folder, validly signed
    outside = tmp_path / "outside.txt"
    outside.write_text("not part of the archive")

    def manifest(content):
        content["files"][bad_name] = hashlib.sha256(b"not part of the archive").hexdigest()

    tampered = tmp_path / "tampered.tar"
    rewrite(archive, tampered, manifest=manifest)
    # when / then: a clear message, nothing restored
    message = refused(tampered)
    assert "outside the archive's media folder" in message
    assert "Traceback" not in message
    assert nothing_written()


@refusal
@pytest.mark.parametrize("name,kind", [
    ("../evil.txt", tarfile.REGTYPE), ("/tmp/evil.txt", tarfile.REGTYPE),
    ("media/../../evil.txt", tarfile.REGTYPE), ("media/link", tarfile.SYMTYPE),
    ("notes.txt", tarfile.REGTYPE),
])
def test_unexpected_tar_members_are_refused(archive, tmp_path, name, kind):
    info = tarfile.TarInfo(name)
    info.type = kind
    data = b"x" if kind == tarfile.REGTYPE else None
    if kind == tarfile.REGTYPE:
        info.size = 1
    else:
        info.linkname = "/etc/passwd"
    tampered = tmp_path / "tampered.tar"
    rewrite(archive, tampered, extra=[(info, data)])
    assert "unexpected members" in refused(tampered)
    assert nothing_written()


@refusal
def test_a_row_count_changed_in_the_manifest_is_caught_before_restoring(archive, tmp_path):
    # given: a validly signed manifest whose count of engagements differs from the dump
    def manifest(content):
        content["tables"]["engagements_engagement"] += 1

    tampered = tmp_path / "tampered.tar"
    rewrite(archive, tampered, manifest=manifest)
    # when / then
    message = refused(tampered)
    assert "row counts differ from the manifest" in message
    assert "engagements_engagement" in message
    assert nothing_written()


@refusal
def test_a_file_that_is_no_archive_is_refused(tmp_path, media_root):
    path = tmp_path / "junk.tar"
    path.write_bytes(b"not a tar at all" * 100)
    assert "not a readable backup archive" in refused(path)


def test_restore_refuses_a_database_that_is_not_empty(demo, demo_archive):
    assert "empty database" in refused(demo_archive.path)


# --- A backup while the app runs ----------------------------------------------------------------


def test_a_file_deleted_while_a_backup_runs_is_kept_until_it_ends(media_root):
    name = default_storage.save("engagement_1/survey/photos/kept.png",
                                ContentFile(png_bytes()))
    with backup_marker():
        delete_file_on_commit(name)  # outside a transaction: runs at once
        assert default_storage.exists(name)
        assert DeferredFileDeletion.objects.filter(name=name).exists()
    assert not default_storage.exists(name)
    assert not DeferredFileDeletion.objects.exists()


def named_files() -> set[str]:
    names = set()
    with connection.cursor() as cursor:
        for table, column in file_columns():
            cursor.execute(f"SELECT {column} FROM {table} WHERE {column} <> ''")
            names.update(row[0] for row in cursor.fetchall())
    return names


def upload(name="p.png"):
    return SimpleUploadedFile(name, png_bytes(24, 16), content_type="image/png")


def test_a_backup_taken_while_photos_come_and_go_holds_every_file_its_rows_name(
        demo, tmp_path, monkeypatch):
    from survey.models import Desk
    from survey.services import photo_add, photo_delete

    # given: photos of a desk, and a clerk adding and deleting photos in another thread
    actor = Membership.objects.filter(engagement=demo, role=Role.CITY_STAFF).first().user
    desk = Desk.objects.filter(engagement=demo).first()
    photos = [photo_add(engagement=demo, image=upload(), actor=actor, desk=desk)
              for _ in range(4)]
    progress = threading.Condition()
    state = {"cycles": 0, "errors": []}
    stop = threading.Event()
    # SQLite's shared in-memory test database locks whole tables between threads: there the
    # clerk works only while the backup waits for it (below); PostgreSQL runs both at once.
    db_turn = threading.Lock()
    serialise = connection.vendor == "sqlite"

    def clerk():
        try:
            while not stop.is_set():
                with db_turn:
                    photos.append(photo_add(engagement=demo, image=upload(), actor=actor,
                                            desk=desk))
                    photo_delete(photo=photos.pop(0), actor=actor)
                with progress:
                    state["cycles"] += 1
                    progress.notify_all()
        except Exception as exc:  # reported by the test below
            state["errors"].append(exc)
            with progress:
                progress.notify_all()
        finally:
            connection.close()

    # the backup reads its files only once the clerk has deleted photos of its snapshot
    original = backup._archive_files

    def archive_files_after_deletions(archive, named):
        if serialise:
            db_turn.release()
        with progress:
            target = state["cycles"] + 3
            assert progress.wait_for(lambda: state["cycles"] >= target or state["errors"],
                                     timeout=120)
        if serialise:
            db_turn.acquire()
        state["kept"] = DeferredFileDeletion.objects.count()
        return original(archive, named)

    monkeypatch.setattr(backup, "_archive_files", archive_files_after_deletions)
    if serialise:
        db_turn.acquire()
    thread = threading.Thread(target=clerk)
    thread.start()
    try:
        # when
        path = tmp_path / "backup.tar"
        call_command("backup", output=str(path), verbosity=0)
    finally:
        stop.set()
        if serialise:
            db_turn.release()
        thread.join()
    assert state["errors"] == []
    assert state["kept"] >= 3  # deletions waited for the backup
    assert not DeferredFileDeletion.objects.exists()  # and happened after it

    # then: every file a row of the archived database names is in the archive
    empty_everything()
    call_command("restore", str(path), verbosity=0)
    names = named_files()
    assert names
    assert sorted(n for n in names if not default_storage.exists(n)) == []
