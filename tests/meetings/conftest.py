"""Fixtures of the meetings tests: meetings, minutes in a given status, approval requests."""

import datetime as dt

import pytest
from django.utils import timezone

from meetings.choices import ApprovalKind, ApprovalStatus, MinutesStatus, Venue, WorkItem
from meetings.models import ApprovalRequest, Meeting, Minutes


@pytest.fixture
def make_meeting(engagement, contractor):
    def make(title: str = "キックオフ打合せ", target=None, **fields) -> Meeting:
        target = target or engagement
        values = {
            "starts_at": timezone.make_aware(dt.datetime(2026, 7, 10, 10, 0)),
            "ends_at": timezone.make_aware(dt.datetime(2026, 7, 10, 11, 30)),
            "venue": Venue.OFFICE,
            "place": "地域自治推進室 会議室",
            "agenda": "1. 業務計画\n2. 調査日程",
            "created_by": contractor,
        }
        values.update(fields)
        return Meeting.objects.create(engagement=target, title=title, **values)

    return make


@pytest.fixture
def meeting(make_meeting):
    return make_meeting()


@pytest.fixture
def make_minutes(meeting, contractor, city_user):
    """Minutes in any status, written straight to the database (no status-change rows)."""

    def make(status: str = MinutesStatus.DRAFT, version: int = 1, target=None) -> Minutes:
        minutes = Minutes.objects.create(
            meeting=target or meeting, version=version, status=status, written_by=contractor,
            discussion="業務計画を説明し、了承を得た。",
        )
        if status == MinutesStatus.CONFIRMED:
            minutes.confirmed_by = city_user
            minutes.confirmed_at = timezone.now()
            minutes.save()
        return minutes

    return make


@pytest.fixture
def minutes(make_minutes):
    return make_minutes()


@pytest.fixture
def make_approval(engagement, contractor):
    def make(kind: str = ApprovalKind.SUBCONTRACT, status: str = ApprovalStatus.REQUESTED,
             target=None, **fields) -> ApprovalRequest:
        values = {
            "title": "書庫の文書量調査の再委託",
            "subcontractor": "株式会社京都ファイリング",
            "work_items": [WorkItem.SURVEY],
            "reason": "文書量の計測に専門の技術が必要なため。",
            "app_name": "Zoom" if kind == ApprovalKind.WEB_APP else "",
            "requested_on": dt.date(2026, 7, 15),
        }
        values.update(fields)
        return ApprovalRequest.objects.create(
            engagement=target or engagement, kind=kind, status=status, requested_by=contractor,
            **values,
        )

    return make
