"""One way to answer a download: every file the app serves goes through ``file_response``.

The ``Content-Disposition`` header follows RFC 6266: the Japanese name in
``filename*=UTF-8''…`` (percent-encoded) and an ASCII ``filename="…"`` for the clients that do
not read it. Quotes, backslashes, slashes and control characters (a newline could split the
header) never reach either form. The content type comes from one table by the name's
extension unless the caller knows better (uploads are sniffed by their content), and every
download carries ``X-Content-Type-Options: nosniff``.

    return file_response(pdf_bytes, filename="受領書_伏見区役所_20261201.pdf",
                         fallback="receipt-3.pdf", inline=True)
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.utils import timezone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

# Extension → content type of what the app serves.
MIME_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".xlsx": XLSX,
    ".docx": DOCX,
    ".pptx": PPTX,
    ".zip": "application/zip",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
DEFAULT_MIME = "application/octet-stream"

# Never in a file name: what a file system refuses, quotes, and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_NOT_ASCII_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def mime_type(filename: str) -> str:
    """The content type for ``filename`` by its extension (``application/octet-stream``)."""
    return MIME_TYPES.get(PurePosixPath(filename).suffix.lower(), DEFAULT_MIME)


def name_part(text, default: str = "") -> str:
    """``text`` as one part of a file name: unsafe characters and spaces become ``_``."""
    cleaned = re.sub(r"\s+", "_", _UNSAFE.sub("_", str(text or ""))).strip("_. ")
    return re.sub(r"_+", "_", cleaned) or default


def engagement_part(engagement) -> str:
    """The engagement in a file name: its site section (e.g. 区政・スマート区役所推進担当)."""
    return name_part(getattr(engagement, "section", None), f"engagement{engagement.pk}")


def stamp(day: dt.date | dt.datetime | None = None) -> str:
    """``day`` (default today) as ``YYYYMMDD`` for a file name."""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day) if timezone.is_aware(day) else day
    return f"{day or timezone.localdate():%Y%m%d}"


def safe_filename(filename: str) -> str:
    """The name as sent in ``filename*``: no path, quotes or control characters."""
    name = _UNSAFE.sub("_", str(filename or "")).strip(" .")
    return name or "download"


def ascii_fallback(filename: str, fallback: str | None = None) -> str:
    """The ASCII ``filename`` for clients that do not read ``filename*``: ``fallback`` (or the
    name itself) with accents dropped and anything else but letters, digits, ``.-_`` as ``_``.
    A name with nothing ASCII left is ``download`` with its extension."""
    source = fallback or filename or ""
    ascii_name = unicodedata.normalize("NFKD", source).encode("ascii", "ignore").decode()
    ascii_name = _NOT_ASCII_NAME.sub("_", ascii_name).strip("._")
    suffix = _NOT_ASCII_NAME.sub("", PurePosixPath(safe_filename(filename)).suffix)
    if not ascii_name or ascii_name == suffix.lstrip("."):
        return f"download{suffix}"
    return ascii_name


def content_disposition(filename: str, fallback: str | None = None, *,
                        inline: bool = False) -> str:
    """``attachment`` (or ``inline``) with the ASCII ``fallback`` and the UTF-8 ``filename*``."""
    kind = "inline" if inline else "attachment"
    return (f'{kind}; filename="{ascii_fallback(filename, fallback)}"; '
            f"filename*=UTF-8''{quote(safe_filename(filename), safe='')}")


def attach_disposition(response, filename: str, fallback: str | None = None, *,
                       inline: bool = False):
    """Set ``Content-Disposition`` and ``nosniff`` on ``response``; return it."""
    response["Content-Disposition"] = content_disposition(filename, fallback, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_response(content_or_file, *, filename: str, fallback: str | None = None,
                  inline: bool = False, content_type: str | None = None):
    """A download of ``content_or_file`` (bytes, or an open file streamed as it is read)."""
    content_type = content_type or mime_type(filename)
    if isinstance(content_or_file, (bytes, bytearray, str)):
        response = HttpResponse(content_or_file, content_type=content_type)
    else:
        response = FileResponse(content_or_file, content_type=content_type)
    return attach_disposition(response, filename, fallback, inline=inline)
