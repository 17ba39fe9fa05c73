"""Reads for the report. The reports app never writes domain data."""

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from engagements.selectors import organisation_tree
from engagements.stages import STAGES, StageProgress

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
    """The report can be built at any time; it is as complete as the stages it reports on.

    The summary names what is still missing (each unfinished stage with its own progress and
    summary), so that the dashboard's card does not show a bare percentage.
    """
    stages = [stage for stage in STAGES if stage.key != "reports"]
    progress = [(stage, import_string(stage.progress)(engagement)) for stage in stages]
    percent = round(sum(p.percent for _stage, p in progress) / len(progress))
    missing = [(stage, p) for stage, p in progress if p.percent < 100]
    if not missing:
        return StageProgress(
            percent=percent,
            summary=_("Every stage is complete: the report has all its chapters."),
        )
    parts = "、".join(
        _("%(stage)s %(percent)s%% (%(summary)s)")
        % {"stage": stage.label, "percent": p.percent, "summary": p.summary}
        for stage, p in missing
    )
    return StageProgress(
        percent=percent,
        summary=_("The report can be built at any time. Still missing: %(parts)s")
        % {"parts": parts},
    )
