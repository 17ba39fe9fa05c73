from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from engagements.stages import Stage, register_stage

        register_stage(
            Stage(
                "proposals",
                _("Proposals"),
                _("Layout alternatives, figures and costs, approval"),
                "proposals:index",
                "proposals.selectors.stage_progress",
                order=20,
                demo=("proposals.demo.seed",),
            )
        )
        from reports.chapters import Chapter, register_chapter

        register_chapter(
            Chapter("proposals", _("Proposals"), "proposals/report/chapter.html",
                    "proposals.selectors.report_chapter", order=40)
        )

        from meetings.links import register_linkable

        register_linkable("proposals.Proposal", "proposals:proposal_detail")
