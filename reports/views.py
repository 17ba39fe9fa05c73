from django.http import HttpResponse
from django.views import View
from django.views.generic import TemplateView

from engagements.permissions import Action
from engagements.views import EngagementMixin

from .builder import report_filename, report_pdf
from .chapters import numbered_chapters
from .electronic_data import electronic_data_filename, electronic_data_zip


class StageIndexView(EngagementMixin, TemplateView):
    template_name = "reports/index.html"
    stage = "reports"

    def get_context_data(self, **kwargs):
        return super().get_context_data(chapters=numbered_chapters(), **kwargs)


class ReportDownloadView(EngagementMixin, View):
    required_action = Action.EXPORT_REPORT

    def get(self, request, *args, **kwargs):
        response = HttpResponse(report_pdf(self.engagement), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{report_filename(self.engagement)}"'
        )
        return response


class ElectronicDataDownloadView(EngagementMixin, View):
    """The electronic data (電子データ) of the deliverable as one ZIP."""

    required_action = Action.EXPORT_REPORT

    def get(self, request, *args, **kwargs):
        response = HttpResponse(
            electronic_data_zip(self.engagement), content_type="application/zip"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{electronic_data_filename(self.engagement)}"'
        )
        return response
