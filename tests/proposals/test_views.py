
"""Pages: status codes, messages, what changed in the database, scoping, query counts."""

import json
import re

import pytest
from django.urls import reverse

from proposals import services
from proposals.choices import AlternativeStatus, LayoutAction
from proposals.models import Alternative, CatalogueItem, Proposal

S = AlternativeStatus


def url(name, engagement, *args):
    return reverse(f"proposals:{name}", args=[engagement.pk, *args])


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


def test_index_lists_proposals_and_creates_one(login, contractor, engagement, proposal):
    client = login(contractor)
    response = client.get(url("index", engagement))
    assert response.status_code == 200
    assert "改善提案" in response.content.decode()
    response = client.post(url("index", engagement), {"title": "第2提案", "summary": ""},
                           follow=True)
    assert "提案を作成しました。" in response.content.decode()
    assert Proposal.objects.filter(engagement=engagement, title="第2提案").exists()


def test_city_staff_cannot_create_a_proposal(login, city_user, engagement, nothing_written):
    client = login(city_user)
    with nothing_written():
        response = client.post(url("index", engagement), {"title": "x"})
    assert response.status_code == 403
    assert not Proposal.objects.exists()


def test_create_alternative_from_the_survey(login, contractor, engagement, proposal,
                                            survey_layout):
    response = login(contractor).post(url("proposal_detail", engagement, proposal.pk),
                                      {"label": "案A", "based_on": ""}, follow=True)
    assert "案Aを作成しました。" in response.content.decode()
    alternative = Alternative.objects.get(label="案A")
    assert alternative.items.count() == 4


def test_duplicate_label_is_refused_next_to_the_field(login, contractor, engagement,
                                                      alternative):
    response = login(contractor).post(
        url("proposal_detail", engagement, alternative.proposal.pk), {"label": "案A"})
    assert response.status_code == 200
    assert "この提案には既に案Aがあります。" in response.content.decode()
    assert Alternative.objects.count() == 1


def test_alternative_page_shows_figures_cost_and_history(login, city_user, engagement,
                                                         alternative):
    response = login(city_user).get(url("alternative_detail", engagement, alternative.pk))
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("導入前後の指標", "席数", "消費税 10%（1円未満切り捨て）", "変更履歴", "<svg"):
        assert text in body


def test_other_engagements_objects_answer_404(login, outsider, other_engagement, alternative,
                                              contractor, engagement, make_member):
    client = login(outsider)
    # the outsider is not a member of ``engagement``
    assert client.get(url("alternative_detail", engagement, alternative.pk)).status_code == 404
    # and the alternative is not found through the outsider's own engagement
    assert client.get(url("alternative_detail", other_engagement,
                          alternative.pk)).status_code == 404
    assert client.get(url("comparison", other_engagement,
                          alternative.proposal.pk)).status_code == 404


def test_editor_saves_the_layout_as_json(login, contractor, engagement, alternative, floor,
                                         catalogue):
    client = login(contractor)
    response = client.get(url("alternative_editor", engagement, alternative.pk))
    assert response.status_code == 200
    state = response.context["state"]
    items = [dict(i) for i in state["items"]]
    items[0]["x"] += 500
    items.append({"id": None, "catalogue": catalogue["booth"].pk, "x": 9000, "y": 9000, "r": 0})
    response = client.post(
        url("alternative_editor", engagement, alternative.pk) + f"?floor={floor.pk}",
        data=json.dumps({"items": items, "zones": []}), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert alternative.items.filter(action=LayoutAction.MOVE).count() == 1
    assert alternative.items.filter(action=LayoutAction.NEW).count() == 1


def test_editor_refuses_bad_layout_with_a_message(login, contractor, engagement, alternative,
                                                  floor):
    response = login(contractor).post(
        url("alternative_editor", engagement, alternative.pk),
        data=json.dumps({"items": [{"id": None, "catalogue": 999_999, "x": 0, "y": 0}],
                         "zones": []}),
        content_type="application/json")
    assert response.status_code == 400
    assert "カタログの品目を選んでください" in response.json()["errors"][0]
    assert not alternative.items.filter(action=LayoutAction.NEW).exists()


def test_editor_save_is_refused_to_city_staff(login, city_user, engagement, alternative, floor,
                                              nothing_written):
    client = login(city_user)
    with nothing_written():
        response = client.post(url("alternative_editor", engagement, alternative.pk),
                               data=json.dumps({"items": [], "zones": []}),
                               content_type="application/json")
    assert response.status_code == 403


def test_submit_and_approve_through_the_pages(login, contractor, city_user, engagement,
                                              alternative):
    response = login(contractor).post(
        url("alternative_transition", engagement, alternative.pk, "submitted"), follow=True)
    assert "案Aを市に提出しました。" in response.content.decode()
    response = login(city_user).post(
        url("alternative_transition", engagement, alternative.pk, "approved"),
        {"comment": "承認"}, follow=True)
    assert "案Aを承認しました。" in response.content.decode()
    alternative.refresh_from_db()
    assert alternative.status == S.APPROVED


def test_disallowed_transition_shows_the_reason(login, city_user, engagement, alternative):
    response = login(city_user).post(
        url("alternative_transition", engagement, alternative.pk, "approved"), follow=True)
    assert "案Aは「下書き」のため、「承認」にはできません。" in response.content.decode()
    alternative.refresh_from_db()
    assert alternative.status == S.DRAFT


def test_return_without_comment_is_refused(login, contractor, city_user, engagement,
                                           alternative):
    services.alternative_submit(alternative=alternative, actor=contractor)
    response = login(city_user).post(
        url("alternative_transition", engagement, alternative.pk, "returned"),
        {"comment": ""}, follow=True)
    assert "差戻しの理由を入力してください。" in response.content.decode()
    alternative.refresh_from_db()
    assert alternative.status == S.SUBMITTED


@pytest.mark.parametrize("action,allowed_role", [("submitted", "contractor"),
                                                 ("returned", "city_user"),
                                                 ("approved", "city_user")])
def test_transition_pages_refuse_other_roles(action, allowed_role, request, login, engagement,
                                             alternative, nothing_written):
    for role in ("contractor", "city_user", "administrator"):
        if role == allowed_role:
            continue
        client = login(request.getfixturevalue(role))
        with nothing_written():
            response = client.post(
                url("alternative_transition", engagement, alternative.pk, action),
                {"comment": "x"})
        assert response.status_code == 403


def test_update_page_saves_rationale_sections_and_works(login, contractor, engagement,
                                                        alternative):
    data = {
        "alt-label": "案A", "alt-rationale": "在席率に合わせる", "alt-min_aisle_mm": "1000",
        "sections-TOTAL_FORMS": "1", "sections-INITIAL_FORMS": "0",
        "sections-0-heading": "フリーアドレス", "sections-0-finding": "occupancy",
        "sections-0-rationale": "在席率が低い", "sections-0-sort_order": "1",
        "works-TOTAL_FORMS": "1", "works-INITIAL_FORMS": "0",
        "works-0-description": "配線工事", "works-0-amount_yen": "12345",
        "works-0-tax_class": "standard", "works-0-sort_order": "1",
    }
    response = login(contractor).post(url("alternative_update", engagement, alternative.pk),
                                      data, follow=True)
    assert "案Aを保存しました。" in response.content.decode()
    alternative.refresh_from_db()
    assert alternative.min_aisle_mm == 1000
    assert alternative.sections.get().heading == "フリーアドレス"
    assert alternative.works_lines.get().amount_yen == 12_345
    body = login(contractor).get(url("alternative_detail", engagement, alternative.pk))
    assert reverse("survey:occupancy_index", args=[engagement.pk]) in body.content.decode()


def test_catalogue_pages(login, administrator, contractor, engagement, catalogue):
    assert login(contractor).get(url("catalogue_list", engagement)).status_code == 200
    assert login(contractor).get(url("catalogue_create", engagement)).status_code == 403
    client = login(administrator)
    response = client.post(url("catalogue_create", engagement), {
        "kind": "desk", "name": "新しい机", "width_mm": "1200", "depth_mm": "700",
        "unit_price_yen": "", "tax_class": "standard", "seats": "1", "storage_fm": "0",
        "outlets": "2", "active": "on"})
    assert response.status_code == 200  # price missing: shown next to the field
    assert not CatalogueItem.objects.filter(name="新しい机").exists()
    response = client.post(url("catalogue_create", engagement), {
        "kind": "desk", "name": "新しい机", "width_mm": "1200", "depth_mm": "700",
        "unit_price_yen": "50000", "tax_class": "standard", "seats": "1", "storage_fm": "0",
        "outlets": "2", "active": "on"}, follow=True)
    assert "新しい机を保存しました。" in response.content.decode()


def test_pages_keep_query_counts_with_many_items(login, contractor, engagement, alternative,
                                                 floor, catalogue, django_assert_max_num_queries):
    # given 120 new items on the plan
    from proposals import selectors

    from .conftest import payload_of

    items, zones = payload_of(selectors.editor_state(alternative, floor))
    items += [{"id": None, "catalogue": catalogue["booth"].pk, "x": 1000 + (n % 12) * 1100,
               "y": 5000 + (n // 12) * 500, "r": 0} for n in range(120)]
    services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                         actor=contractor)
    client = login(contractor)
    # the queries each page makes (measured): a query per item would add 120
    # (three of the first page's renew the session: the idle timeout, every five minutes; the
    # alternative page's first view reads the engagement's data generation, then derives and
    # caches its names, figures and plans, reading the alternative for each, and the engagement)
    for name, args, queries in (("alternative_detail", [alternative.pk], 39),
                                ("alternative_editor", [alternative.pk], 17),
                                ("comparison", [alternative.proposal.pk], 31),
                                ("index", [], 9)):
        with django_assert_max_num_queries(queries):
            assert client.get(url(name, engagement, *args)).status_code == 200


def test_approve_button_is_hidden_once_another_alternative_is_approved(
    login, city_user, engagement, make_alternative
):
    # given 案A approved and 案B submitted
    second = make_alternative(S.SUBMITTED, label="案B")
    make_alternative(S.APPROVED, label="案A")
    # when the city opens 案B
    page = login(city_user).get(url("alternative_detail", engagement, second.pk)).content.decode()
    # then it can only be returned
    assert "この提案では既に案Aが承認されています。承認できる案は1つだけです。" in page
    assert url("alternative_transition", engagement, second.pk, "approved") not in page
    assert url("alternative_transition", engagement, second.pk, "returned") in page


def test_table_rows_of_sections_and_works_name_every_field(login, contractor, engagement,
                                                            alternative):
    page = login(contractor).get(
        url("alternative_update", engagement, alternative.pk)
    ).content.decode()
    # the labels stand in the table header; each field carries its own for screen readers
    for name in ["sections-0-heading", "sections-0-rationale", "works-0-description",
                 "works-0-amount_yen"]:
        tag = re.search(rf'<(?:input|textarea|select)[^>]*name="{name}"[^>]*>', page).group(0)
        assert re.search(r'aria-label="[^"]+"', tag), tag


def test_each_section_links_to_the_survey_page_showing_its_finding(
    login, contractor, city_user, engagement, alternative
):
    # given an occupancy study, the questionnaire waves and one section per finding
    from proposals.choices import SurveyFinding
    from survey.models import OccupancyStudy, QuestionnaireWave

    study = OccupancyStudy.objects.create(engagement=engagement, name="在席率調査")
    before = QuestionnaireWave.objects.create(engagement=engagement, kind="before")
    QuestionnaireWave.objects.create(engagement=engagement, kind="after")
    services.sections_save(alternative=alternative, actor=contractor, rows=[
        {"id": None, "heading": f"節{n}", "finding": finding, "rationale": "理由",
         "sort_order": n} for n, finding in enumerate(SurveyFinding.values)])
    client = login(city_user)
    # when the alternative and the comparison are opened
    pages = [client.get(url("alternative_detail", engagement, alternative.pk)),
             client.get(url("comparison", engagement, alternative.proposal.pk))]
    links = {section.finding: link for section, link in pages[0].context["view"].sections}
    # then each link goes to the page of that finding, not to a list to search
    survey = f"/engagements/{engagement.pk}/survey/"
    assert links == {
        "document_volume": f"{survey}analysis/",
        "occupancy": f"{survey}occupancy/{study.pk}/analysis/",
        "questionnaire": f"{survey}questionnaire/{before.pk}/",
        "desks": f"{survey}desks/",
        "storage": f"{survey}storage/",
    }
    body = pages[0].content.decode()
    for link in links.values():
        assert f'href="{link}"' in body
        assert client.get(link).status_code == 200
    assert dict((s.finding, u) for s, u in pages[1].context["c"]["views"][0].sections) == links


def test_alternative_page_folds_the_warnings_inherited_from_the_survey(
    login, contractor, city_user, engagement, alternative, floor, catalogue
):
    # given a minimum aisle of 1,500 mm (D1 and D3 stand 1,300 mm apart in the survey) and a
    # new booth 400 mm beside D3
    from .conftest import payload_of

    services.alternative_update(alternative=alternative, actor=contractor, min_aisle_mm=1500)
    items, zones = payload_of(selectors_state(alternative, floor))
    items.append({"id": None, "catalogue": catalogue["booth"].pk, "x": 2600, "y": 3000, "r": 0})
    services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                         actor=contractor)
    # when the city opens the alternative
    response = login(city_user).get(url("alternative_detail", engagement, alternative.pk))
    body = response.content.decode()
    # then the booth's warnings are listed, narrowest first; the survey's own is folded apart
    assert "レイアウトの注意 3件" in body
    own = body.index("この案で生じたもの 2件")
    folded = body.index("<summary>調査時点の配置のままの箇所（存置する品目どうし） 1件")
    assert own < body.index("D3と集中ブースの間の通路が400 mmしかありません。") < body.index(
        "D2と集中ブースの間の通路が1,300 mmしかありません。") < folded
    assert body.index("D1とD3の間の通路が1,300 mmしかありません。") > folded


def selectors_state(alternative, floor):
    from proposals import selectors

    return selectors.editor_state(alternative, floor)


def test_approved_alternative_shows_its_work_lists(login, contractor, city_user, engagement,
                                                    alternative, floor, catalogue):
    # given D2 removed and two booths added, submitted and approved
    from .conftest import payload_of

    items, zones = payload_of(selectors_state(alternative, floor))
    for item in items:
        item["removed"] = item["label"] == "D2"
    items += [{"id": None, "catalogue": catalogue["booth"].pk, "x": x, "y": 8000, "r": 0}
              for x in (8000, 9000)]
    services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                         actor=contractor)
    services.alternative_submit(alternative=alternative, actor=contractor)
    services.alternative_approve(alternative=alternative, actor=city_user)
    client = login(city_user)
    # when the proposal and the alternative are opened
    proposal_page = client.get(url("proposal_detail", engagement, alternative.proposal.pk))
    page = client.get(url("alternative_detail", engagement, alternative.pk)).content.decode()
    # then the proposal points to the lists, and the alternative shows both
    link = url("alternative_detail", engagement, alternative.pk) + "#work-lists"
    assert f'href="{link}"' in proposal_page.content.decode()
    lists = page[page.index('id="work-lists"'):page.index("状態の変更履歴")]
    assert "作業リスト" in lists
    assert re.search(r"集中ブース W1000×D1000</td><td class=\"num\">2</td>"
                     r"<td class=\"num\">420,000円</td><td class=\"num\">840,000円</td>", lists)
    assert "合計（税抜）" in lists
    assert "<li>机 D2</li>" in lists


def test_approved_alternative_without_changes_says_the_lists_are_empty(
    login, city_user, engagement, make_alternative
):
    approved = make_alternative(S.APPROVED, label="案A")
    page = login(city_user).get(url("alternative_detail", engagement, approved.pk))
    body = page.content.decode()
    assert 'id="work-lists"' in body
    assert "新規の品目はありません。" in body and "撤去する品目はありません。" in body


def test_draft_alternative_has_no_work_lists_yet(login, contractor, engagement, alternative):
    body = login(contractor).get(url("alternative_detail", engagement, alternative.pk))
    assert 'id="work-lists"' not in body.content.decode()


def test_comparison_highlights_the_rows_where_the_alternatives_differ(
    login, contractor, city_user, engagement, alternative, floor, catalogue
):
    # given 案A with a booth added, and 案B a copy of it with a works cost added
    from .conftest import payload_of

    items, zones = payload_of(selectors_state(alternative, floor))
    items.append({"id": None, "catalogue": catalogue["booth"].pk, "x": 9000, "y": 8000, "r": 0})
    services.layout_save(alternative=alternative, floor=floor, items=items, zones=zones,
                         actor=contractor)
    second = services.alternative_create(proposal=alternative.proposal, label="案B",
                                         based_on=alternative, actor=contractor)
    services.works_lines_save(alternative=second, actor=contractor, rows=[
        {"id": None, "description": "配線工事", "amount_yen": 100_000, "tax_class": "standard",
         "sort_order": 1}])
    # when the city compares them
    response = login(city_user).get(url("comparison", engagement, alternative.proposal.pk))
    body = response.content.decode()
    # then the layouts' figures are the same (not highlighted), the costs differ (highlighted)
    rows = {r.key: r.differs for r in response.context["c"]["rows"]}
    assert rows["meeting_places"] is False and rows["seats"] is False
    assert [differs for _label, _values, differs in response.context["c"]["cost_rows"]] == [
        True, True, True]
    assert re.search(r'<tr class="differs"><th scope="row">合計（税込） '
                     r'<span class="visually-hidden">（差あり）</span>', body)
    assert re.search(r'<tr><th scope="row">打合せ・ブースの席数</th>', body)
    assert body.count('class="plan-svg') == 3  # the current plan and both alternatives'


def test_update_page_saves_nothing_when_a_part_is_refused(login, contractor, engagement,
                                                          alternative, monkeypatch):
    # given the works part refused by its service after the rest was written
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError("工事費を保存できません。")

    monkeypatch.setattr(services, "works_lines_save", refuse)
    data = {
        "alt-label": "案A", "alt-rationale": "新しい理由", "alt-min_aisle_mm": "1000",
        "sections-TOTAL_FORMS": "1", "sections-INITIAL_FORMS": "0",
        "sections-0-heading": "フリーアドレス", "sections-0-finding": "occupancy",
        "sections-0-rationale": "在席率が低い", "sections-0-sort_order": "1",
        "works-TOTAL_FORMS": "0", "works-INITIAL_FORMS": "0",
    }
    # when the page is saved
    response = login(contractor).post(url("alternative_update", engagement, alternative.pk),
                                      data)
    # then the message is shown on the form and nothing was written
    assert response.status_code == 200
    assert "工事費を保存できません。" in response.content.decode()
    alternative.refresh_from_db()
    assert (alternative.rationale, alternative.min_aisle_mm) == ("", 900)
    assert not alternative.sections.exists()
