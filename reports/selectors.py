"""Reads for the report. The reports app never writes domain data."""

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from engagements.selectors import organisation_tree
from engagements.stages import STAGES, StageProgress
from engagements.stages import stage_progress as progress_of

from .chapters import numbered_chapters


def overview_chapter(engagement) -> dict:
    return {
        "memberships": engagement.memberships.select_related("user", "organisation"),
        "stages": STAGES,
    }


def organisation_chapter(engagement) -> dict:
    return {"org_tree": organisation_tree(root=engagement.client)}


def pending_chapter(engagement) -> dict:
    return {}


def report_context(engagement, *, issued_on=None) -> dict:
    chapters = [
        {
            "number": number,
            "chapter": chapter,
            "context": import_string(chapter.context)(engagement),
        }
        for number, chapter in numbered_chapters()
    ]
    return {
        "engagement": engagement,
        "chapters": chapters,
        "issued_on": issued_on or timezone.localdate(),
        "font_families": settings.REPORT_FONT_FAMILIES,
    }


def stage_progress(engagement) -> StageProgress:
    """The report can be built at any time; it is as complete as the stages it reports on."""
    stages = [stage for stage in STAGES if stage.key != "reports"]
    percents = [progress_of(stage, engagement).percent for stage in stages]
    with_data = sum(1 for percent in percents if percent > 0)
    return StageProgress(
        percent=round(sum(percents) / len(percents)),
        summary=_("%(n)s of %(total)s stages have data; can be built at any time")
        % {"n": with_data, "total": len(stages)},
    )
