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
            )
        )
