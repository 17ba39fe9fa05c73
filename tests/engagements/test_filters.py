import datetime as dt

from django.template import Context, Template
from django.utils import translation


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_yen_and_era_filters_in_japanese_and_english():
    with translation.override("ja"):
        assert render("{{ n|yen }}", n=1234567) == "1,234,567円"
        assert render("{{ d|era_date }}", d=dt.date(2026, 7, 1)) == "令和8年7月1日"
        assert render("{{ y|fiscal_year }}", y=2026) == "令和8年度"
    with translation.override("en"):
        assert render("{{ n|yen }}", n=1234567) == "¥1,234,567"
        assert render("{{ y|fiscal_year }}", y=2026) == "FY2026 (Reiwa 8)"


def test_era_datetime_uses_tokyo_time():
    moment = dt.datetime(2026, 3, 31, 15, 30, tzinfo=dt.UTC)  # 00:30 on 1 April in Tokyo
    with translation.override("ja"):
        assert render("{{ t|era_datetime }}", t=moment) == "令和8年4月1日 00:30"


def test_person_puts_the_family_name_first(make_user):
    user = make_user("yamada", last_name="山田", first_name="花子")
    assert render("{{ u|person }}", u=user) == "山田 花子"
    assert render("{{ u|person }}", u=make_user("nobody")) == "nobody"
