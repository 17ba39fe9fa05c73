"""The deliverable's electronic data (電子データ): one ZIP beside the bound original.

It holds the report PDF, the survey workbook (the same layout as the import template, so the
city can reuse the data) and the confirmed minutes of every meeting. Everything is read
through the stage apps' selectors and builders; nothing is written.
"""

import io
import zipfile
from dataclasses import dataclass

from django.utils import timezone
from django.utils.module_loading import import_string

from meetings.pdf import minutes_filename, minutes_pdf
from meetings.selectors import meetings_chapter
from survey.excel import export_workbook

from .builder import report_pdf


@dataclass(frozen=True)
class StageExport:
    """A stage's part of the electronic data, registered from its ``AppConfig.ready()``.

    ``files``: dotted path of ``f(engagement) -> Iterable[tuple[str, bytes]]``: names relative
    to the stage's ``folder`` (Japanese, e.g. ``"調達・設置.xlsx"``, ``"見積書/…pdf"``).
    """

    key: str
    folder: str
    files: str
    order: int = 100


EXPORTS: dict[str, StageExport] = {}


def register_export(export: StageExport) -> None:
    EXPORTS[export.key] = export


def electronic_data_files(engagement) -> list[tuple[str, bytes]]:
    files = [
        ("report.pdf", report_pdf(engagement)),
        ("survey.xlsx", export_workbook(engagement)),
    ]
    for export in sorted(EXPORTS.values(), key=lambda e: e.order):
        for name, content in import_string(export.files)(engagement):
            files.append((f"{export.folder}/{name}", content))
    for row in meetings_chapter(engagement)["meetings"]:
        if row["minutes"] is not None:
            files.append(
                (f"minutes/{minutes_filename(row['minutes'])}", minutes_pdf(row["minutes"]))
            )
    return files


def electronic_data_zip(engagement) -> bytes:
    buffer = io.BytesIO()
    now = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in electronic_data_files(engagement):
            archive.writestr(zipfile.ZipInfo(f"engagement-{engagement.pk}/{name}", now), content)
    return buffer.getvalue()


def electronic_data_filename(engagement) -> str:
    return f"report-engagement-{engagement.pk}-data.zip"
