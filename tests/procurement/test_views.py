"""Procurement pages: who may do what, messages shown, bad input, query counts."""

import pytest
from django.urls import reverse

from engagements.choices import Role
from procurement import services
from procurement.choices import PositionStatus
from procurement.forms import IntegerTextField
from procurement.models import Order, Position, PositionStatusChange, Quote
from tests.downloads import download_names

P = PositionStatus
C, K, A = Role.CITY_STAFF, Role.CONTRACTOR, Role.ADMINISTRATOR

PAGES = ["index", "plan", "positions", "tablet", "order_list", "inspection", "cabling",
         "days"]

# POST endpoint → the roles allowed (everyone else 403; non-members 404), written out.
WRITES = {
    ("plan_adopt", ""): {K},
    ("budget", ""): {C},
    ("asset_numbers", ""): {C},
    ("tablet", ""): {K},
    ("order_list", ""): {K},
    ("cabling", ""): {K},
    ("days", ""): {K},
    ("position_transition", P.DELIVERED): {K},
    ("position_transition", P.INSPECTED): {C},
    ("finding_raise", ""): {C},
}


def url(name, engagement, *args):
    return reverse(f"procurement:{name}", args=[engagement.pk, *args])


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", [C, K, A, "outsider"])
def test_pages_for_members_only(client, plan, engagement, member_by_role, role, page):
    client.force_login(member_by_role[role])
    response = client.get(url(page, engagement))
    assert response.status_code == (404 if role == "outsider" else 200)


@pytest.mark.parametrize("endpoint,target", list(WRITES))
@pytest.mark.parametrize("role", [C, K, A, "outsider"])
def test_role_action_matrix_of_the_writes(client, plan, engagement, member_by_role, role,
                                          endpoint, target):
    client.force_login(member_by_role[role])
    args = []
    if endpoint in ("position_transition", "finding_raise"):
        args = [Position.objects.filter(plan=plan).exclude(line=None).first().pk]
    response = client.post(url(endpoint, engagement, *args), {"target": target})
    if role == "outsider":
        assert response.status_code == 404
    elif role in WRITES[(endpoint, target)]:
        assert response.status_code in (200, 302, 400)
    else:
        assert response.status_code == 403


def test_another_engagements_objects_answer_404(client, plan, make_engagement, make_member):
    other = make_engagement("別件")
    member = make_member(other, Role.CONTRACTOR, "other-contractor")
    client.force_login(member)
    position = Position.objects.filter(plan=plan).first()
    response = client.post(reverse("procurement:position_transition",
                                   args=[other.pk, position.pk]), {"target": P.DELIVERED})
    assert response.status_code == 404


def test_start_from_the_page(client, approved, engagement, contractor):
    client.force_login(contractor)
    response = client.post(url("plan_start", engagement), follow=True)
    assert "承認案から調達計画を作成しました。" in response.content.decode()
    assert Position.objects.exclude(line=None).count() == 5


@pytest.mark.parametrize("typed,value", [("１２，０００", 12000), ("12,000円", 12000),
                                         (" 300 ", 300), ("０", 0)])
def test_amounts_accept_full_width_digits_and_commas(typed, value):
    assert IntegerTextField().clean(typed) == value


@pytest.mark.parametrize("typed,message", [("-3", "負の数"), ("1.5", "整数"), ("abc", "整数")])
def test_bad_amounts_get_a_japanese_message(typed, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        IntegerTextField().clean(typed)


def test_budget_form_normalises_and_saves(client, plan, engagement, city_user):
    client.force_login(city_user)
    response = client.post(url("budget", engagement),
                           {"budget_yen": "１，９００，０００", "version": plan.version},
                           follow=True)
    assert "予算を保存しました。" in response.content.decode()
    plan.refresh_from_db()
    assert plan.budget_yen == 1_900_000


def test_stale_budget_form_is_told_and_saves_nothing(client, plan, engagement, city_user):
    services.plan_budget_set(plan=plan, budget_yen=5, actor=city_user)
    client.force_login(city_user)
    response = client.post(url("budget", engagement), {"budget_yen": "7", "version": 0})
    assert response.status_code == 400
    assert "あなたの変更は保存されていません。" in response.content.decode()
    assert "什器予算（税込・円）：5" in response.content.decode()
    plan.refresh_from_db()
    assert plan.budget_yen == 5


def test_negative_order_quantity_is_refused_beside_the_field(client, plan, lines, engagement,
                                                             contractor):
    client.force_login(contractor)
    response = client.post(url("order_list", engagement), {
        "title": "什器", f"qty_{lines['desk'].pk}": "-1"})
    assert response.status_code == 400
    assert "負の数" in response.content.decode()
    assert not Order.objects.exists()


def test_quote_form_with_full_width_price_and_bad_dates(client, plan, lines, engagement,
                                                        contractor, suppliers):
    order = services.order_create(engagement=engagement, title="x", actor=contractor,
                                  quantities={lines["desk"].pk: 2})
    line = order.lines.get()
    client.force_login(contractor)
    data = {"step": "quote", "supplier": suppliers[0].pk, "quoted_on": "2026-10-10",
            "valid_until": "2026-10-01", "tax_included": "0", f"price_{line.pk}": "１２，０００"}
    response = client.post(url("order_detail", engagement, order.pk), data)
    assert response.status_code == 400
    assert "有効期限は見積日より前にできません。" in response.content.decode()
    assert not Quote.objects.exists()
    data["valid_until"] = "2026-11-10"
    response = client.post(url("order_detail", engagement, order.pk), data, follow=True)
    assert "株式会社A家具の見積を追加しました。" in response.content.decode()
    assert Quote.objects.get().lines.get().unit_price_yen == 12_000


def test_issue_form_refuses_delivery_before_the_order(client, plan, lines, engagement,
                                                      contractor, make_order):
    order = make_order({lines["desk"]: 1}, issue=False)
    services.order_choose_quote(order=order, quote=order.quotes_made[1], actor=contractor)
    order.refresh_from_db()
    client.force_login(contractor)
    response = client.post(url("order_detail", engagement, order.pk), {
        "step": "issue", "number": "R8-9", "ordered_on": "2026-10-10",
        "delivery_due": "2026-10-01", "delivery_place": "3階", "version": order.version})
    assert response.status_code == 400
    assert "納期は発注日より前にできません。" in response.content.decode()
    order.refresh_from_db()
    assert order.status == "draft"


def test_line_delivered_more_than_ordered_shows_the_message(client, plan, lines, engagement,
                                                            contractor, make_order):
    make_order({lines["desk"]: 1})
    client.force_login(contractor)
    response = client.post(url("line_transition", engagement, lines["desk"].pk),
                           {"target": "delivered", "quantity": "２"}, follow=True)
    assert "発注済は1のため、2は進められません" in response.content.decode()
    assert not Position.objects.filter(status=P.DELIVERED).exists()


def test_tablet_bulk_update_names_the_refused_and_changes_nothing(client, plan, lines,
                                                                 engagement, contractor,
                                                                 make_order):
    make_order({lines["desk"]: 2})
    ordered = list(Position.objects.filter(status=P.ORDERED))
    booth = Position.objects.get(line=lines["booth"])
    client.force_login(contractor)
    response = client.post(url("tablet", engagement), {
        "target": "delivered", "positions": [p.pk for p in ordered] + [booth.pk]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "何も変更していません" in body and f"{booth.label}:" in body
    assert not PositionStatusChange.objects.filter(new_status=P.DELIVERED).exists()
    response = client.post(url("tablet", engagement), {
        "target": "delivered", "positions": [p.pk for p in ordered]}, follow=True)
    assert "2 か所を更新しました。" in response.content.decode()


def test_subcontractor_refused_on_the_tablet_with_the_missing_approval(
        client, plan, lines, engagement, contractor, make_order, subcontractor):
    make_order({lines["desk"]: 1})
    position = Position.objects.get(status=P.ORDERED)
    services.position_transition(position=position, target=P.DELIVERED, actor=contractor)
    client.force_login(contractor)
    response = client.post(url("tablet", engagement), {
        "target": "installed", "positions": [position.pk], "installer": subcontractor.pk})
    assert response.status_code == 400
    assert "株式会社配線工業の再委託の承認が必要ですが、ありません" in response.content.decode()


def test_order_pdf_is_a_pdf(client, plan, lines, engagement, contractor, make_order):
    order = make_order({lines["desk"]: 2})
    client.force_login(contractor)
    response = client.get(url("order_pdf", engagement, order.pk))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_export_workbook_has_the_sheets(client, plan, lines, engagement, contractor,
                                        make_order):
    import io

    from openpyxl import load_workbook

    make_order({lines["desk"]: 2})
    client.force_login(contractor)
    response = client.get(url("export", engagement))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["調達計画明細", "見積", "発注", "検収結果", "備品一覧"]
    assert book["発注"].max_row == 2


def test_day_form_asks_for_the_note(client, engagement, contractor):
    client.force_login(contractor)
    response = client.post(url("days", engagement), {
        "date": "2026-11-05", "starts_at": "10:00", "ends_at": "12:00", "planned": "設置",
        "workers": "2名"})
    assert response.status_code == 400
    assert "平日の執務時間中の作業です" in response.content.decode()


@pytest.mark.parametrize("page", ["plan", "positions", "tablet", "inspection", "cabling",
                                  "index"])
def test_query_count_does_not_grow_with_positions(client, plan, engagement, contractor, page,
                                                  django_assert_max_num_queries, lines):
    # 200 more units of the desk line
    template = Position.objects.filter(line=lines["desk"]).first()
    extra = []
    for i in range(200):
        template.pk = None
        template.label = f"X{i:03d}"
        template.x_mm = 100 + (i % 20) * 800
        template.y_mm = 100 + (i // 20) * 800
        extra.append(Position(**{f.attname: getattr(template, f.attname)
                                 for f in Position._meta.concrete_fields if f.attname != "id"}))
    Position.objects.bulk_create(extra)
    client.force_login(contractor)
    with django_assert_max_num_queries(30):
        response = client.get(url(page, engagement))
    assert response.status_code == 200


def test_order_pages_query_count(client, plan, lines, engagement, contractor, make_order,
                                 django_assert_max_num_queries):
    for i in range(3):
        make_order({lines["desk"]: 0 + 1} if i == 0 else {lines["locker"]: 1},
                   factors=(100, 95, 90), number=f"R8-{i}")
    client.force_login(contractor)
    with django_assert_max_num_queries(25):
        assert client.get(url("order_list", engagement)).status_code == 200
    order = Order.objects.first()
    with django_assert_max_num_queries(30):
        assert client.get(url("order_detail", engagement, order.pk)).status_code == 200


def test_dashboard_marks_overdue_inspections(client, plan, engagement, city_user, position_in):
    position_in(P.DELIVERED)  # delivered 20 October 2026, due 30 October
    client.force_login(city_user)
    response = client.get(reverse("engagements:dashboard", args=[engagement.pk]))
    assert "検収期限超過1点" in response.content.decode()


def test_order_pdf_and_workbook_have_japanese_names_with_ascii_fallbacks(
        client, plan, lines, engagement, contractor, make_order):
    # given an issued order R8-001 for 什器
    order = make_order({lines["desk"]: 2})
    client.force_login(contractor)
    # when the order PDF is opened, then it is shown inline with both names
    response = client.get(url("order_pdf", engagement, order.pk))
    assert download_names(response, inline=True) == ("order-R8-001.pdf",
                                                     "注文書_R8-001_什器.pdf")
    # and the workbook keeps today's name as its fallback
    fallback, japanese = download_names(client.get(url("export", engagement)))
    assert fallback == f"procurement-{engagement.pk}.xlsx"
    assert japanese.startswith("調達_テスト案件_担当_") and japanese.endswith(".xlsx")


def test_choosing_without_a_quote_says_what_to_choose(client, plan, lines, engagement,
                                                      contractor, make_order):
    # given an order with quotes and none chosen yet
    order = make_order({lines["desk"]: 1}, issue=False)
    client.force_login(contractor)
    # when the choice is posted without a quote
    response = client.post(url("order_detail", engagement, order.pk), {
        "step": "choose", "reason": "", "version": order.version})
    # then the page says which choice is missing, and nothing is chosen
    assert response.status_code == 400
    assert "見積比較表で採用する見積を選んでください。" in response.content.decode()
    order.refresh_from_db()
    assert order.chosen_quote_id is None
