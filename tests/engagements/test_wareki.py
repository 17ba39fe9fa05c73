import datetime as dt

import pytest

from engagements.wareki import era_of, fiscal_year_of, format_fiscal_year, format_wareki


@pytest.mark.parametrize(
    "date,expected",
    [
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2019, 12, 31), "令和元年12月31日"),
        (dt.date(2020, 1, 1), "令和2年1月1日"),
        (dt.date(2025, 4, 1), "令和7年4月1日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(1989, 1, 8), "平成元年1月8日"),
    ],
)
def test_format_wareki_around_era_boundaries(date, expected):
    assert format_wareki(date) == expected


def test_format_wareki_with_western_year_and_in_english():
    assert format_wareki(dt.date(2026, 7, 1), western=True) == "令和8年(2026年)7月1日"
    assert format_wareki(dt.date(2026, 7, 1), english=True) == "Reiwa 8 (2026), July 1"


def test_datetime_is_treated_as_its_date():
    era, year = era_of(dt.datetime(2019, 5, 1, 0, 0))
    assert (era.name, year) == ("令和", 1)


@pytest.mark.parametrize(
    "date,fiscal_year",
    [
        (dt.date(2026, 3, 31), 2025),
        (dt.date(2026, 4, 1), 2026),
        (dt.date(2027, 1, 15), 2026),
        (dt.date(2026, 12, 31), 2026),
    ],
)
def test_fiscal_year_starts_on_1_april(date, fiscal_year):
    assert fiscal_year_of(date) == fiscal_year


@pytest.mark.parametrize(
    "fiscal_year,expected",
    [
        # FY2019 began on 2019-04-01, still in Heisei: 平成31年度 (令和元年度 after May).
        (2019, "平成31年度"),
        (2020, "令和2年度"),
        (2025, "令和7年度"),
        (1988, "昭和63年度"),
    ],
)
def test_format_fiscal_year(fiscal_year, expected):
    assert format_fiscal_year(fiscal_year) == expected


def test_dates_before_meiji_are_refused():
    with pytest.raises(ValueError):
        era_of(dt.date(1800, 1, 1))
