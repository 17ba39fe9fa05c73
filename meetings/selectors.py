"""Reads of the meetings app: lists, the action-item register, stage progress and the report."""

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagements.stages import StageProgress
from engagements.workflow import status_history

from .choices import ActionItemStatus, ApprovalStatus, MinutesStatus
from .models import (
    ActionItem,
    ApprovalRequest,
    Attendee,
    Decision,
    Meeting,
    Minutes,
    MinutesStatusChange,
    Suggestion,
)


def _latest_version(meeting_ref: str) -> Subquery:
    return Subquery(
        Minutes.objects.filter(meeting=OuterRef(meeting_ref)).order_by("-version").values(
            "version"
        )[:1]
    )


def meeting_list(engagement) -> QuerySet[Meeting]:
    """The engagement's meetings, newest first, each with its latest minutes' version/status."""
    latest = Minutes.objects.filter(meeting=OuterRef("pk")).order_by("-version")
    return (
        Meeting.objects.filter(engagement=engagement)
        .annotate(
            minutes_version=Subquery(latest.values("version")[:1]),
            minutes_status=Subquery(latest.values("status")[:1]),
            attendee_count=Count("attendees", distinct=True),
        )
        .order_by("-starts_at")
    )


def meeting_get(engagement, pk: int) -> Meeting:
    """One meeting of the engagement (404 otherwise) with everything its page shows."""
    meeting = get_object_or_404(
        Meeting.objects.filter(engagement=engagement)
        .select_related("engagement__client", "created_by", "web_app_approval")
        .prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.select_related("user")),
            "attachments",
            Prefetch(
                "minutes_versions",
                queryset=Minutes.objects.select_related("written_by", "confirmed_by")
                .prefetch_related(
                    "decisions__linked",
                    Prefetch("action_items", queryset=ActionItem.objects.select_related("owner")),
                    Prefetch("status_changes", queryset=_status_changes()),
                )
                .order_by("-version"),
            ),
        ),
        pk=pk,
    )
    for minutes in meeting.minutes_versions.all():
        # From the prefetched rows: no query per version.
        minutes.status_history = status_history(minutes)
    return meeting


def _status_changes():
    return MinutesStatusChange.objects.select_related("actor")


def current_minutes(meeting: Meeting) -> Minutes | None:
    """The highest confirmed version (prefetched ``minutes_versions`` are used if present)."""
    confirmed = [m for m in meeting.minutes_versions.all() if m.status == MinutesStatus.CONFIRMED]
    return max(confirmed, key=lambda m: m.version) if confirmed else None


def action_item_list(engagement, *, today=None) -> QuerySet[ActionItem]:
    """Action items across the meetings: those of each meeting's latest minutes version (a
    correction carries the items over, so older versions would repeat them)."""
    today = today or timezone.localdate()
    return (
        ActionItem.objects.filter(minutes__meeting__engagement=engagement)
        .annotate(latest_version=_latest_version("minutes__meeting"))
        .filter(minutes__version=F("latest_version"))
        .annotate(
            overdue=ExpressionWrapper(
                Q(status=ActionItemStatus.OPEN, due_date__lt=today), output_field=BooleanField()
            ),
        )
        .select_related("owner", "minutes__meeting")
        .order_by(F("due_date").asc(nulls_last=True), "minutes__meeting__starts_at", "order")
    )


def approval_list(engagement) -> QuerySet[ApprovalRequest]:
    return ApprovalRequest.objects.filter(engagement=engagement).select_related(
        "requested_by", "decided_by"
    )


def suggestion_list(engagement) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(engagement=engagement).select_related(
        "submitted_by", "responded_by"
    )


def meetings_summary(engagement, *, today=None) -> dict[str, int]:
    items = action_item_list(engagement, today=today)
    return {
        "meetings": Meeting.objects.filter(engagement=engagement).count(),
        "awaiting_confirmation": Minutes.objects.filter(
            meeting__engagement=engagement, status=MinutesStatus.REQUESTED
        ).count(),
        "open_items": items.filter(status=ActionItemStatus.OPEN).count(),
        "overdue_items": items.filter(overdue=True).count(),
        "pending_approvals": ApprovalRequest.objects.filter(
            engagement=engagement, status=ApprovalStatus.REQUESTED
        ).count(),
        "unanswered_suggestions": Suggestion.objects.filter(
            engagement=engagement, response=""
        ).count(),
    }


def stage_progress(engagement) -> StageProgress:
    """Share of the meetings whose minutes are confirmed; the summary says what is waiting."""
    meetings = list(meeting_list(engagement).values_list("pk", flat=True))
    if not meetings:
        return StageProgress(percent=0, summary=_("No meetings recorded yet"))
    confirmed = (
        Minutes.objects.filter(meeting_id__in=meetings, status=MinutesStatus.CONFIRMED)
        .values("meeting_id").distinct().count()
    )
    percent = round(100 * confirmed / len(meetings))
    summary = _("%(confirmed)d of %(total)d meetings have confirmed minutes") % {
        "confirmed": confirmed, "total": len(meetings)
    }
    return StageProgress(percent=percent, summary=summary)


# --- Report -----------------------------------------------------------------------------------
def meetings_chapter(engagement) -> dict:
    """打合せ記録: each meeting with the decisions of its confirmed minutes, oldest first."""
    meetings = list(
        Meeting.objects.filter(engagement=engagement)
        .select_related("engagement__client")
        .prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.select_related("user")),
            Prefetch(
                "minutes_versions",
                queryset=Minutes.objects.filter(status=MinutesStatus.CONFIRMED).prefetch_related(
                    Prefetch("decisions", queryset=Decision.objects.order_by("order", "pk")),
                    "decisions__linked",
                ),
            ),
        )
        .order_by("starts_at")
    )
    rows = [{"meeting": m, "minutes": current_minutes(m)} for m in meetings]
    return {"meetings": rows}


def approvals_appendix(engagement) -> dict:
    """付録 承認・協議の記録: every request with its answer, and the proposals log."""
    return {
        "requests": approval_list(engagement).order_by("requested_on", "pk"),
        "suggestions": suggestion_list(engagement).order_by("submitted_on", "pk"),
    }
