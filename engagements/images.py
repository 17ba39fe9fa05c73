"""Uploaded images: a downscaled copy for pages and the report.

An uploaded photo or plan may be up to ``OFFICE_REFORM["MAX_IMAGE_PIXELS"]`` pixels (checked
by ``engagements.uploads``); pages and the report never use the original but a copy whose
longer side is at most ``OFFICE_REFORM["DISPLAY_IMAGE_MAX_PX"]`` pixels, stored beside it in
a ``display/`` folder of the default storage. The copy is written when the upload is
committed (``engagements.files.save_file_on_commit``, for every image field), never when a
page asks for it: a request for a copy that does not exist yet is answered with the
original, undecoded (``ProtectedMediaView``). ``manage.py make_display_copies`` makes the
copies missing for files stored before (or whose copy failed). A copy is decoded reduced
(``Image.draft`` for JPEG) and never from an image whose decoded pixels would exceed
``OFFICE_REFORM["MAX_IMAGE_DECODED_BYTES"]``.
Nothing here reads a local path: every file goes through ``default_storage``.
"""

from __future__ import annotations

import base64
import io
import logging
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .uploads import decoded_bytes, max_image_decoded_bytes

logger = logging.getLogger(__name__)

DISPLAY_FOLDER = "display"
# A 1 × 1 transparent PNG: what the report shows for an image that cannot be copied.
PLACEHOLDER_URI = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAY"
    "AAjCB0C8AAAAASUVORK5CYII="
)
_JPEG = (".jpg", ".jpeg")
_SOURCE_SUFFIXES = {".jpg": (".jpg", ".jpeg"), ".png": (".png", ".webp", ".gif")}


def display_max_px() -> int:
    return int(settings.OFFICE_REFORM.get("DISPLAY_IMAGE_MAX_PX", 2000))


def display_name(name: str) -> str:
    """The storage name of the display copy of ``name``."""
    path = PurePosixPath(name)
    suffix = ".jpg" if path.suffix.lower() in _JPEG else ".png"
    return str(path.parent / DISPLAY_FOLDER / f"{path.stem}{suffix}")


def original_candidates(name: str) -> list[str]:
    """The names whose display copy ``name`` may be (a missing copy is answered with its
    original)."""
    path = PurePosixPath(name)
    if path.parent.name != DISPLAY_FOLDER:
        return []
    folder = path.parent.parent
    return [str(folder / f"{path.stem}{s}") for s in _SOURCE_SUFFIXES.get(path.suffix, ())]


def make_display_copy(name: str, storage=None) -> str:
    """Write the downscaled copy of the stored image ``name``; returns the copy's name."""
    from PIL import Image, ImageOps

    storage = storage or default_storage
    target = display_name(name)
    limit = display_max_px()
    with storage.open(name, "rb") as handle, Image.open(handle) as image:
        image.draft("RGB", (limit, limit))  # JPEG: decode at a reduced scale, cheaply
        needed = decoded_bytes(image.mode, *image.size)
        if needed > max_image_decoded_bytes():
            raise ImageTooLarge(f"{name}: {needed} bytes decoded")
        # Reduce first, turn after: turning copies the image, so only the small one is.
        image.thumbnail((limit, limit))
        image = ImageOps.exif_transpose(image)
        buffer = io.BytesIO()
        if target.endswith(".jpg"):
            image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
        else:
            if image.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
                image = image.convert("RGBA")
            image.save(buffer, "PNG", optimize=True)
    if storage.exists(target):
        storage.delete(target)
    return storage.save(target, ContentFile(buffer.getvalue()))


class ImageTooLarge(ValueError):
    """The image's decoded pixels would exceed the memory budget: it is not decoded."""


def make_display_copy_quietly(name: str) -> None:
    """``make_display_copy`` after commit: a failure is logged (pages then show the original;
    ``manage.py make_display_copies`` tries again)."""
    try:
        make_display_copy(name)
    except Exception:
        logger.exception("Could not make the display copy of %s", name)


def has_display_copy(name: str, storage=None) -> bool:
    return (storage or default_storage).exists(display_name(name))


def ensure_display_copy(name: str, storage=None) -> str:
    """The copy's name, made first if missing (the report build, in the worker; never a page
    request)."""
    storage = storage or default_storage
    target = display_name(name)
    if not storage.exists(target):
        target = make_display_copy(name, storage)
    return target


def display_url(name: str) -> str:
    return default_storage.url(display_name(name))


def report_image_uri(name: str) -> str:
    """A ``data:`` URI of the display copy, for the PDF (WeasyPrint reads no local path)."""
    try:
        target = ensure_display_copy(name)
    except Exception:
        logger.exception("No display copy of %s for the report", name)
        return PLACEHOLDER_URI
    with default_storage.open(target, "rb") as handle:
        data = handle.read()
    mime = "image/jpeg" if target.endswith(".jpg") else "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def delete_with_display_copy(name: str, storage=None) -> None:
    storage = storage or default_storage
    for target in (name, display_name(name)):
        if target and storage.exists(target):
            storage.delete(target)
