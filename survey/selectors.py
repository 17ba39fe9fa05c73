"""Reads of the survey: counts, totals, analysis, the report chapter and stage progress."""

from django.utils.translation import gettext_lazy as _

from engagements.stages import StageProgress

from .models import Desk, Floor, SectionStaffing, StorageUnit


def survey_counts(engagement) -> dict[str, int]:
    return {
        "floors": Floor.objects.filter(engagement=engagement).count(),
        "desks": Desk.objects.filter(engagement=engagement).count(),
        "storage_units": StorageUnit.objects.filter(engagement=engagement).count(),
        "staffing": SectionStaffing.objects.filter(engagement=engagement).count(),
    }


def stage_progress(engagement) -> StageProgress:
    """Not built yet: the stage reports no progress."""
    return StageProgress(percent=0, summary=_("Not started"))
