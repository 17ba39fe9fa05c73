"""The deliverable's electronic data (電子データ): one ZIP beside the bound original.

It holds the report PDF, the survey workbook (the same layout as the import template, so the
city can reuse the data) and the confirmed minutes of every meeting. Everything is read
through the stage apps' selectors and builders; nothing is written.
"""

import io
import zipfile

from django.utils import timezone

from meetings.pdf import minutes_filename, minutes_pdf
from meetings.selectors import meetings_chapter
from survey.excel import export_workbook

from .builder import report_pdf


def electronic_data_files(engagement) -> list[tuple[str, bytes]]:
    files = [
        ("report.pdf", report_pdf(engagement)),
        ("survey.xlsx", export_workbook(engagement)),
    ]
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
