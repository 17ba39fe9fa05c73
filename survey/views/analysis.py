"""The analysis page and the Excel template, export and import."""

from django.contrib import messages
from django.http import HttpResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from .. import excel, selectors
from ..forms import ImportForm
from .base import SurveyMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ExcelTemplateView(SurveyMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        return _xlsx_response(
            excel.template_workbook(self.engagement), f"survey-template-{self.engagement.pk}.xlsx"
        )


class ExcelExportView(SurveyMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        return _xlsx_response(
            excel.export_workbook(self.engagement), f"survey-{self.engagement.pk}.xlsx"
        )


class ExcelImportView(SurveyMixin, FormView):
    """Upload a workbook: a dry run lists the errors; a real import is all-or-nothing."""

    template_name = "survey/import.html"
    crumb = gettext_lazy("Import a workbook")
    form_class = ImportForm

    def form_valid(self, form):
        try:
            result = excel.survey_import(
                engagement=self.engagement, file=form.cleaned_data["file"],
                actor=self.request.user, dry_run=form.cleaned_data["dry_run"],
            )
        except excel.ImportRefused as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        if result.errors:
            messages.error(self.request, _("The workbook has errors; nothing was changed."))
        elif result.dry_run:
            messages.info(self.request, _("No errors found. Untick 'check only' to import."))
        else:
            messages.success(self.request, _("The workbook was imported."))
        return self.render_to_response(self.get_context_data(form=form, result=result))
