"""Pages of the disposal stage: who sees and does what, refused input beside its field with
nothing saved, constant query counts, the PDFs, the workbook and the report chapter."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from disposal.choices import ItemStatus, Outcome, TransferStatus
from disposal.models import DisposalItem, ReuseOffer, Transfer
from engagements.downloads import XLSX
from tests.downloads import download_names

from .conftest import png_upload

pytestmark = pytest.mark.django_db
S = ItemStatus


def url(name, engagement, *args):
    return reverse(f"disposal:{name}", args=[engagement.pk, *args])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def story(engagement, make_item, make_transfer, make_manifest, city_user, ward):
    transfer_item = make_item(status=S.DECIDED, outcome=Outcome.TRANSFER)
    transfer = make_transfer(items=[transfer_item])
    scrap = make_item(status=S.DECIDED, outcome=Outcome.SCRAP)
    manifest = make_manifest(items=[scrap])
    offered = make_item(status=S.PROPOSED)
    offer = ReuseOffer.objects.create(engagement=engagement, title="照会", created_by=city_user,
                                      circulated_on=dt.date(2026, 9, 1),
                                      respond_by=dt.date(2026, 9, 18))
    offer.items.set([offered])
    return {"item": transfer_item, "transfer": transfer, "manifest": manifest, "offer": offer}


def page_urls(engagement, story):
    return [
        url("index", engagement), url("reconciliation", engagement),
        url("item_detail", engagement, story["item"].pk),
        url("item_update", engagement, story["item"].pk),
        url("transfer_list", engagement), url("transfer_detail", engagement,
                                              story["transfer"].pk),
        url("waste", engagement), url("manifest_detail", engagement, story["manifest"].pk),
        url("offer_list", engagement), url("offer_detail", engagement, story["offer"].pk),
    ]


def test_every_page_renders_for_members_and_is_404_for_others(client, engagement, story,
                                                              member_by_role, outsider):
    for user in member_by_role.values():
        if user == outsider:
            continue
        client.force_login(user)
        for address in page_urls(engagement, story):
            assert client.get(address).status_code == 200, address
    client.force_login(outsider)
    for address in page_urls(engagement, story):
        assert client.get(address).status_code == 404, address


@pytest.mark.parametrize("name,allowed", [
    ("item_propose", "contractor"), ("item_decide", "city_user"),
    ("item_revise", "city_user"), ("item_waste", "contractor"), ("item_sale", "contractor")])
def test_item_actions_refuse_the_wrong_role(name, allowed, client, engagement, story,
                                            city_user, contractor, administrator):
    users = {"city_user": city_user, "contractor": contractor}
    for key, user in [*users.items(), ("administrator", administrator)]:
        if key == allowed:
            continue
        client.force_login(user)
        response = client.post(url(name, engagement, story["item"].pk), {"outcome": "scrap"})
        assert response.status_code == 403
    assert not story["item"].status_changes.exists()


def test_contractor_proposes_and_sees_the_message(client, engagement, make_item, contractor):
    item = make_item()
    client.force_login(contractor)
    response = client.post(url("item_propose", engagement, item.pk),
                           {"outcome": "scrap", "version": item.version}, follow=True)
    assert "処理を提案しました。" in messages_of(response)
    item.refresh_from_db()
    assert item.status == S.PROPOSED


def test_city_decides_through_the_page(client, engagement, make_item, city_user):
    item = make_item(status=S.PROPOSED)
    client.force_login(city_user)
    response = client.post(url("item_decide", engagement, item.pk), {
        "outcome": "transfer", "decided_on": "2026-09-30", "document": "京地自第9号",
        "version": item.version}, follow=True)
    assert "決定を記録しました。" in messages_of(response)
    item.refresh_from_db()
    assert (item.status, item.outcome, item.decision_document) == (
        S.DECIDED, Outcome.TRANSFER, "京地自第9号")


@pytest.mark.parametrize("weight", ["-3", "abc"])
def test_bad_weight_is_shown_beside_the_field_and_nothing_saved(weight, client, engagement,
                                                               make_item, contractor):
    item = make_item(status=S.DECIDED, outcome=Outcome.SCRAP)
    client.force_login(contractor)
    response = client.post(url("item_waste", engagement, item.pk), {
        "waste_class": "metal", "weight_kg": weight, "version": item.version})
    assert response.status_code == 200
    errors = response.context["waste_form"].errors["weight_kg"]
    assert errors and all(any("\u3040" <= ch <= "\u9fff" for ch in e) for e in errors)
    item.refresh_from_db()
    assert item.weight_kg is None


def test_a_file_that_is_not_pdf_or_image_is_refused(client, engagement, story, contractor):
    client.force_login(contractor)
    fake = SimpleUploadedFile("receipt.pdf", b"<html><script>alert(1)</script></html>",
                              content_type="application/pdf")
    response = client.post(url("transfer_receipt_upload", engagement, story["transfer"].pk),
                           {"file": fake})
    assert response.status_code == 200
    assert response.context["file_form"].errors["file"]
    story["transfer"].refresh_from_db()
    assert not story["transfer"].signed_receipt


def test_destination_that_is_not_a_city_office_is_refused(client, engagement, make_item,
                                                         company, contractor):
    item = make_item(status=S.DECIDED, outcome=Outcome.TRANSFER)
    client.force_login(contractor)
    response = client.post(url("transfer_list", engagement), {
        "items": [item.pk], "destination": company.pk, "contact_name": "x",
        "planned_on": "2026-10-08"})
    assert response.status_code == 200
    assert response.context["form"].errors["destination"] == [
        "市の所属（区役所・支所または課）を選んでください。"]
    assert not Transfer.objects.exists()


def test_stale_edit_shows_the_current_values_and_keeps_them(client, engagement, item,
                                                           contractor):
    client.force_login(contractor)
    old_version = item.version
    data = {"number": item.number, "name": "新しい名前", "quantity": 1, "material": "steel",
            "reason": "破損", "version": old_version}
    client.post(url("item_update", engagement, item.pk), data)
    response = client.post(url("item_update", engagement, item.pk),
                           {**data, "name": "別の名前"})
    assert response.status_code == 200
    assert "新しい名前" in str(response.context["form"].non_field_errors())
    item.refresh_from_db()
    assert item.name == "新しい名前"


def test_contractor_records_carrying_out_and_receipt(client, engagement, make_item,
                                                     make_transfer, contractor):
    item = make_item(status=S.DECIDED, outcome=Outcome.TRANSFER)
    transfer = make_transfer(items=[item])
    client.force_login(contractor)
    client.post(url("transfer_carry_out", engagement, transfer.pk), {
        "carried_out_on": "2026-10-08", "photo": png_upload(), "version": transfer.version})
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CARRIED_OUT and transfer.carry_out_photo
    response = client.post(url("transfer_receive", engagement, transfer.pk), {
        "received_by_name": "山田", "received_on": "2026-10-09",
        "version": transfer.version}, follow=True)
    assert "受領を記録しました。物品は移設済みです。" in messages_of(response)
    item.refresh_from_db()
    assert item.status == S.TRANSFERRED


def _many(engagement, make_item, n):
    for k in range(n):
        make_item(status=[S.NEW, S.PROPOSED, S.DECIDED, S.KEPT][k % 4],
                  outcome=[ "", "", Outcome.SCRAP, Outcome.KEEP][k % 4])


@pytest.mark.parametrize("name", ["index", "reconciliation", "waste", "transfer_list",
                                  "offer_list"])
def test_list_pages_take_a_constant_number_of_queries(name, client, engagement, make_item,
                                                      city_user,
                                                      django_assert_max_num_queries):
    _many(engagement, make_item, 80)
    client.force_login(city_user)
    with django_assert_max_num_queries(20):
        assert client.get(url(name, engagement)).status_code == 200


def test_offer_page_queries_do_not_grow_with_requests(client, engagement, make_item, city_user,
                                                      ward, ward2,
                                                      django_assert_max_num_queries):
    from disposal import services

    items = [make_item(status=S.PROPOSED) for _ in range(30)]
    offer = services.offer_create(engagement=engagement, actor=city_user, title="照会",
                                  circulated_on=dt.date(2026, 9, 1),
                                  respond_by=dt.date(2026, 9, 18), items=items)
    for i in items:
        for office in (ward, ward2):
            services.request_record(offer=offer, actor=city_user, office=office, item=i)
    client.force_login(city_user)
    with django_assert_max_num_queries(25):
        response = client.get(url("offer_detail", engagement, offer.pk))
    assert response.content.decode().count("複数の所属が希望") == 30


def test_offer_and_receipt_pdfs(client, engagement, story, city_user):
    client.force_login(city_user)
    response = client.get(url("offer_pdf", engagement, story["offer"].pk))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "再利用を希望する所属" in text and "M03" in text
    response = client.get(url("transfer_receipt_pdf", engagement, story["transfer"].pk))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "物品を受領した" in text and "西京区役所" in text and "引渡者" in text


def test_workbooks_never_write_formulas(client, engagement, make_item, city_user):
    make_item(name="=HYPERLINK(\"http://x\")")
    client.force_login(city_user)
    response = client.get(url("export_xlsx", engagement))
    sheet = load_workbook(io.BytesIO(response.content))["物品"]
    assert sheet["B2"].value.startswith("=HYPERLINK") and sheet["B2"].data_type == "s"
    assert {ws for ws in load_workbook(io.BytesIO(response.content)).sheetnames} == {
        "物品", "移設", "マニフェスト"}


def test_report_chapter_states_facts_and_open_items(engagement, story):
    from django.template.loader import render_to_string
    from django.utils import translation

    from disposal.selectors import report_chapter
    from reports.chapters import numbered_chapters

    number = next(n for n, ch in numbered_chapters() if ch.key == "disposal")
    with translation.override("ja"):
        html = render_to_string("disposal/report/chapter.html",
                                {"c": report_chapter(engagement)})
    # captions only: the report numbers them (表{number}-1 …) with its CSS counters, once
    for caption in ("処理別の物品数", "廃棄した物品とマニフェスト"):
        assert f"<caption>{caption}</caption>" in html
    assert f"表{number}-" not in html
    assert "M-0001" in html and "未返送" in html and "未受領" in html
    assert "処理が完了していない" in html


def test_electronic_data_holds_the_disposal_workbook(engagement, story):
    from django.utils.module_loading import import_string

    from reports.electronic_data import EXPORTS

    files = dict(import_string(EXPORTS["disposal"].files)(engagement))
    assert "廃棄・移設.xlsx" in files
    assert EXPORTS["disposal"].folder == "廃棄・移設"


def test_meeting_decisions_may_name_items_and_transfers():
    from meetings.links import LINKABLE_MODELS

    assert {"disposal.DisposalItem", "disposal.Transfer"} <= set(LINKABLE_MODELS)


def test_manual_item_needs_a_reason(client, engagement, contractor):
    client.force_login(contractor)
    response = client.post(url("item_create", engagement), {
        "number": "X1", "name": "古い椅子", "quantity": 10, "material": "steel_plastic"})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not DisposalItem.objects.exists()
    client.post(url("item_create", engagement), {
        "number": "X1", "name": "古い椅子", "quantity": 10, "material": "steel_plastic",
        "reason": "調査対象外の旧椅子"})
    item = DisposalItem.objects.get()
    assert item.source == "manual" and item.waste_class == "metal_plastic"


def test_licence_longer_than_five_years_is_refused_beside_the_field(client, engagement,
                                                                   contractor):
    from disposal.models import WasteOperator

    client.force_login(contractor)
    response = client.post(url("operator_create", engagement), {
        "name": "収集業者", "role": "collector", "licence_number": "1",
        "licence_issuer": "京都市長", "licence_issued_on": "2023-04-01",
        "licence_expires_on": "2029-04-01"})
    assert response.status_code == 200
    assert "最長5年" in response.context["operator_form"].errors["licence_expires_on"][0]
    assert not WasteOperator.objects.exists()


def test_manifest_with_an_expired_licence_is_refused_beside_the_field(
        client, engagement, make_item, collector, disposer, contractor):
    from disposal.models import Manifest

    item = make_item(status=S.DECIDED, outcome=Outcome.SCRAP)
    client.force_login(contractor)
    response = client.post(url("manifest_create", engagement), {
        "items": [item.pk], "number": "A-1", "issued_on": "2026-04-01", "form": "paper",
        "collector": collector.pk, "disposer": disposer.pk, "collected_on": "2028-04-01"})
    assert response.status_code == 200
    assert "期限が切れており" in response.context["manifest_form"].errors["collector"][0]
    assert not Manifest.objects.exists()


def test_every_disposal_download_has_a_japanese_name_and_todays_name_as_fallback(
        client, engagement, story, city_user):
    # given a transfer to 西京区役所 planned on 2026-10-08 and an offer 照会 of 2026-09-01
    client.force_login(city_user)
    transfer, offer = story["transfer"], story["offer"]
    # when each file is downloaded, then its names are:
    cases = [
        ("transfer_receipt_pdf", [transfer.pk], True,
         f"receipt-{transfer.pk}.pdf", "受領書_西京区役所_20261008.pdf"),
        ("offer_pdf", [offer.pk], True, f"offer-{offer.pk}.pdf", "リユース照会_照会_20260901.pdf"),
        ("offer_xlsx", [offer.pk], False,
         f"offer-{offer.pk}.xlsx", "リユース照会_照会_20260901.xlsx"),
    ]
    for name, args, inline, fallback, japanese in cases:
        response = client.get(url(name, engagement, *args))
        assert download_names(response, inline=inline) == (fallback, japanese)
    response = client.get(url("export_xlsx", engagement))
    fallback, japanese = download_names(response)
    assert fallback == f"disposal-{engagement.pk}.xlsx"
    assert japanese.startswith("廃棄・移管_テスト案件_担当_") and japanese.endswith(".xlsx")
    assert response["Content-Type"] == XLSX
