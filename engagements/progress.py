"""The dashboard's stage progress, stored per engagement and recomputed after a change.

``stage_overview`` runs every stage's progress function (about twenty queries, the report's
pre-submission check among them); the dashboard reads it from ``StageProgressSnapshot``
instead: one query while nothing changed. What invalidates it (``invalidate``):

- every request that may write (POST, PUT, PATCH, DELETE): the engagement of its URL, or every
  engagement for a URL outside one (the admin), by ``ProgressInvalidationMiddleware``;
- every save of a model of the project's apps outside a request (services called by
  a command, the demo, a background task, a test), once its transaction commits;
- the end of every background task (the report build);
- a new day (overdue inspections and manifests are counted against today).
"""

import threading

from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_save
from django.utils import timezone, translation

from .models import StageProgressSnapshot
from .stages import STAGES, StageProgress, stage_overview

ALL = object()
_state = threading.local()


def data_generation(engagement) -> int:
    """A number that grows with every change of the engagement's data (see the module's list):
    a page may cache what it derives from the data under it (one query). Read it before the
    data: what is derived while a change comes in is cached under a generation nobody reads.
    A page read (GET) has it already: ``EngagementMixin`` reads it with the membership."""
    read = getattr(engagement, "generation_at_request", None)
    if read is not None:
        return read
    snapshot, _created = StageProgressSnapshot.objects.get_or_create(engagement=engagement)
    return snapshot.generation


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
    if sender is StageProgressSnapshot or sender._meta.app_label not in PROJECT_APPS:
        return
    engagement_id = getattr(instance, "engagement_id", None)
    engagement_id = engagement_id if isinstance(engagement_id, int) else ALL
    if getattr(_state, "in_request", False):
        # The middleware invalidates once, after the view (bulk writes included): the URL's
        # engagement, or every one when a record without an engagement of its own changed
        # (an organisation; minutes name theirs through the meeting).
        if engagement_id is ALL:
            _state.touched_all = True
        return
    invalidate_on_commit(engagement_id)


class _Pending:
    """The engagements a transaction changed, invalidated once when it commits."""

    def __init__(self, engagement_id):
        self.ids = {engagement_id}

    def __call__(self):
        if ALL in self.ids:
            invalidate()
        else:
            for engagement_id in self.ids:
                invalidate(engagement_id)


def invalidate_on_commit(engagement_id=ALL) -> None:
    """``invalidate`` after the current transaction commits (at once outside one), once for
    all the changes of the transaction; nothing if it rolls back."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        invalidate(engagement_id)
        return
    savepoints = set(connection.savepoint_ids)
    for registered_in, callback, _robust in connection.run_on_commit:
        # (one registered in the same savepoint: it is dropped with the changes if that rolls
        # back)
        if isinstance(callback, _Pending) and registered_in == savepoints:
            callback.ids.add(engagement_id)
            return
    transaction.on_commit(_Pending(engagement_id))


def _task_finished(sender, **kwargs) -> None:
    invalidate()


def connect() -> None:
    """Called from ``EngagementsConfig.ready()``."""
    from django_tasks.signals import task_finished

    # Not post_delete: a delete receiver for every model would stop Django's fast deletes
    # (each deleted row fetched first). Deletions come from pages (the middleware) or with
    # a save beside them.
    post_save.connect(_model_changed, dispatch_uid="progress_post_save")
    m2m_changed.connect(_model_changed, dispatch_uid="progress_m2m")
    task_finished.connect(_task_finished, dispatch_uid="progress_task_finished")


class ProgressInvalidationMiddleware:
    """After a request that may have written (any method but GET, HEAD, OPTIONS), the stored
    progress of its engagement (``engagement_pk`` in the URL) is out of date; of every
    engagement for a URL outside one. Covers bulk writes, which send no signals."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _state.in_request, _state.touched_all = True, False
        try:
            response = self.get_response(request)
        finally:
            _state.in_request = False
        if request.method not in {"GET", "HEAD", "OPTIONS"} or _state.touched_all:
            match = getattr(request, "resolver_match", None)
            engagement_pk = match.kwargs.get("engagement_pk") if match else None
            everything = engagement_pk is None or _state.touched_all
            invalidate(ALL if everything else int(engagement_pk))
        return response
