"""Renders the deliverable report (報告書) to PDF with WeasyPrint."""

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from .selectors import report_context


def report_html(engagement, *, issued_on=None) -> str:
    return render_to_string("reports/report.html", report_context(engagement, issued_on=issued_on))


def report_pdf(engagement, *, issued_on=None) -> bytes:
    html = report_html(engagement, issued_on=issued_on)
    # base_url lets the report load images from MEDIA_ROOT and the app's static files.
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def report_filename(engagement) -> str:
    return f"report-engagement-{engagement.pk}.pdf"
