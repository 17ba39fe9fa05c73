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
            )
        )
