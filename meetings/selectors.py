from django.utils.translation import gettext_lazy as _

from engagements.stages import StageProgress


def stage_progress(engagement) -> StageProgress:
    """Not built yet: the stage reports no progress."""
    return StageProgress(percent=0, summary=_("Not started"))
