"""Download names: Japanese, with the engagement's short name and the date, and an ASCII
fallback; the header itself is ``engagements.downloads.file_response``'s."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')


def short_name(engagement) -> str:
    """The site section's name (e.g. 区政・スマート区役所推進担当), safe for a file name."""
    return UNSAFE.sub("_", str(engagement.section)).strip("_") or f"engagement{engagement.pk}"


def _stamp(day: dt.date | None) -> str:
    return f"{day or timezone.localdate():%Y%m%d}"


def report_filename(engagement, *, version=None, draft: bool = False, ascii: bool = False,
                    day: dt.date | None = None) -> str:
    if version is not None:
        day, tag_ja, tag_en = version.issued_on, f"第{version.number}版", f"v{version.number}"
    else:
        tag_ja, tag_en = "案", "draft"
    if ascii:
        return f"report_{engagement.pk}_{tag_en}_{_stamp(day)}.pdf"
    return f"報告書_{short_name(engagement)}_{tag_ja}_{_stamp(day)}.pdf"


def zip_filename(engagement, *, version=None, draft: bool = False, ascii: bool = False,
                 day: dt.date | None = None) -> str:
    if version is not None:
        day, tag_ja, tag_en = version.issued_on, f"第{version.number}版", f"v{version.number}"
    else:
        tag_ja, tag_en = "案", "draft"
    if ascii:
        return f"data_{engagement.pk}_{tag_en}_{_stamp(day)}.zip"
    return f"電子データ_{short_name(engagement)}_{tag_ja}_{_stamp(day)}.zip"

