"""One archive with the database and the uploaded files; a restore that checks it first.

``write_backup(path)`` writes a tar archive:

- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite,
  the online backup API: a consistent copy while the app runs);
- ``media/<name>`` for every file of the default storage (local disk or S3 alike);
- ``manifest.json``: the database vendor, every table's row count, and the SHA-256 of the
  database file and of every media file.

``restore_backup(path)`` refuses an archive whose files do not match the manifest's hashes,
and a database or media storage that is not empty; it restores the database (``pg_restore``
or the backup API) and the files, then checks the row counts against the manifest. Rows are
copied by the database itself, so every timestamp keeps its microseconds (a ``dumpdata``
round trip does not).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from .progress import invalidate

FORMAT = 1
# Tables Django fills by itself when it migrates: a database holding only these is empty.
FRAMEWORK_TABLES = {"django_migrations", "django_content_type", "auth_permission", "django_site"}


class BackupError(Exception):
    pass


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


def table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env() -> tuple[list[str], dict]:
    settings = connection.settings_dict
    args = ["--host", settings.get("HOST") or "127.0.0.1", "--port",
            str(settings.get("PORT") or 5432), "--username", settings.get("USER") or "postgres",
            "--dbname", settings["NAME"]]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return args, env


def _dump_database(target: Path) -> None:
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args],
                       check=True, env=env, capture_output=True)
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        raise BackupError(f"backup does not support {connection.vendor}")


def _database_member() -> str:
    return "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"


def write_backup(path: str | Path) -> dict:
    """Write the archive to ``path``; returns its manifest."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="office_reform_backup_") as tmp:
        database = Path(tmp) / _database_member()
        _dump_database(database)
        counts = table_counts()
        with database.open("rb") as handle:
            database_hash = sha256_of(handle)
        manifest = {
            "format": FORMAT, "vendor": connection.vendor,
            "created": timezone.now().isoformat(), "tables": counts,
            "database": {"name": database.name, "sha256": database_hash},
            "files": {},
        }
        with tarfile.open(path, "w") as archive:
            archive.add(database, arcname=database.name)
            for name in media_names():
                with default_storage.open(name, "rb") as handle:
                    manifest["files"][name] = sha256_of(handle)
                    size = handle.size if hasattr(handle, "size") else None
                    handle.seek(0)
                    info = tarfile.TarInfo(f"media/{name}")
                    info.size = size if size is not None else default_storage.size(name)
                    archive.addfile(info, handle)
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return manifest


def _check_archive(path: Path, folder: Path) -> dict:
    """Unpack into ``folder`` and compare every hash with the manifest; raise on a mismatch."""
    with tarfile.open(path, "r") as archive:
        archive.extractall(folder, filter="data")
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise BackupError("The archive has no manifest.json.")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError("Unknown archive format.")
    problems = []
    database = folder / manifest["database"]["name"]
    if not database.exists():
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
                          + "\n".join(problems))
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


def _restore_database(database: Path) -> None:
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        connection.close()
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner",
                        "--single-transaction", "--exit-on-error", *args, str(database)],
                       check=True, env=env, capture_output=True)
    else:
        connection.ensure_connection()
        source = sqlite3.connect(database)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    connection.close()


def restore_backup(path: str | Path) -> dict:
    """Restore the archive at ``path`` into this (empty) database and media storage."""
    with tempfile.TemporaryDirectory(prefix="office_reform_restore_") as tmp:
        folder = Path(tmp)
        manifest = _check_archive(Path(path), folder)
        _check_empty(manifest)
        _restore_database(folder / manifest["database"]["name"])
        for name in manifest["files"]:
            with (folder / "media" / name).open("rb") as handle:
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
