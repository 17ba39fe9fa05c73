"""The six stages of an engagement, in the order the commission runs them.

Each stage app reports its own progress through a function named here, so the dashboard
does not need to know any stage's models.
"""

from dataclasses import dataclass

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class StageProgress:
    percent: int
    summary: str


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    description: str
    url_name: str
    progress: str  # dotted path of f(engagement) -> StageProgress


STAGES: tuple[Stage, ...] = (
    Stage(
        "survey",
        _("Survey"),
        _("Desks, storage and document volume, occupancy, staff views"),
        "survey:index",
        "survey.selectors.stage_progress",
    ),
    Stage(
        "proposals",
        _("Proposals"),
        _("Layout alternatives, figures and costs, approval"),
        "proposals:index",
        "proposals.selectors.stage_progress",
    ),
    Stage(
        "procurement",
        _("Procurement and installation"),
        _("Quotes, orders, delivery, installation and cabling"),
        "procurement:index",
        "procurement.selectors.stage_progress",
    ),
    Stage(
        "disposal",
        _("Disposal and transfer"),
        _("Items no longer needed: scrapped with a manifest, or transferred"),
        "disposal:index",
        "disposal.selectors.stage_progress",
    ),
    Stage(
        "meetings",
        _("Meetings"),
        _("Meetings, minutes and the approvals register"),
        "meetings:index",
        "meetings.selectors.stage_progress",
    ),
    Stage(
        "reports",
        _("Report"),
        _("The deliverable report as PDF and its electronic data"),
        "reports:index",
        "reports.selectors.stage_progress",
    ),
)


def stage_overview(engagement) -> list[tuple[Stage, StageProgress]]:
    return [(stage, import_string(stage.progress)(engagement)) for stage in STAGES]
