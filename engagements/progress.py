"""The dashboard's stage progress, stored per engagement and recomputed after a change.

``stage_overview`` runs every stage's progress function (about twenty queries, the report's
pre-submission check among them); the dashboard reads it from ``StageProgressSnapshot``
instead: one query while nothing changed. What invalidates it (``invalidate``):

- every request that may write (POST, PUT, PATCH, DELETE): the engagement of its URL, or every
  engagement for a URL outside one (the admin), by ``ProgressInvalidationMiddleware``;
- every save or delete of a model of the project's apps outside a request (services called by
  a command, the demo, a background task, a test);
- the end of every background task (the report build);
- a new day (overdue inspections and manifests are counted against today).
"""

import threading

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

from .models import StageProgressSnapshot
from .stages import STAGES, StageProgress, stage_overview

ALL = object()
_state = threading.local()


def stored_stage_overview(engagement) -> list:
    """``stage_overview(engagement)``, from the stored snapshot when it is current."""
    snapshot, _created = StageProgressSnapshot.objects.get_or_create(engagement=engagement)
    today = timezone.localdate()
    language = translation.get_language() or ""
    stages = list(STAGES)
    stored = snapshot.progress.get(language) if snapshot.day == today else None
    if stored is not None and len(stored) == len(stages):
        return [(stage, StageProgress(percent, summary))
                for stage, (percent, summary) in zip(stages, stored, strict=True)]
    overview = stage_overview(engagement)
    progress = dict(snapshot.progress) if snapshot.day == today else {}
    progress[language] = [[p.percent, str(p.summary)] for _stage, p in overview]
    # Stored only if no change came in since the snapshot was read (same generation).
    StageProgressSnapshot.objects.filter(
        engagement=engagement, generation=snapshot.generation,
    ).update(day=today, progress=progress)
    return overview


def invalidate(engagement_id=ALL) -> None:
    """Mark the stored progress of one engagement (or of all) out of date."""
    rows = StageProgressSnapshot.objects.all()
    if engagement_id is not ALL:
        rows = rows.filter(engagement_id=engagement_id)
    rows.update(generation=F("generation") + 1, progress={}, day=None)


PROJECT_APPS = {"engagements", "survey", "proposals", "procurement", "disposal", "meetings",
                "reports"}


def _model_changed(sender, instance=None, **kwargs) -> None:
    # Inside a request the middleware invalidates once, after the view (bulk writes included).
    if getattr(_state, "in_request", False):
        return
    if sender is StageProgressSnapshot or sender._meta.app_label not in PROJECT_APPS:
        return
    engagement_id = getattr(instance, "engagement_id", None)
    invalidate(engagement_id if isinstance(engagement_id, int) else ALL)


def _task_finished(sender, **kwargs) -> None:
    invalidate()


def connect() -> None:
    """Called from ``EngagementsConfig.ready()``."""
    from django_tasks.signals import task_finished

    post_save.connect(_model_changed, dispatch_uid="progress_post_save")
    post_delete.connect(_model_changed, dispatch_uid="progress_post_delete")
    m2m_changed.connect(_model_changed, dispatch_uid="progress_m2m")
    task_finished.connect(_task_finished, dispatch_uid="progress_task_finished")


class ProgressInvalidationMiddleware:
    """After a request that may have written (any method but GET, HEAD, OPTIONS), the stored
    progress of its engagement (``engagement_pk`` in the URL) is out of date; of every
    engagement for a URL outside one. Covers bulk writes, which send no signals."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _state.in_request = True
        try:
            response = self.get_response(request)
        finally:
            _state.in_request = False
        if request.method not in {"GET", "HEAD", "OPTIONS"}:
            match = getattr(request, "resolver_match", None)
            engagement_pk = match.kwargs.get("engagement_pk") if match else None
            invalidate(int(engagement_pk) if engagement_pk is not None else ALL)
        return response
