from django.views.generic import TemplateView

from engagements.views import EngagementMixin


class StageIndexView(EngagementMixin, TemplateView):
    template_name = "meetings/index.html"
    stage = "meetings"
