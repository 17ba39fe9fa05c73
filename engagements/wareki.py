"""Japanese era (和暦) dates and the Japanese fiscal year (年度, 1 April to 31 March).

Official documents write dates as 令和7年4月1日, the first year of an era as 元年.
"""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Era:
    name: str
    romaji: str
    start: dt.date


# Newest first; an era starts on its first day (Reiwa on 2019-05-01, Heisei ended 2019-04-30).
ERAS: tuple[Era, ...] = (
    Era("令和", "Reiwa", dt.date(2019, 5, 1)),
    Era("平成", "Heisei", dt.date(1989, 1, 8)),
    Era("昭和", "Showa", dt.date(1926, 12, 25)),
    Era("大正", "Taisho", dt.date(1912, 7, 30)),
    # Proclaimed on 1868-10-23 and counted from the first day of that lunar year (慶応4年1月1日).
    Era("明治", "Meiji", dt.date(1868, 1, 25)),
)
# The first date the era functions name; forms refuse earlier dates (engagements.forms).
FIRST_ERA_DATE = ERAS[-1].start


def era_of(date: dt.date) -> tuple[Era, int]:
    """The era a date falls in and the year within that era (1 for the first year)."""
    if isinstance(date, dt.datetime):
        date = date.date()
    for era in ERAS:
        if date >= era.start:
            return era, date.year - era.start.year + 1
    raise ValueError(f"{date} is before the Meiji era")


def _era_year_ja(era: Era, year: int) -> str:
    return f"{era.name}{'元' if year == 1 else year}年"


def wareki_year(year: int) -> str:
    """令和7年 for 2025: the era in force on 1 April of that year (when a fiscal year starts)."""
    try:
        era, era_year = era_of(dt.date(year, 4, 1))
    except (ValueError, OverflowError):  # before Meiji or beyond the calendar: Western
        return f"{year}年"
    return _era_year_ja(era, era_year)


def format_wareki(date: dt.date, *, western: bool = False, english: bool = False) -> str:
    """令和7年4月1日 (with ``western``: 令和7年(2025年)4月1日); English: Reiwa 7 (2025) April 1.

    A date before Meiji has no era here: it is written in the Western calendar (never an error,
    since a message or a page may show any stored date).
    """
    try:
        era, year = era_of(date)
    except ValueError:
        if english:
            return f"{date.strftime('%B')} {date.day}, {date.year}"
        return f"{date.year}年{date.month}月{date.day}日"
    if english:
        return f"{era.romaji} {year} ({date.year}), {date.strftime('%B')} {date.day}"
    western_part = f"({date.year}年)" if western else ""
    return f"{_era_year_ja(era, year)}{western_part}{date.month}月{date.day}日"


def fiscal_year_of(date: dt.date) -> int:
    """The Western year in which the fiscal year containing ``date`` starts (1 April)."""
    return date.year if date.month >= 4 else date.year - 1


def format_fiscal_year(fiscal_year: int, *, english: bool = False) -> str:
    """令和7年度 for fiscal year 2025; 平成31年度 for 2019, which began under Heisei."""
    if english:
        try:
            era, year = era_of(dt.date(fiscal_year, 4, 1))
        except (ValueError, OverflowError):
            return f"FY{fiscal_year}"
        return f"FY{fiscal_year} ({era.romaji} {year})"
    return f"{wareki_year(fiscal_year)}度"
