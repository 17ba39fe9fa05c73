"""Helpers of the file tests: a service writes an upload only once its transaction commits.

``written_only_on_commit(run, ...)`` runs ``run()`` (a service call with an upload) twice:
1. in a transaction that rolls back: no on-commit callback is kept, nothing is written and
   MEDIA_ROOT stays empty;
2. in a transaction that commits: while the service runs nothing is written (a file saved
   by the model's ``save()`` is a write outside ``save_file_on_commit``: the test fails);
   then the on-commit callbacks write the file(s) (and an image's display copy).

Each app's ``test_files_on_commit.py`` names the file fields it proves in
``COVERED_FILE_FIELDS``; ``tests/security/test_upload_limits.py`` walks every model's file fields
and fails for one that no app covers.
"""

import io
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


class Boom(Exception):
    pass


def png(name: str = "photo.png", size=(40, 30), padding: int = 0) -> SimpleUploadedFile:
    """A small PNG; ``padding`` bytes after its end make the file larger, not the image."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 100, 50)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue() + b"\0" * padding,
                              content_type="image/png")


def pdf(name: str = "paper.pdf", padding: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES + b"%" * padding, content_type="application/pdf")


def stored_files(root) -> list[str]:
    root = Path(root)
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@contextmanager
def recorded_writes(monkeypatch):
    """Every name the file storage writes, in order."""
    written: list[str] = []
    original = FileSystemStorage._save

    def save(self, name, content):
        stored = original(self, name, content)
        written.append(stored)
        return stored

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    yield written


@pytest.fixture
def empty_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def limit_uploads(settings, **limits) -> None:
    """Small size limits for a test: ``limit_uploads(settings, pdf=300)``."""
    settings.OFFICE_REFORM = {**settings.OFFICE_REFORM, "UPLOAD_MAX_BYTES": {
        **settings.OFFICE_REFORM.get("UPLOAD_MAX_BYTES", {}), **limits}}


def written_only_on_commit(run, *, media_root, monkeypatch, capture) -> list[str]:
    """See the module's docstring; returns the names written on commit."""
    before = stored_files(media_root)
    with recorded_writes(monkeypatch) as written:
        with capture(execute=True) as callbacks:
            with pytest.raises(Boom), transaction.atomic():
                run()
                raise Boom
        assert callbacks == [] and written == [], "a rolled-back change wrote a file"
        assert stored_files(media_root) == before
        with capture(execute=True):
            run()
            assert written == [], f"written in save(), before the commit: {written}"
        assert written, "nothing written once the change committed"
        assert all(name in stored_files(media_root) for name in written)
    return written
