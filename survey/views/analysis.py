"""The analysis page and the Excel template, export and import."""

import uuid

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from engagements.downloads import XLSX, file_response

from .. import excel, selectors
from ..forms import ImportForm
from .base import SurveyMixin


class AnalysisView(SurveyMixin, TemplateView):
    template_name = "survey/analysis.html"
    crumb = gettext_lazy("Analysis")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        analysis = selectors.survey_analysis(self.engagement)
        context["analysis"] = analysis
        # The chart builders escape every label they draw.
        context["charts"] = {
            k: mark_safe(v) for k, v in selectors.analysis_charts(analysis).items()
        }
        return context


def _xlsx_response(content: bytes, names: tuple[str, str]) -> HttpResponse:
    """The workbook as a download: its Japanese name (RFC 6266 ``filename*``) with an ASCII
    fallback for clients that do not read it."""
    japanese, fallback = names
    return file_response(content, filename=japanese, fallback=fallback, content_type=XLSX)


class ExcelTemplateView(SurveyMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        return _xlsx_response(
            excel.template_workbook(self.engagement),
            excel.download_name(self.engagement, _("survey template"), "xlsx",
                                ascii_what="survey-template"),
        )


class ExcelExportView(SurveyMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        return _xlsx_response(
            excel.export_workbook(self.engagement),
            excel.download_name(self.engagement, _("survey"), "xlsx", ascii_what="survey"),
        )


PENDING_KEY = "survey_import_pending"


class _PendingImport:
    """The file of a clean dry run, kept in the default storage (shared by every app server)
    until it is imported or replaced; the session holds its token for this engagement only."""

    def __init__(self, request, engagement):
        self.session = request.session
        self.key = str(engagement.pk)
        self.engagement = engagement

    def get(self, token: str) -> dict | None:
        entry = self.session.get(PENDING_KEY, {}).get(self.key)
        return entry if entry and token and entry["token"] == token else None

    def current(self) -> dict | None:
        return self.session.get(PENDING_KEY, {}).get(self.key)

    def keep(self, upload) -> dict:
        self.forget()
        upload.seek(0)
        token = uuid.uuid4().hex
        path = default_storage.save(
            f"engagement_{self.engagement.pk}/survey/imports/{token}.xlsx",
            ContentFile(upload.read()),
        )
        entry = {"token": token, "path": path, "name": getattr(upload, "name", "") or ""}
        pending = self.session.get(PENDING_KEY, {})
        pending[self.key] = entry
        self.session[PENDING_KEY] = pending
        return entry

    def forget(self) -> None:
        pending = self.session.get(PENDING_KEY, {})
        entry = pending.pop(self.key, None)
        if entry is not None:
            default_storage.delete(entry["path"])
            self.session[PENDING_KEY] = pending


class ExcelImportView(SurveyMixin, FormView):
    """Upload a workbook: a dry run lists the errors; a real import is all-or-nothing."""

    template_name = "survey/import.html"
    crumb = gettext_lazy("Import a workbook")
    form_class = ImportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("pending", _PendingImport(self.request, self.engagement).current())
        return context

    def form_valid(self, form):
        pending = _PendingImport(self.request, self.engagement)
        upload = form.cleaned_data["file"]
        kept = None
        if not upload:
            kept = pending.get(form.cleaned_data["pending"])
            if kept is None:
                form.add_error("file", _("The checked file is no longer kept: upload it again."))
                return self.form_invalid(form)
            upload = default_storage.open(kept["path"], "rb")
        dry_run = form.cleaned_data["dry_run"]
        try:
            with upload:
                result = excel.survey_import(
                    engagement=self.engagement, file=upload, actor=self.request.user,
                    dry_run=dry_run,
                )
                if result.ok and dry_run and kept is None:
                    kept = pending.keep(upload)
        except excel.ImportRefused as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        if not dry_run or not result.ok:
            pending.forget()
            kept = None
        if result.errors:
            messages.error(self.request, _("The workbook has errors; nothing was changed."))
        elif result.dry_run:
            messages.info(self.request, _("No errors found. Import the checked file below, "
                                          "or untick 'check only' and upload it again."))
        else:
            messages.success(self.request, _("The workbook was imported."))
        return self.render_to_response(
            self.get_context_data(form=form, result=result, pending=kept)
        )
