"""Which installation days disturb the office: weekdays (not 祝日, not 年末年始) in office hours."""

import datetime as dt

import jpholiday
from django.conf import settings


def is_day_off(day: dt.date) -> bool:
    """土日, 祝日 (jpholiday) and 年末年始 (29 December – 3 January)."""
    if day.weekday() >= 5 or jpholiday.is_holiday(day):
        return True
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def office_hours() -> tuple[dt.time, dt.time]:
    start, end = settings.OFFICE_REFORM["PROCUREMENT"]["OFFICE_HOURS"]
    return dt.time.fromisoformat(start), dt.time.fromisoformat(end)


def during_office_hours(day: dt.date, starts_at: dt.time, ends_at: dt.time) -> bool:
    """True when the work overlaps the office's open hours on a working day."""
    if is_day_off(day):
        return False
    open_, close = office_hours()
    return starts_at < close and ends_at > open_
