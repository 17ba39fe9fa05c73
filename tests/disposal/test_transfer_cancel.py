"""A planned transfer can be cancelled with a reason: its items are released to go on another
transfer; once carried out it cannot; the report and the schedule leave it out."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from disposal import selectors, services
from disposal.choices import ItemStatus as S
from disposal.choices import Outcome, TransferStatus
from disposal.exports import disposal_workbook
from disposal.models import DisposalItem

from .conftest import png_upload

pytestmark = pytest.mark.django_db


def plan(item, ward, contractor):
    return services.transfer_create(engagement=item.engagement, actor=contractor, items=[item],
                                    destination=ward, contact_name="総務課",
                                    planned_on=dt.date(2026, 10, 8))


def test_a_cancelled_transfer_releases_its_items_for_another(make_item, ward, ward2,
                                                             contractor):
    item = make_item(status=S.DECIDED, outcome=Outcome.TRANSFER)
    transfer = plan(item, ward, contractor)
    services.transfer_cancel(transfer=transfer, actor=contractor,
                             reason="区役所の受入れが中止になった", version=transfer.version)
    transfer.refresh_from_db()
    item.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED and item.transfer_id is None
    assert item.status == S.DECIDED and item.version == 2  # planned, then released
    change = transfer.status_changes.get(new_status=TransferStatus.CANCELLED)
    assert change.comment == "区役所の受入れが中止になった" and change.actor == contractor
    assert item.history.first().transfer_id is None  # the history says it left
    assert item.history.all()[1].transfer_id == transfer.pk
    again = services.transfer_create(engagement=item.engagement, actor=contractor,
                                     items=[item], destination=ward2, contact_name="庶務",
                                     planned_on=dt.date(2026, 11, 2))
    assert DisposalItem.objects.get(pk=item.pk).transfer_id == again.pk
    assert [t.pk for t in selectors.report_chapter(item.engagement)["transfers"]] == [again.pk]
    assert len(selectors.schedule_rows(item.engagement)) == 1
    workbook = load_workbook(io.BytesIO(disposal_workbook(item.engagement)))
    transfers = next(ws for ws in workbook.worksheets if ws.cell(1, 2).value == "受入所属")
    assert [r[2] for r in transfers.iter_rows(min_row=2, values_only=True)] == ["庶務"]


def test_a_transfer_is_not_cancelled_without_a_reason_or_once_carried_out(make_item, ward,
                                                                          contractor):
    item = make_item(status=S.DECIDED, outcome=Outcome.TRANSFER)
    transfer = plan(item, ward, contractor)
    with pytest.raises(ValidationError) as error:
        services.transfer_cancel(transfer=transfer, actor=contractor, reason="  ")
    assert "comment" in error.value.message_dict
    services.transfer_carry_out(transfer=transfer, actor=contractor,
                                carried_out_on=dt.date(2026, 10, 8), photo=png_upload())
    with pytest.raises(ValidationError):
        services.transfer_cancel(transfer=transfer, actor=contractor, reason="中止")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CARRIED_OUT
    assert DisposalItem.objects.get(pk=item.pk).transfer_id == transfer.pk


def test_the_page_cancels_and_shows_the_missing_reason_beside_the_field(
        client, make_item, ward, contractor, city_user, engagement):
    item = make_item(status=S.DECIDED, outcome=Outcome.TRANSFER)
    transfer = plan(item, ward, contractor)
    url = reverse("disposal:transfer_cancel", args=[engagement.pk, transfer.pk])
    client.force_login(contractor)
    page = client.get(reverse("disposal:transfer_detail", args=[engagement.pk, transfer.pk]))
    assert "移設を取り消す" in page.content.decode()
    response = client.post(url, {"comment": "", "version": transfer.version})
    assert response.status_code == 200
    assert "取り消す理由を書いてください" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PLANNED
    response = client.post(url, {"comment": "日程が流れた", "version": transfer.version},
                           follow=True)
    html = response.content.decode()
    assert "取り消しました" in html and "取消" in html
    assert "scan-heading" not in html and "receipt.pdf" not in html  # nothing left to sign
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    client.force_login(city_user)
    with pytest.raises(PermissionDenied):
        services.transfer_cancel(transfer=transfer, actor=city_user, reason="x")
