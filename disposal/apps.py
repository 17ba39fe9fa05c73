from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisposalConfig(AppConfig):
    name = "disposal"
    verbose_name = _("Disposal and transfer")

    def ready(self) -> None:
        from engagements.stages import Stage, register_stage

        register_stage(
            Stage(
                "disposal",
                _("Disposal and transfer"),
                _("Items no longer needed: scrapped with a manifest, or transferred"),
                "disposal:index",
                "disposal.selectors.stage_progress",
                order=40,
                demo=("disposal.demo.seed",),
            )
        )
        from meetings.links import register_linkable
        from reports.chapters import Chapter, register_chapter
        from reports.electronic_data import StageExport, register_export

        register_chapter(
            Chapter("disposal", _("Disposal and transfer"), "disposal/report/chapter.html",
                    "disposal.selectors.report_chapter", order=60)
        )
        register_linkable("disposal.DisposalItem", "disposal:item_detail")
        register_linkable("disposal.Transfer", "disposal:transfer_detail")
        register_export(StageExport("disposal", "廃棄・移設",
                                    "disposal.exports.electronic_data_files", order=60))

        from reports.schedule import register_schedule

        register_schedule("disposal.selectors.schedule_rows")
