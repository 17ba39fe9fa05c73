"""What an upload may be: checked by its content, never by its name.

Every FileField/ImageField form field of the app validates with ``validate_upload(file,
kinds)``; the kinds are PDF, images (PNG, JPEG, WebP, GIF), Office documents (xlsx, docx,
pptx and the old binary formats) and plain text. HTML, SVG and anything else are refused,
and so is a file whose name says one kind and whose content is another (a PNG named
``.pdf``). Images are also limited in pixels (``OFFICE_REFORM["MAX_IMAGE_PIXELS"]``).

``ProtectedMediaView`` serves uploads with ``Content-Disposition: attachment`` unless the
content is an image or a PDF (checked again when served), always with ``nosniff`` and
``Content-Security-Policy: sandbox``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class Kind(StrEnum):
    PDF = "pdf"
    IMAGE = "image"
    OFFICE = "office"
    TEXT = "text"


# Extension → (kind, MIME types the content may have)
_EXTENSIONS: dict[str, tuple[Kind, frozenset[str]]] = {
    ".pdf": (Kind.PDF, frozenset({"application/pdf"})),
    ".png": (Kind.IMAGE, frozenset({"image/png"})),
    ".jpg": (Kind.IMAGE, frozenset({"image/jpeg"})),
    ".jpeg": (Kind.IMAGE, frozenset({"image/jpeg"})),
    ".webp": (Kind.IMAGE, frozenset({"image/webp"})),
    ".gif": (Kind.IMAGE, frozenset({"image/gif"})),
    ".xlsx": (Kind.OFFICE, frozenset({"application/zip", "application/vnd.openxmlformats-"
                                      "officedocument.spreadsheetml.sheet"})),
    ".docx": (Kind.OFFICE, frozenset({"application/zip", "application/vnd.openxmlformats-"
                                      "officedocument.wordprocessingml.document"})),
    ".pptx": (Kind.OFFICE, frozenset({"application/zip", "application/vnd.openxmlformats-"
                                      "officedocument.presentationml.presentation"})),
    ".xls": (Kind.OFFICE, frozenset({"application/x-ole-storage", "application/vnd.ms-excel"})),
    ".doc": (Kind.OFFICE, frozenset({"application/x-ole-storage", "application/msword"})),
    ".ppt": (Kind.OFFICE, frozenset({"application/x-ole-storage",
                                     "application/vnd.ms-powerpoint"})),
    ".txt": (Kind.TEXT, frozenset({"text/plain"})),
    ".csv": (Kind.TEXT, frozenset({"text/plain"})),
}

# What a meeting's or approval request's attachment may be.
ATTACHMENT_KINDS = (Kind.PDF, Kind.IMAGE, Kind.OFFICE, Kind.TEXT)

INLINE_MIME = frozenset({"application/pdf", "image/png", "image/jpeg", "image/webp", "image/gif"})

_KIND_LABELS = {
    Kind.PDF: "PDF",
    Kind.IMAGE: _("image (PNG, JPEG, WebP, GIF)"),
    Kind.OFFICE: _("Office document (xlsx, docx, pptx)"),
    Kind.TEXT: _("text (txt, csv)"),
}


def sniff(head: bytes) -> str | None:
    """The MIME type the content's first bytes show, or ``None``."""
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/x-ole-storage"
    guess = filetype.guess(head)
    if guess is not None:
        return guess.mime
    return None


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    lowered = head[:1024].lower().lstrip()
    if lowered.startswith((b"<", b"\xef\xbb\xbf<")) or b"<script" in lowered or b"<svg" in lowered:
        return False
    for encoding in ("utf-8", "cp932", "utf-16"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    # A multi-byte character may be cut at the end of the sample.
    try:
        head[:-3].decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _read_head(file, size: int = 8192) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(size)
    file.seek(position)
    return head


# Bytes an upload of each kind may have, unless the setting says otherwise.
DEFAULT_UPLOAD_MAX_BYTES = {
    Kind.IMAGE: 10 * 2**20,
    Kind.PDF: 20 * 2**20,
    Kind.OFFICE: 20 * 2**20,
    Kind.TEXT: 5 * 2**20,
}


def upload_max_bytes(kind: Kind | str) -> int:
    """The size limit of an upload of ``kind`` (``OFFICE_REFORM["UPLOAD_MAX_BYTES"]``)."""
    kind = Kind(kind)
    limits = settings.OFFICE_REFORM.get("UPLOAD_MAX_BYTES") or {}
    return int(limits.get(str(kind), DEFAULT_UPLOAD_MAX_BYTES[kind]))


def _megabytes(size: int, unit: int = 2**20) -> str:
    """``size`` in MB for a message: file sizes in 2**20 bytes (as the limits are written),
    the memory budget in 10**6 (as its setting is)."""
    value = size / unit
    return f"{value:.1f}".removesuffix(".0") if value < 10 else f"{value:.0f}"


def validate_size(file, kind: Kind | str) -> None:
    """Refuse an empty file or one above the size limit of its kind (in MB in the message)."""
    size = getattr(file, "size", None)
    if size is None:
        return
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    limit = upload_max_bytes(kind)
    if size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); %(kind)s may be at most %(limit)s MB.")
            % {"size": _megabytes(size), "kind": _KIND_LABELS[Kind(kind)],
               "limit": _megabytes(limit)},
            code="file_size",
        )


def validate_upload(file, kinds=(Kind.PDF, Kind.IMAGE, Kind.OFFICE, Kind.TEXT)) -> str:
    """Raise a Japanese ValidationError unless ``file`` is one of ``kinds`` within the size
    limit of its kind; return its MIME."""
    kinds = tuple(Kind(k) for k in kinds)
    allowed = "、".join(str(_KIND_LABELS[k]) for k in kinds)
    suffix = PurePosixPath(getattr(file, "name", "") or "").suffix.lower()
    entry = _EXTENSIONS.get(suffix)
    if entry is None or entry[0] not in kinds:
        raise ValidationError(
            _("This kind of file cannot be uploaded here. Allowed: %(allowed)s.")
            % {"allowed": allowed},
            code="file_type",
        )
    kind, mimes = entry
    validate_size(file, kind)
    head = _read_head(file)
    if kind is Kind.TEXT:
        if not _looks_like_text(head):
            raise ValidationError(
                _("The file's content is not plain text."), code="file_content"
            )
        return "text/plain"
    mime = sniff(head)
    if mime not in mimes:
        raise ValidationError(
            _("The file's content does not match its name (%(name)s). Allowed: %(allowed)s.")
            % {"name": PurePosixPath(file.name).name, "allowed": allowed},
            code="file_content",
        )
    if kind is Kind.IMAGE:
        validate_image_pixels(file)
    return mime


def max_image_pixels() -> int:
    return int(settings.OFFICE_REFORM.get("MAX_IMAGE_PIXELS", 40_000_000))


def max_image_decoded_bytes() -> int:
    return int(settings.OFFICE_REFORM.get("MAX_IMAGE_DECODED_BYTES", 96_000_000))


def decoded_bytes(mode: str, width: int, height: int) -> int:
    """The memory Pillow takes for the decoded pixels: one byte a pixel for 1-bit, grey and
    palette images, two for 16-bit grey, and four for everything else (RGB is stored in
    four bytes a pixel like RGBA, and so are grey with alpha, 32-bit and float)."""
    if mode in ("1", "L", "P"):
        per_pixel = 1
    elif mode.startswith("I;16"):
        per_pixel = 2
    else:
        per_pixel = 4
    return width * height * per_pixel


def validate_image_pixels(file) -> None:
    """Refuse an image with more pixels than the setting, or whose decoded pixels would take
    more memory than the budget: both read from its header only, never decoded."""
    from PIL import Image

    position = file.tell()
    file.seek(0)
    try:
        with Image.open(file) as image:
            width, height = image.size
            mode = image.mode
    except Exception as exc:
        raise ValidationError(_("The image cannot be read."), code="image") from exc
    finally:
        file.seek(position)
    limit = max_image_pixels()
    if width * height > limit:
        raise ValidationError(
            _("The image is %(w)s × %(h)s pixels; at most %(mp)s megapixels are accepted.")
            % {"w": width, "h": height, "mp": limit // 1_000_000},
            code="image_pixels",
        )
    budget = max_image_decoded_bytes()
    needed = decoded_bytes(mode, width, height)
    if needed > budget:
        raise ValidationError(
            _("The image is %(w)s × %(h)s pixels and would take %(mb)s MB of memory to "
              "show; at most %(limit)s MB are accepted. Reduce its size (for example to "
              "%(mp)s megapixels) and upload it again.")
            % {"w": width, "h": height, "mb": _megabytes(needed, 10**6),
               "limit": _megabytes(budget, 10**6),
               "mp": max(1, budget * width * height // needed // 1_000_000)},
            code="image_memory",
        )


class UploadValidator:
    """A field validator: ``validators=[UploadValidator(Kind.PDF, Kind.IMAGE)]``. Every
    FileField/ImageField of a model has one (``tests/security/test_upload_limits.py`` checks), so
    the kind, the size limit of the kind and the image limits hold in every form and in the
    admin. A stored file (already committed) is not read again."""

    def __init__(self, *kinds):
        self.kinds = kinds or tuple(Kind)

    def __call__(self, file):
        # ``_committed`` first: ``hasattr(read)`` on a stored FieldFile opens it.
        if file and not getattr(file, "_committed", False) and hasattr(file, "read"):
            validate_upload(file, self.kinds)

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and other.kinds == self.kinds

    def max_bytes(self) -> int:
        """The largest size limit among the kinds this field accepts."""
        return max(upload_max_bytes(k) for k in self.kinds)

    def deconstruct(self):
        return ("engagements.uploads.UploadValidator", tuple(str(k) for k in self.kinds), {})
