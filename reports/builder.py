"""Renders the deliverable report (報告書) to PDF with WeasyPrint.

The PDF is tagged (``pdf_tags``: headings, tables and figures carry structure for screen
readers; ``pdfinfo`` says ``Tagged: yes``) and carries title, author and language. A draft
is marked 「案」 on every page; a version carries its 版 and its issue date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from .selectors import report_context


@dataclass
class Edition:
    """What the cover and the 改訂履歴 say: a draft (案) or version ``number``."""

    number: int | None = None
    issued_on: dt.date = field(default_factory=timezone.localdate)
    open_items: list = field(default_factory=list)
    acknowledgement: str = ""
    history: list = field(default_factory=list)  # (number, issued_on, status label, note)

    @property
    def draft(self) -> bool:
        return self.number is None


# Charts and plans are drawn by the stage apps in a sans-serif; in the report they take the
# body's font family (one typeface in the document).
SVG_FONT = re.compile(r'(<(?:svg|text|g)\b[^>]*?\sfont-family=)"[^"]*"')


def report_html(engagement, *, edition: Edition | None = None, issued_on=None) -> str:
    edition = edition or Edition(issued_on=issued_on or timezone.localdate())
    html = render_to_string("reports/report.html", report_context(engagement, edition=edition))
    body = ", ".join(f"'{f}'" for f in settings.REPORT_FONT_FAMILIES) + ", serif"
    return SVG_FONT.sub(lambda m: f'{m[1]}"{body}"', html)


def write_report_pdf(engagement, target, *, edition: Edition | None = None, progress=None):
    """Render to ``target`` (a path or a binary file); bounded by the document, not by
    copies of it."""
    progress = progress or (lambda _p, _s: None)
    progress(10, _("Reading the records"))
    html = report_html(engagement, edition=edition)
    progress(40, _("Laying out the pages"))
    # base_url lets the report load images from MEDIA_ROOT and the app's static files.
    HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        target, pdf_tags=True, uncompressed_pdf=False)


def report_pdf(engagement, *, issued_on=None, edition: Edition | None = None) -> bytes:
    edition = edition or Edition(issued_on=issued_on or timezone.localdate())
    html = report_html(engagement, edition=edition)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_tags=True)
