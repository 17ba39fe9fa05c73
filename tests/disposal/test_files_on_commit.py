"""Disposal's files (item photos, sale receipts, carry-out photos, signed receipts,
certificates, operators' contracts) are written only once the change commits, within the
size limit of their kind; a refused post leaves nothing in MEDIA_ROOT."""

import datetime as dt

import pytest
from django.urls import reverse

from disposal import services
from disposal.choices import ItemStatus, OperatorRole, Outcome, TransferStatus
from disposal.models import DisposalItem, Manifest, Transfer, WasteOperator
from tests.files_on_commit import (
    empty_media,  # noqa: F401
    limit_uploads,
    pdf,
    png,
    stored_files,
    written_only_on_commit,
)

pytestmark = pytest.mark.django_db
S = ItemStatus

COVERED_FILE_FIELDS = {
    "disposal.DisposalItem.photo", "disposal.DisposalItem.sale_receipt",
    "disposal.Transfer.carry_out_photo", "disposal.Transfer.signed_receipt",
    "disposal.Manifest.certificate", "disposal.WasteOperator.contract_file",
}


def url(name, engagement, *args):
    return reverse(f"disposal:{name}", args=[engagement.pk, *args])


@pytest.fixture
def on_commit_only(empty_media, monkeypatch, django_capture_on_commit_callbacks):  # noqa: F811
    def check(run):
        return written_only_on_commit(run, media_root=empty_media, monkeypatch=monkeypatch,
                                      capture=django_capture_on_commit_callbacks)
    return check


def operator_values(**extra):
    return {"name": "収集業者", "role": OperatorRole.COLLECTOR, "licence_number": "1",
            "licence_issuer": "京都市長", "licence_issued_on": dt.date(2023, 4, 1),
            "licence_expires_on": dt.date(2028, 3, 31), **extra}


def test_an_items_photo_and_sale_receipt_are_written_only_on_commit(
        on_commit_only, make_item, contractor):
    item = make_item()
    written = on_commit_only(lambda: services.item_update(
        item=DisposalItem.objects.get(pk=item.pk), actor=contractor,
        values={"photo": png()}))
    assert written[0] == DisposalItem.objects.get(pk=item.pk).photo.name
    assert "/display/" in written[1]  # the display copy, made on commit
    sold = make_item(status=S.DECIDED, outcome=Outcome.SALE)
    on_commit_only(lambda: services.item_record_sale(
        item=DisposalItem.objects.get(pk=sold.pk), actor=contractor, buyer="古物商",
        price_yen=500, sold_on=dt.date(2026, 10, 1), receipt=pdf()))
    assert DisposalItem.objects.get(pk=sold.pk).sale_receipt


def test_a_manual_items_photo_is_written_only_on_commit(on_commit_only, engagement,
                                                        contractor):
    on_commit_only(lambda: services.item_create_manual(
        engagement=engagement, actor=contractor, number="M99", name="椅子", reason="破損",
        photo=png()))
    assert DisposalItem.objects.get(number="M99").photo


def test_a_transfers_photo_and_signed_receipt_are_written_only_on_commit(
        on_commit_only, make_item, make_transfer, contractor):
    transfer = make_transfer(items=[make_item(status=S.DECIDED, outcome=Outcome.TRANSFER)])
    on_commit_only(lambda: services.transfer_carry_out(
        transfer=Transfer.objects.get(pk=transfer.pk), actor=contractor,
        carried_out_on=dt.date(2026, 10, 8), photo=png()))
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CARRIED_OUT and transfer.carry_out_photo
    on_commit_only(lambda: services.transfer_upload_receipt(
        transfer=Transfer.objects.get(pk=transfer.pk), actor=contractor, file=pdf()))
    assert Transfer.objects.get(pk=transfer.pk).signed_receipt


def test_a_certificate_and_a_contract_are_written_only_on_commit(
        on_commit_only, engagement, make_item, make_manifest, contractor):
    manifest = make_manifest(items=[make_item(status=S.DECIDED, outcome=Outcome.SCRAP)])
    on_commit_only(lambda: services.manifest_upload_certificate(
        manifest=Manifest.objects.get(pk=manifest.pk), actor=contractor, file=pdf()))
    assert Manifest.objects.get(pk=manifest.pk).certificate
    on_commit_only(lambda: services.operator_create(
        engagement=engagement, actor=contractor,
        **operator_values(name=f"業者{WasteOperator.objects.count()}", contract_file=pdf())))
    assert WasteOperator.objects.filter(name="業者2").get().contract_file


def test_a_refused_operator_leaves_no_contract_file(client, empty_media,  # noqa: F811
                                                    engagement, contractor):
    # given an operator whose licence runs longer than the law allows, with its contract
    client.force_login(contractor)
    response = client.post(url("operator_create", engagement), {
        "name": "収集業者", "role": "collector", "licence_number": "1",
        "licence_issuer": "京都市長", "licence_issued_on": "2023-04-01",
        "licence_expires_on": "2029-04-01", "contract_file": pdf("契約書.pdf")})
    # then it is refused beside the field and the contract is not stored
    assert response.status_code == 200
    assert "最長5年" in response.context["operator_form"].errors["licence_expires_on"][0]
    assert not WasteOperator.objects.exists()
    assert stored_files(empty_media) == []


def test_a_signed_receipt_over_the_limit_is_refused_beside_the_field(
        settings, client, empty_media, engagement, make_item, make_transfer,  # noqa: F811
        contractor):
    limit_uploads(settings, pdf=300)
    transfer = make_transfer(items=[make_item(status=S.DECIDED, outcome=Outcome.TRANSFER)])
    client.force_login(contractor)
    response = client.post(url("transfer_receipt_upload", engagement, transfer.pk),
                           {"file": pdf("受領書.pdf", padding=400)})
    assert response.status_code == 200
    errors = response.context["file_form"].errors["file"]
    assert "ファイルが大きすぎます" in errors[0] and "0 MB" in errors[0]
    assert not Transfer.objects.get(pk=transfer.pk).signed_receipt
    assert stored_files(empty_media) == []


def test_a_certificate_over_the_limit_is_refused_beside_the_field(
        settings, client, empty_media, engagement, make_item, make_manifest,  # noqa: F811
        contractor):
    limit_uploads(settings, pdf=300, image=300)
    manifest = make_manifest(items=[make_item(status=S.DECIDED, outcome=Outcome.SCRAP)])
    client.force_login(contractor)
    for upload in (pdf("処分証明.pdf", padding=400), png("処分証明.png", padding=400)):
        response = client.post(url("manifest_certificate", engagement, manifest.pk),
                               {"file": upload})
        assert response.status_code == 200
        assert "ファイルが大きすぎます" in response.context["file_form"].errors["file"][0]
    assert not Manifest.objects.get(pk=manifest.pk).certificate
    assert stored_files(empty_media) == []


def admin_operator_post(engagement, contract):
    return {"engagement": engagement.pk, "name": "管理画面の業者", "role": "collector",
            "licence_number": "9", "licence_issuer": "京都市長",
            "licence_issued_on": "2023-04-01", "licence_expires_on": "2028-03-31",
            "contract_file": contract, "version": 0}


@pytest.mark.django_db(transaction=True)  # the admin's transaction really commits
def test_the_admin_keeps_the_size_limit_and_writes_on_commit(
        settings, admin_client, empty_media, engagement, monkeypatch):  # noqa: F811
    limit_uploads(settings, pdf=300)
    add = reverse("admin:disposal_wasteoperator_add")
    response = admin_client.post(add, admin_operator_post(engagement, pdf(padding=400)))
    assert response.status_code == 200 and "ファイルが大きすぎます" in response.content.decode()
    assert not WasteOperator.objects.exists() and stored_files(empty_media) == []
    saved_in_transaction = []
    original = WasteOperator.save

    def save(self, *args, **kwargs):
        original(self, *args, **kwargs)
        saved_in_transaction.append(stored_files(empty_media))

    monkeypatch.setattr(WasteOperator, "save", save)
    response = admin_client.post(add, admin_operator_post(engagement, pdf("契約.pdf")))
    assert response.status_code == 302
    assert saved_in_transaction == [[]]  # not written by the model's save()
    assert stored_files(empty_media) == [WasteOperator.objects.get().contract_file.name]


def test_the_item_page_shows_the_display_copy_of_its_photo(
        client, empty_media, engagement, make_item, contractor,  # noqa: F811
        django_capture_on_commit_callbacks):
    from engagements.images import display_name

    item = make_item()
    with django_capture_on_commit_callbacks(execute=True):
        services.item_update(item=item, actor=contractor, values={"photo": png()})
    item.refresh_from_db()
    copy = display_name(item.photo.name)
    assert copy in stored_files(empty_media)
    client.force_login(contractor)
    html = client.get(url("item_detail", engagement, item.pk)).content.decode()
    assert f'src="/media/{copy}"' in html
