"""Shared pieces of the survey views: scoping, read/write actions, service errors on forms."""

from django.shortcuts import get_object_or_404

from engagements.forms import add_service_errors as apply_service_errors
from engagements.history import history_entries
from engagements.permissions import Action
from engagements.views import EngagementMixin

from .. import selectors


class SurveyMixin(EngagementMixin):
    """A survey page: reads need VIEW, writes (POST) need EDIT_SURVEY."""

    stage = "survey"
    write_action = Action.EDIT_SURVEY

    def get_required_action(self) -> Action:
        if self.request.method in ("POST", "PUT", "PATCH", "DELETE"):
            return self.write_action
        return self.required_action

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = self.can(Action.EDIT_SURVEY)
        return context

    def sections(self):
        if not hasattr(self, "_sections"):
            self._sections = selectors.sections_for(self.engagement)
        return self._sections

    def floors(self):
        return self.engagement.floors.all()


def object_in_engagement(model, engagement, pk, **related):
    queryset = model.objects.filter(engagement=engagement)
    if related.get("select"):
        queryset = queryset.select_related(*related["select"])
    return get_object_or_404(queryset, pk=pk)


__all__ = ["SurveyMixin", "apply_service_errors", "history_entries", "object_in_engagement"]
