"""Meetings part of the benchmark (engineer C): meetings, minutes, action items, approvals.

Seed scale: the demo story (2 meetings). City scale: per office, a fortnightly meeting over the
contract year (24 meetings), each with confirmed minutes, 3 decisions, 4 action items and 4
attendees, plus 12 approval requests and 6 proposals.
"""

import datetime as dt

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from engagements.models import Membership
from meetings.choices import (
    ActionItemStatus,
    ApprovalKind,
    ApprovalStatus,
    AttendeeSide,
    MinutesStatus,
    Venue,
    WorkItem,
)
from meetings.models import (
    ActionItem,
    ApprovalRequest,
    Attendee,
    Decision,
    Meeting,
    Minutes,
    Suggestion,
)

MEETINGS_PER_OFFICE = 24
REQUESTS_PER_OFFICE = 12


def generate_meetings(engagements, scale: str) -> None:
    from engagements import demo
    from meetings import demo as meetings_demo

    meetings_demo.seed(demo.seed())
    for engagement in engagements[1:]:
        if Meeting.objects.filter(engagement=engagement).exists():
            continue
        members = {m.role: m.user for m in Membership.objects.filter(engagement=engagement)}
        city, contractor = members["city_staff"], members["contractor"]
        start = timezone.make_aware(dt.datetime.combine(engagement.contract_start, dt.time(10)))
        # With their history rows, so that the meeting page shows what it shows in real use.
        meetings = bulk_create_with_history([
            Meeting(
                engagement=engagement, title=f"第{n + 1}回打合せ", created_by=contractor,
                starts_at=start + dt.timedelta(days=14 * n),
                ends_at=start + dt.timedelta(days=14 * n, hours=1),
                venue=Venue.WEB if n % 2 else Venue.OFFICE, web_tool="Microsoft Teams",
                agenda="1. 進捗報告\n2. 課題の確認",
            )
            for n in range(MEETINGS_PER_OFFICE)
        ], Meeting, default_user=contractor)
        Attendee.objects.bulk_create(
            attendee
            for meeting in meetings
            for attendee in (
                Attendee(meeting=meeting, user=city, side=AttendeeSide.CITY),
                Attendee(meeting=meeting, user=contractor, side=AttendeeSide.CONTRACTOR),
                Attendee(meeting=meeting, name="来賓 一郎", organisation="区役所",
                         side=AttendeeSide.GUEST),
                Attendee(meeting=meeting, name="来賓 二郎", organisation="区役所",
                         side=AttendeeSide.GUEST),
            )
        )
        minutes = Minutes.objects.bulk_create(
            Minutes(meeting=m, version=1, status=MinutesStatus.CONFIRMED, written_by=contractor,
                    confirmed_by=city, confirmed_at=m.starts_at + dt.timedelta(days=3),
                    discussion="進捗を報告し、課題を確認した。", next_meeting="2週間後")
            for m in meetings
        )
        Decision.objects.bulk_create(
            Decision(minutes=mi, order=k, text=f"決定事項{k}") for mi in minutes for k in (1, 2, 3)
        )
        ActionItem.objects.bulk_create(
            ActionItem(minutes=mi, order=k, description=f"宿題{k}",
                       owner=contractor if k % 2 else city,
                       due_date=mi.meeting.starts_at.date() + dt.timedelta(days=7 * k),
                       status=ActionItemStatus.DONE if k == 1 else ActionItemStatus.OPEN)
            for mi in minutes
            for k in (1, 2, 3, 4)
        )
        ApprovalRequest.objects.bulk_create(
            ApprovalRequest(
                engagement=engagement, kind=ApprovalKind.SUBCONTRACT, title=f"再委託{n}",
                subcontractor="株式会社協力会社", work_items=[WorkItem.SURVEY], reason="専門技術",
                requested_by=contractor,
                requested_on=engagement.contract_start + dt.timedelta(days=n),
                status=ApprovalStatus.APPROVED if n % 2 else ApprovalStatus.REQUESTED,
            )
            for n in range(REQUESTS_PER_OFFICE)
        )
        Suggestion.objects.bulk_create(
            Suggestion(engagement=engagement, title=f"提案{n}", body="内容",
                       submitted_by=contractor)
            for n in range(6)
        )


def _first_meeting(engagement) -> int:
    return Meeting.objects.filter(engagement=engagement).order_by("starts_at").first().pk


def _first_minutes(engagement) -> int:
    return Minutes.objects.filter(meeting_id=_first_meeting(engagement)).first().pk


PAGES = [
    ("meetings", "meetings:index", lambda e: {"engagement_pk": e.pk}),
    ("meeting page", "meetings:meeting_detail",
     lambda e: {"engagement_pk": e.pk, "pk": _first_meeting(e)}),
    ("action items", "meetings:action_items", lambda e: {"engagement_pk": e.pk}),
    ("approvals register", "meetings:approval_list", lambda e: {"engagement_pk": e.pk}),
    ("proposals log", "meetings:suggestions", lambda e: {"engagement_pk": e.pk}),
    ("minutes PDF", "meetings:minutes_pdf",
     lambda e: {"engagement_pk": e.pk, "pk": _first_minutes(e)}),
]
