"""The report's builds as benchmark operations: the draft PDF and the electronic data ZIP,
each written to a temporary file as the worker does (not held in memory)."""

import os
import tempfile

from django.utils import translation


def build_report_pdf(engagement) -> None:
    from reports.builder import Edition, write_report_pdf

    with tempfile.TemporaryDirectory() as tmp, translation.override("ja"):
        write_report_pdf(engagement, os.path.join(tmp, "report.pdf"), edition=Edition())


def build_electronic_data(engagement) -> None:
    from reports.electronic_data import write_electronic_data

    with tempfile.TemporaryDirectory() as tmp, translation.override("ja"):
        pdf = os.path.join(tmp, "report.pdf")
        with open(pdf, "wb") as out:
            out.write(b"%PDF-1.7 bench")
        write_electronic_data(engagement, os.path.join(tmp, "data.zip"), pdf_name="報告書.pdf",
                              pdf_path=pdf)
