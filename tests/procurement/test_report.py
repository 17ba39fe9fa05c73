"""The report chapter 調達・設置 and the stage's part of the electronic data."""

import pytest

from procurement import exports, selectors, services
from procurement.choices import PositionStatus
from reports.builder import report_html
from reports.chapters import numbered_chapters

P = PositionStatus


def chapter_number() -> int:
    """The number of this chapter in the report (captions are numbered per chapter)."""
    return next(n for n, chapter in numbered_chapters() if chapter.key == "procurement")


def test_chapter_is_pending_without_a_plan(engagement, city_user):
    html = report_html(engagement)
    assert f"第{chapter_number()}章　調達・設置" in html
    assert selectors.report_chapter(engagement) == {"plan": None}


def test_chapter_holds_the_records_with_numbered_captions(plan, lines, engagement, contractor,
                                                          city_user, make_order):
    services.plan_budget_set(plan=plan, budget_yen=2_000_000, actor=city_user)
    make_order({lines["desk"]: 2}, factors=(100, 95), reason="")
    services.line_transition(line=lines["desk"], target=P.DELIVERED, quantity=2,
                             actor=contractor)
    position = lines["desk"].positions.order_by("label").first()
    finding = services.finding_raise(position=position, text="天板に傷", actor=city_user)
    services.finding_correct(finding=finding, correction="天板を交換", actor=contractor)
    html = report_html(engagement)
    chapter = html[html.index('id="chapter-procurement"'):]
    chapter = chapter[:chapter.index("</section>")]
    # captions only: the report numbers them (表7-1, 図7-1 …) with its CSS counters, once
    assert f"表{chapter_number()}-" not in chapter and f"図{chapter_number()}-" not in chapter
    for text in ("<caption>調達品目と状態</caption>", '<p class="caption">見積比較表</p>',
                 "3階の設置状況", '<p class="caption">設置位置ごとの必要接続数と施工数</p>',
                 "<caption>検収時の指摘と是正</caption>",
                 "予算2,000,000円に対し", "天板に傷", "天板を交換", "株式会社B商会"):
        assert text in chapter, text
    # only facts of the records: no page hints
    for hint in ("してください", "ダウンロード", "<form", "<button"):
        assert hint not in chapter


@pytest.mark.django_db
def test_electronic_data_has_the_workbook_orders_and_quote_files(plan, lines, make_order):
    order = make_order({lines["desk"]: 1}, number="R8-001")
    names = [name for name, _content in exports.electronic_data(order.engagement)]
    assert names == ["調達・設置.xlsx", "注文書/注文書_R8-001.pdf"]


def test_a_decision_can_name_an_order(plan, lines, make_order, engagement):
    from django.contrib.contenttypes.models import ContentType

    from meetings.links import is_linkable, linkable_choices
    from procurement.models import Order

    order = make_order({lines["desk"]: 1}, number="R8-001")
    assert is_linkable(ContentType.objects.get_for_model(Order))
    groups = dict(linkable_choices(engagement))
    assert any("R8-001" in label for _value, label in groups["発注"])
    assert order.get_absolute_url().endswith(f"/procurement/orders/{order.pk}/")
