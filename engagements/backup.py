"""One archive with the database and the uploaded files; a restore that checks it first.

``write_backup(path)`` writes a tar archive:

- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite,
  the online backup API);
- ``media/<name>`` for every file of the default storage (local disk or S3 alike);
- ``manifest.json``: the database vendor, every table's row count, and the SHA-256 of the
  database file and of every media file;
- ``manifest.sig``: the HMAC-SHA256 of ``manifest.json`` with a key kept off the archive
  (``OFFICE_REFORM["BACKUP_KEY"]`` / ``DJANGO_BACKUP_KEY``, else derived from ``SECRET_KEY``).

The database, its row counts and the list of files its rows name come from ONE snapshot
(PostgreSQL: a REPEATABLE READ transaction whose snapshot ``pg_dump --snapshot`` shares;
SQLite: the copy). The files those rows name are read first; while the backup runs, a stored
file whose row is deleted is kept (``delete_file_on_commit`` → ``defer_while_backup_runs``)
and deleted when the backup ends, so every file a row of the archive names is in it.

``restore_backup(path)`` checks everything before it writes anything: the tar's member names,
the manifest's signature, its paths (relative, normalised, inside ``media/``), every hash,
and the row counts of the dump itself against the manifest; then that the database and the
media storage are empty. Only then it restores the database (``pg_restore`` or the backup
API) and the files, and checks the row counts again. Rows are copied by the database itself,
so every timestamp keeps its microseconds (a ``dumpdata`` round trip does not).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import re
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from contextlib import closing, contextmanager
from datetime import timedelta
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from simple_history.models import HistoricalChanges

from .images import delete_with_display_copy
from .models import BackupRun, DeferredFileDeletion
from .progress import invalidate

FORMAT = 2
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
DATABASE_MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
SIGNING_SALT = "office_reform.engagements.backup.manifest"
# Tables Django fills by itself when it migrates: a database holding only these is empty.
FRAMEWORK_TABLES = {"django_migrations", "django_content_type", "auth_permission", "django_site"}
# The backup's own bookkeeping: written before the snapshot, left out of the archive.
BOOKKEEPING_TABLES = {BackupRun._meta.db_table, DeferredFileDeletion._meta.db_table}
# A backup that died without finishing stops keeping deleted files after this long.
LEASE = timedelta(hours=6)
# A row committed just before the snapshot has its file written right after its commit
# (save_file_on_commit): wait this long for such files before calling them missing.
WRITE_WAIT_SECONDS = 10.0
MAX_NAME_LENGTH = 1000


class BackupError(Exception):
    pass


# --- Deletions wait for a running backup --------------------------------------------------------


def backup_running() -> bool:
    return BackupRun.objects.filter(
        finished_at__isnull=True, started_at__gt=timezone.now() - LEASE
    ).exists()


def defer_while_backup_runs(name: str, *, with_display_copy: bool = False) -> bool:
    """Keep the stored file ``name`` (whose row is gone) if a backup runs; True if kept.

    Called after the deleting transaction committed: a backup that started before that had
    its marker committed before its snapshot, so it is seen here whenever its snapshot may
    still hold the row.
    """
    if not backup_running():
        return False
    DeferredFileDeletion.objects.create(name=name, with_display_copy=with_display_copy)
    return True


def delete_deferred_files() -> int:
    """Delete the files kept for backups, once none runs; returns how many."""
    if backup_running():
        return 0
    done = 0
    for deletion in DeferredFileDeletion.objects.order_by("pk"):
        if deletion.with_display_copy:
            delete_with_display_copy(deletion.name, default_storage)
        elif default_storage.exists(deletion.name):
            default_storage.delete(deletion.name)
        deletion.delete()
        done += 1
    return done


@contextmanager
def backup_marker():
    """Deletions of stored files wait while the block runs (committed before it starts)."""
    run = BackupRun.objects.create()
    try:
        yield run
    finally:
        BackupRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
        delete_deferred_files()


# --- Signing ------------------------------------------------------------------------------------


def manifest_signature(data: bytes) -> str:
    key = settings.OFFICE_REFORM.get("BACKUP_KEY") or settings.SECRET_KEY
    if not key:
        raise BackupError("No key to sign the manifest: set DJANGO_BACKUP_KEY or "
                          "DJANGO_SECRET_KEY.")
    return salted_hmac(SIGNING_SALT, data, secret=key, algorithm="sha256").hexdigest()


# --- Reading the database and the storage -------------------------------------------------------


def sha256_of(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


def media_names(storage=None, folder: str = "") -> list[str]:
    """Every file of the storage, recursively, sorted."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    names = [f"{folder}/{f}" if folder else f for f in files]
    for sub in folders:
        names += media_names(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)


def _count_tables(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return _count_tables(cursor, connection.introspection.table_names(cursor))


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every file field of the app's current rows (history rows name files
    deleted long ago, so they are not counted as naming a file)."""
    columns = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed or issubclass(model, HistoricalChanges):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                columns.append((model._meta.db_table, field.column))
    return sorted(columns)


def _named_files(cursor, tables) -> set[str]:
    names = set()
    quote = connection.ops.quote_name
    for table, column in file_columns():
        if table not in tables:
            continue
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} "
                       f"WHERE {quote(column)} IS NOT NULL AND {quote(column)} <> ''")
        names.update(row[0] for row in cursor.fetchall())
    return names


def _pg_env() -> tuple[list[str], dict]:
    settings_dict = connection.settings_dict
    args = ["--host", settings_dict.get("HOST") or "127.0.0.1", "--port",
            str(settings_dict.get("PORT") or 5432), "--username",
            settings_dict.get("USER") or "postgres", "--dbname", settings_dict["NAME"]]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True)
    if result.returncode:
        raise BackupError(f"{command[0]} failed: "
                          + result.stderr.decode(errors="replace").strip()[-2000:])


def _snapshot_postgresql(target: Path) -> tuple[dict[str, int], set[str]]:
    """pg_dump, the row counts and the named files, all from one exported snapshot."""
    args, env = _pg_env()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        # The app's tables are in the connection's schema (what Django's introspection
        # lists and counts); another schema of the same database is not the app's.
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        excluded = [f"--exclude-table-data={connection.ops.quote_name(t)}"
                    for t in sorted(BOOKKEEPING_TABLES)]
        _run(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}",
              f"--schema={schema}", *excluded, "--file", str(target), *args], env)
        tables = connection.introspection.table_names(cursor)
        counts = _count_tables(cursor, set(tables) - BOOKKEEPING_TABLES)
        names = _named_files(cursor, set(tables))
    counts.update({t: 0 for t in BOOKKEEPING_TABLES if t in tables})
    return counts, names


def _sqlite_tables(cursor) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                   "AND name NOT LIKE 'sqlite_%'")
    return {row[0] for row in cursor.fetchall()}


def _snapshot_sqlite(target: Path) -> tuple[dict[str, int], set[str]]:
    """The online backup API's copy; counts and names read from the copy itself."""
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        tables = _sqlite_tables(cursor)
        for table in BOOKKEEPING_TABLES & tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
        copy.commit()
        counts = _count_tables(cursor, tables)
        names = _named_files(cursor, tables)
    return counts, names


def _snapshot(target: Path) -> tuple[dict[str, int], set[str]]:
    if connection.in_atomic_block:
        raise BackupError("A backup cannot run inside a transaction.")
    if connection.vendor == "postgresql":
        return _snapshot_postgresql(target)
    if connection.vendor == "sqlite":
        return _snapshot_sqlite(target)
    raise BackupError(f"backup does not support {connection.vendor}")


# --- Writing the archive ------------------------------------------------------------------------


def _add_file(archive: tarfile.TarFile, name: str) -> str | None:
    """Add one stored file; its SHA-256, or None if it is not (or no longer, or not yet
    wholly) there: a file still being written is copied aside first and added only if the
    storage's size then equals what was read."""
    digest = hashlib.sha256()
    with tempfile.SpooledTemporaryFile(max_size=8 * 2**20) as copy:
        try:
            with default_storage.open(name, "rb") as handle:
                for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                    digest.update(chunk)
                    copy.write(chunk)
            if default_storage.size(name) != copy.tell():
                return None
        except FileNotFoundError:
            return None
        info = tarfile.TarInfo(f"media/{name}")
        info.size = copy.tell()
        copy.seek(0)
        archive.addfile(info, copy)
    return digest.hexdigest()


def _archive_files(archive: tarfile.TarFile, named: set[str]) -> tuple[dict[str, str], list]:
    """The files the snapshot's rows name first (waiting briefly for one whose row committed
    just before the snapshot and whose write follows), then every other stored file still
    there. Returns the hashes and the named files that never appeared."""
    files: dict[str, str] = {}
    waiting = sorted(named)
    deadline = time.monotonic() + WRITE_WAIT_SECONDS
    while waiting:
        still = []
        for name in waiting:
            digest = _add_file(archive, name)
            if digest is None:
                still.append(name)
            else:
                files[name] = digest
        waiting = still
        if not waiting or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    for name in media_names():
        if name not in files:
            digest = _add_file(archive, name)  # a file no row of the snapshot names
            if digest is not None:
                files[name] = digest
    return files, waiting


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def write_backup(path: str | Path) -> dict:
    """Write the archive to ``path``; returns its manifest."""
    path = Path(path)
    manifest_signature(b"")  # no key: refuse before anything is written
    with tempfile.TemporaryDirectory(prefix="office_reform_backup_") as tmp, backup_marker():
        database = Path(tmp) / DATABASE_MEMBERS.get(connection.vendor, "database")
        counts, named = _snapshot(database)
        with database.open("rb") as handle:
            database_hash = sha256_of(handle)
        with tarfile.open(path, "w") as archive:
            archive.add(database, arcname=database.name)
            files, missing = _archive_files(archive, named)
            manifest = {
                "format": FORMAT, "vendor": connection.vendor,
                "created": timezone.now().isoformat(), "tables": counts,
                "database": {"name": database.name, "sha256": database_hash},
                "files": files, "missing": missing,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            _add_bytes(archive, MANIFEST, data)
            _add_bytes(archive, SIGNATURE, manifest_signature(data).encode())
    return manifest


# --- Checking an archive ------------------------------------------------------------------------


def safe_media_name(name) -> bool:
    """A manifest's file name: relative, normalised, no ``..``, nothing odd in it."""
    if not isinstance(name, str) or not 0 < len(name) <= MAX_NAME_LENGTH:
        return False
    if "\x00" in name or "\\" in name or name.startswith("/"):
        return False
    if posixpath.normpath(name) != name:
        return False
    return not any(part in ("", ".", "..") for part in PurePosixPath(name).parts)


def _check_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members, seen, problems = archive.getmembers(), set(), []
    allowed = {MANIFEST, SIGNATURE, *DATABASE_MEMBERS.values()}
    for member in members:
        name = member.name
        ok = member.isreg() and name not in seen and (
            name in allowed or (name.startswith("media/") and safe_media_name(name[6:]))
        )
        if not ok:
            problems.append(f"{name!r}: not a file this archive may hold")
        seen.add(name)
    if problems:
        raise BackupError("The archive holds unexpected members; nothing was restored:\n"
                          + "\n".join(problems[:20]))
    return members


def _read_member(archive: tarfile.TarFile, name: str, limit: int = 64 * 2**20) -> bytes:
    try:
        member = archive.getmember(name)
    except KeyError:
        raise BackupError(f"The archive has no {name}; nothing was restored.") from None
    if member.size > limit:
        raise BackupError(f"{name} is too large; nothing was restored.")
    return archive.extractfile(member).read()


def _valid_shape(manifest) -> bool:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return False
    tables, files = manifest.get("tables"), manifest.get("files")
    database = manifest.get("database")
    return (
        manifest.get("vendor") in DATABASE_MEMBERS
        and isinstance(tables, dict)
        and all(isinstance(t, str) and type(n) is int and n >= 0 for t, n in tables.items())
        and isinstance(files, dict) and all(isinstance(h, str) for h in files.values())
        and isinstance(database, dict) and isinstance(database.get("sha256"), str)
        and database.get("name") == DATABASE_MEMBERS[manifest["vendor"]]
        and isinstance(manifest.get("missing", []), list)
    )


def _read_manifest(archive: tarfile.TarFile) -> dict:
    """The manifest, if its signature holds and its shape and paths are sound."""
    data = _read_member(archive, MANIFEST)
    signature = _read_member(archive, SIGNATURE, limit=1024).decode(errors="replace").strip()
    if not constant_time_compare(signature, manifest_signature(data)):
        raise BackupError("The manifest's signature does not match (altered, or signed with "
                          "another DJANGO_BACKUP_KEY / DJANGO_SECRET_KEY); nothing was "
                          "restored.")
    try:
        manifest = json.loads(data)
    except ValueError:
        manifest = None
    if not _valid_shape(manifest):
        raise BackupError("The manifest is not one this version writes; nothing was restored.")
    unsafe = [repr(n)[:200] for n in manifest["files"] if not safe_media_name(n)]
    if unsafe:
        raise BackupError("The manifest names files outside the archive's media folder; "
                          "nothing was restored:\n" + "\n".join(unsafe[:20]))
    return manifest


def _check_hashes(manifest: dict, folder: Path) -> None:
    problems = []
    database = folder / manifest["database"]["name"]
    if not database.is_file():
        problems.append(f"{database.name}: missing")
    else:
        with database.open("rb") as handle:
            if sha256_of(handle) != manifest["database"]["sha256"]:
                problems.append(f"{database.name}: hash differs")
    media = folder / "media"
    present = {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()} \
        if media.exists() else set()
    for name, expected in manifest["files"].items():
        file = media / name
        if not file.is_file():
            problems.append(f"media/{name}: missing")
            continue
        with file.open("rb") as handle:
            if sha256_of(handle) != expected:
                problems.append(f"media/{name}: hash differs")
    for name in sorted(present - set(manifest["files"])):
        problems.append(f"media/{name}: not in the manifest")
    if problems:
        raise BackupError("The archive does not match its manifest; nothing was restored:\n"
                          + "\n".join(problems[:50]))


COPY_LINE = re.compile(rb'^COPY (?:(?:"(?:[^"]|"")*"|[^ ."]+)\.)?("(?:[^"]|"")*"|[^ ."]+) ')


def _unquote(name: bytes) -> str:
    text = name.decode()
    return text[1:-1].replace('""', '"') if text.startswith('"') else text


def _dump_counts_postgresql(database: Path) -> dict[str, int]:
    """Rows per table in a custom-format dump, from its data as pg_restore writes it out
    (one line per row in COPY's text format); nothing is restored."""
    _args, env = _pg_env()
    counts: dict[str, int] = {}
    process = subprocess.Popen(["pg_restore", "--data-only", "--file=-", str(database)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    table = None
    for line in process.stdout:
        if table is None:
            match = COPY_LINE.match(line)
            if match:
                table = _unquote(match[1])
                counts[table] = 0
        elif line.rstrip(b"\n") == b"\\.":
            table = None
        else:
            counts[table] += 1
    _stdout, stderr = process.communicate()
    if process.returncode:
        raise BackupError("pg_restore cannot read the dump: "
                          + stderr.decode(errors="replace").strip()[-2000:])
    return counts


def _dump_counts_sqlite(database: Path) -> dict[str, int]:
    try:
        with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as db:
            cursor = db.cursor()
            return _count_tables(cursor, _sqlite_tables(cursor))
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"The SQLite copy cannot be read: {exc}") from exc


def _check_counts(manifest: dict, folder: Path) -> None:
    """The dump holds the rows the (signed) manifest counts: checked before restoring."""
    database = folder / manifest["database"]["name"]
    if manifest["vendor"] == "postgresql":
        found = _dump_counts_postgresql(database)
    else:
        found = _dump_counts_sqlite(database)
    expected = manifest["tables"]
    differ = sorted(t for t in set(found) | set(expected) if found.get(t, 0) != expected.get(t, 0))
    if differ:
        raise BackupError("The dump's row counts differ from the manifest; nothing was "
                          "restored: " + ", ".join(differ[:20]))


def check_archive(path: Path, folder: Path) -> dict:
    """Every check, before anything is written: members, signature, paths, hashes, counts.
    Unpacks into ``folder``; returns the manifest."""
    try:
        with tarfile.open(path, "r") as archive:
            _check_members(archive)
            manifest = _read_manifest(archive)
            archive.extractall(folder, filter="data")
    except (tarfile.TarError, EOFError) as exc:
        raise BackupError(f"{path} is not a readable backup archive: {exc}") from exc
    _check_hashes(manifest, folder)
    _check_counts(manifest, folder)
    return manifest


def _check_empty(manifest: dict) -> None:
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"The archive holds a {manifest['vendor']} database; this one is "
                          f"{connection.vendor}.")
    filled = [t for t, n in table_counts().items() if n and t not in FRAMEWORK_TABLES]
    if filled:
        raise BackupError("Restore only into an empty database; these tables hold rows: "
                          + ", ".join(filled[:10]))
    if media_names():
        raise BackupError("Restore only into an empty media storage; it holds files.")


# --- Restoring ----------------------------------------------------------------------------------


def _restore_database(database: Path) -> None:
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        connection.close()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", *args, str(database)], env)
    else:
        connection.ensure_connection()
        with closing(sqlite3.connect(database)) as source:
            source.backup(connection.connection)
    connection.close()


def restore_backup(path: str | Path) -> dict:
    """Restore the archive at ``path`` into this (empty) database and media storage."""
    with tempfile.TemporaryDirectory(prefix="office_reform_restore_") as tmp:
        folder = Path(tmp)
        manifest = check_archive(Path(path), folder)
        _check_empty(manifest)
        _restore_database(folder / manifest["database"]["name"])
        media = (folder / "media").resolve()
        for name in manifest["files"]:
            source = (media / name).resolve()
            if not source.is_relative_to(media):  # safe_media_name already refused it
                raise BackupError(f"media/{name} is outside the archive.")
            with source.open("rb") as handle:
                saved = default_storage.save(name, File(handle))
            if saved != name:
                raise BackupError(f"media/{name} was stored as {saved}.")
    invalidate()  # nothing cached by a server before the restore is read again
    counts = table_counts()
    differ = [t for t, n in manifest["tables"].items() if counts.get(t) != n]
    if differ:
        raise BackupError("Restored, but these tables' row counts differ from the manifest: "
                          + ", ".join(differ))
    return manifest
