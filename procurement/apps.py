from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Procurement and installation")

    def ready(self) -> None:
        from engagements.stages import Stage, register_stage

        register_stage(
            Stage(
                "procurement",
                _("Procurement and installation"),
                _("Quotes, orders, delivery, installation and cabling"),
                "procurement:index",
                "procurement.selectors.stage_progress",
                order=30,
                demo=("procurement.demo.seed",),
            )
        )
        from reports.chapters import Chapter, register_chapter

        register_chapter(
            Chapter("procurement", _("Procurement and installation"),
                    "procurement/report/chapter.html", "procurement.selectors.report_chapter",
                    order=50)
        )
        from meetings.links import register_linkable

        register_linkable("procurement.Order", "procurement:order_detail")

        from reports.electronic_data import StageExport, register_export

        register_export(StageExport("procurement", "調達・設置",
                                    "procurement.exports.electronic_data", order=30))
        from reports.schedule import register_schedule

        register_schedule("procurement.selectors.schedule_rows")
