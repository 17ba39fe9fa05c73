"""The report's proposal chapter (提案): plans side by side, figures, rationale, cost."""

import re

import pytest
from django.utils import translation

from proposals import selectors, services

from .conftest import payload_of

pytestmark = pytest.mark.django_db


def test_chapter_shows_the_approved_alternative_beside_the_current_layout(
    engagement, alternative, floor, catalogue, contractor, city_user
):
    # given 案A with a booth, a works cost, a rationale and a section, approved; 案B a draft
    from reports.builder import report_html

    items, zones = payload_of(selectors.editor_state(alternative, floor))
    items.append({"id": None, "catalogue": catalogue["booth"].pk, "x": 9000, "y": 8000, "r": 0})
    services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                         actor=contractor)
    services.alternative_update(alternative=alternative, actor=contractor,
                                rationale="在席率に見合った席数にする。")
    services.sections_save(alternative=alternative, actor=contractor, rows=[
        {"id": None, "heading": "集中ブース", "finding": "questionnaire",
         "rationale": "集中できる場所が求められた。", "sort_order": 1}])
    services.works_lines_save(alternative=alternative, actor=contractor, rows=[
        {"id": None, "description": "配線工事", "amount_yen": 12_345, "tax_class": "standard",
         "sort_order": 1}])
    services.alternative_create(proposal=alternative.proposal, label="案B", actor=contractor)
    services.alternative_submit(alternative=alternative, actor=contractor)
    services.alternative_approve(alternative=alternative, actor=city_user)
    # when the report is built
    with translation.override("ja"):
        html = report_html(engagement)
    chapter = html[html.index("提案するレイアウトは案A（承認）である。"):]
    # then the chapter has the current plan and every alternative's, full width and captioned
    plans = chapter[chapter.index("現状と提案の配置図"):chapter.index("導入前後の指標")]
    assert plans.count('class="plan-svg') == 3
    for caption in ("現状の配置（調査時）：3階", "案A（承認）：3階", "案B（下書き）：3階"):
        assert caption in plans, caption
    assert re.search(r"<th>指標</th><th>現状（調査）</th><th>案A</th><th>案B</th>", chapter)
    assert re.search(r"<th>打合せ・ブースの席数</th><td class=\"num\"><span class=\"nu\">0</span>"
                     r"</td><td class=\"num\"><span class=\"nu\">1</span></td>"
                     r"<td class=\"num\"><span class=\"nu\">0</span></td>", chapter)
    assert "在席率に見合った席数にする。" in chapter
    assert "対応する調査結果：職員アンケート" in chapter
    assert "集中できる場所が求められた。" in chapter
    # 420,000 + 12,345 = 432,345 yen; tax ⌊43,234.5⌋ = 43,234 yen
    cost = chapter[chapter.index("<h2>費用</h2>"):]
    for text in ("432,345円", "消費税 10%（1円未満切り捨て）", "43,234円", "475,579円",
                 "工事： 配線工事"):
        assert text in cost, text
