from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveyConfig(AppConfig):
    name = "survey"
    verbose_name = _("Survey")

    def ready(self) -> None:
        from engagements.stages import Stage, register_stage

        register_stage(
            Stage(
                "survey",
                _("Survey"),
                _("Desks, storage and document volume, occupancy, staff views"),
                "survey:index",
                "survey.selectors.stage_progress",
                order=10,
                demo=("survey.demo.seed", "survey.demo_occupancy.seed"),
            )
        )
        from reports.chapters import Chapter, register_chapter

        register_chapter(
            Chapter("survey", _("Survey results"), "survey/report/chapter.html",
                    "survey.selectors.report_chapter", order=30)
        )
