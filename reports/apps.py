from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Report")

    def ready(self) -> None:
        from engagements.stages import Stage, register_stage

        register_stage(
            Stage(
                "reports",
                _("Report"),
                _("The deliverable report as PDF and its electronic data"),
                "reports:index",
                "reports.selectors.stage_progress",
                order=60,
                demo=("reports.demo.seed",),
            )
        )
