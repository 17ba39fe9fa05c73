"""Uploaded files belong to one engagement and are served only to its members.

Every upload is stored under ``engagement_<pk>/``; ``ProtectedMediaView`` serves
``MEDIA_URL`` paths after checking that the user is a member of that engagement, so a
file's URL (``field.url``) works in pages and is useless to anyone else.
"""

import re
import uuid
from pathlib import PurePosixPath

from django.db import transaction
from django.utils.deconstruct import deconstructible

ENGAGEMENT_PATH = re.compile(r"^engagement_(?P<pk>[1-9][0-9]*)/")


@deconstructible
class EngagementUploadTo:
    """``upload_to`` for a model with an ``engagement`` (or ``engagement_id``) attribute."""

    def __init__(self, folder: str) -> None:
        self.folder = folder.strip("/")

    def __call__(self, instance, filename: str) -> str:
        name = shorten_filename(PurePosixPath(filename.replace("\\", "/")).name)
        return f"engagement_{instance.engagement_id}/{self.folder}/{uuid.uuid4().hex[:12]}_{name}"

    def __eq__(self, other) -> bool:
        return isinstance(other, EngagementUploadTo) and other.folder == self.folder


# File systems allow 255 bytes per name; the storage may add "_" and 7 characters when the
# name exists, and the upload prefix adds 13: keep well below.
MAX_NAME_BYTES = 200


def shorten_filename(name: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """``name`` cut (at a character boundary, keeping the extension) to ``max_bytes`` UTF-8.

    81 kanji are 243 bytes: such a name is shortened for the disk; the original name is kept
    beside the file (``Attachment.original_name``) for the download.
    """
    path = PurePosixPath(name)
    suffix = path.suffix if len(path.suffix.encode()) <= 16 else ""
    stem = name[: len(name) - len(suffix)] if suffix else name
    budget = max_bytes - len(suffix.encode())
    encoded = stem.encode()
    if len(encoded) > budget:
        stem = encoded[:budget].decode("utf-8", errors="ignore")
    return (stem or "file") + suffix


def engagement_pk_of(path: str) -> int | None:
    match = ENGAGEMENT_PATH.match(path)
    return int(match["pk"]) if match else None


def save_file_on_commit(instance, field_name: str, *, after=None) -> str | None:
    """Name the upload in ``instance.<field_name>`` now; write it only when the transaction
    commits (a rolled-back save leaves no file behind). Call after the upload is validated,
    before the instance is saved. The one path by which an upload is written: an image
    field's display copy is made right after the file (``engagements.images``), in the same
    on-commit callback, so no request ever decodes an image. ``after(name)`` runs once the
    file (and its display copy) is written.
    """
    from django.db import models

    file = getattr(instance, field_name)
    if not file or getattr(file, "_committed", True):
        return None
    field = instance._meta.get_field(field_name)
    if isinstance(field, models.ImageField):
        after = _with_display_copy(after)
    upload = file.file
    storage = field.storage
    name = storage.get_available_name(
        field.generate_filename(instance, upload.name), max_length=field.max_length
    )
    file.name = name
    file._committed = True  # the model's save must not write it now

    def write():
        upload.seek(0)
        storage.save(name, upload, max_length=field.max_length)
        if after is not None:
            after(name)

    transaction.on_commit(write)
    return name


def _with_display_copy(after):
    from .images import make_display_copy_quietly

    if after is None or after is make_display_copy_quietly:
        return make_display_copy_quietly

    def both(name):
        make_display_copy_quietly(name)
        after(name)

    return both


def file_fields(model) -> list:
    """The FileField/ImageField fields of ``model``."""
    from django.db import models

    return [f for f in model._meta.get_fields() if isinstance(f, models.FileField)]


def save_files_on_commit(instance) -> list[str]:
    """``save_file_on_commit`` for every file field of ``instance`` holding a new upload."""
    names = [save_file_on_commit(instance, field.name) for field in file_fields(type(instance))]
    return [name for name in names if name]


def delete_file_on_commit(name: str, storage=None, *, with_display_copy: bool = False) -> None:
    """Delete a stored file once the transaction commits (never when it rolls back)."""
    if not name:
        return
    from django.core.files.storage import default_storage

    storage = storage or default_storage

    def delete():
        # A backup running now may have rows naming the file in its snapshot: it keeps it.
        from .backup import defer_while_backup_runs

        if storage is default_storage and defer_while_backup_runs(
                name, with_display_copy=with_display_copy):
            return
        if with_display_copy:
            from .images import delete_with_display_copy

            delete_with_display_copy(name, storage)
        elif storage.exists(name):
            storage.delete(name)

    transaction.on_commit(delete)
