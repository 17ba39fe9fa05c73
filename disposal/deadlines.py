"""Manifest deadlines: B2 and D back within 90 days of issue, E within 180; a copy not back
by its deadline is reported (措置内容等報告書) within the next 30 days. The day of issue is not
counted (初日不算入): a manifest issued on 1 April has B2 due on 30 June, the 90th day after.
All three numbers are settings (``OFFICE_REFORM``)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone


def _days(name: str, default: int) -> int:
    return int(settings.OFFICE_REFORM.get(name, default))


@dataclass(frozen=True)
class CopyDeadline:
    copy: str  # "B2", "D", "E"
    due: dt.date
    returned_on: dt.date | None
    today: dt.date
    report_due: dt.date

    @property
    def is_back(self) -> bool:
        return self.returned_on is not None

    @property
    def days_left(self) -> int | None:
        return None if self.is_back else (self.due - self.today).days

    @property
    def overdue(self) -> bool:
        return not self.is_back and self.today > self.due

    @property
    def late(self) -> bool:
        """Came back, but after its deadline."""
        return self.is_back and self.returned_on > self.due


def copy_deadlines(manifest, today: dt.date | None = None) -> list[CopyDeadline]:
    today = today or timezone.localdate()
    short = dt.timedelta(days=_days("MANIFEST_B2_D_DAYS", 90))
    long = dt.timedelta(days=_days("MANIFEST_E_DAYS", 180))
    report = dt.timedelta(days=_days("MANIFEST_REPORT_DAYS", 30))
    issued = manifest.issued_on
    rows = []
    for copy, delta, returned in (
        ("B2", short, manifest.b2_returned_on),
        ("D", short, manifest.d_returned_on),
        ("E", long, manifest.e_returned_on),
    ):
        due = issued + delta
        rows.append(CopyDeadline(copy, due, returned, today, due + report))
    return rows


def outstanding(manifest, today: dt.date | None = None) -> list[CopyDeadline]:
    return [row for row in copy_deadlines(manifest, today) if not row.is_back]


def overdue(manifest, today: dt.date | None = None) -> list[CopyDeadline]:
    return [row for row in copy_deadlines(manifest, today) if row.overdue]
