from django.views.generic import TemplateView

from .. import selectors
from .base import SurveyMixin


class StageIndexView(SurveyMixin, TemplateView):
    """The survey's start page: what has been recorded and where to go next."""

    template_name = "survey/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = selectors.survey_counts(self.engagement)
        context["floors"] = self.engagement.floors.all()
        return context
