from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from engagements.stages import Stage, register_stage

        register_stage(
            Stage(
                "meetings",
                _("Meetings"),
                _("Meetings, minutes and the approvals register"),
                "meetings:index",
                "meetings.selectors.stage_progress",
                order=50,
                demo=("meetings.demo.seed",),
            )
        )
        from reports.chapters import Chapter, register_chapter

        from .report import APPROVALS_APPENDIX_TITLE

        register_chapter(
            Chapter("meetings", _("Meeting records"), "meetings/report/chapter.html",
                    "meetings.selectors.meetings_chapter", order=70)
        )
        register_chapter(
            Chapter("approvals", APPROVALS_APPENDIX_TITLE, "meetings/report/approvals.html",
                    "meetings.selectors.approvals_appendix", numbered=False, order=900)
        )
