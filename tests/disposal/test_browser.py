"""In the browser at tablet width (820 px): the contractor records a transfer's carrying out
(with a photo) and its receipt; the city decides an item's outcome."""

import io

import pytest

from disposal.choices import ItemStatus, Outcome, TransferStatus
from disposal.models import DisposalItem, Transfer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png(path):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 120, 160)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_contractor_records_carrying_out_and_receipt(sign_in, browser_page, engagement,
                                                     contractor, make_item, make_transfer,
                                                     tmp_path):
    browser_page.set_viewport_size({"width": 820, "height": 1180})
    item = make_item(status=ItemStatus.DECIDED, outcome=Outcome.TRANSFER, name="片袖机")
    transfer = make_transfer(items=[item])
    page = sign_in("contractor")
    page.goto(f"/engagements/{engagement.pk}/disposal/transfers/")
    page.get_by_role("link", name="西京区役所").click()

    # when the contractor records the carrying out with a photo
    page.get_by_label("搬出日").fill("2026-10-08")
    page.get_by_label("搬出時の写真").set_input_files(_png(tmp_path / "out.png"))
    page.get_by_role("button", name="搬出を記録").click()
    assert page.get_by_text("搬出を記録しました。").is_visible()
    assert page.locator("#transfer-status").inner_text() == "搬出済"

    # and then the receipt
    page.get_by_label("受領者").fill("西京区役所 総務課 山田")
    page.get_by_label("受領日").fill("2026-10-09")
    page.screenshot(path="/tmp/disposal-transfer-820.png", full_page=True)
    page.get_by_role("button", name="受領を記録").click()

    # then the transfer is received and its item transferred
    assert page.get_by_text("受領を記録しました。物品は移設済みです。").is_visible()
    assert page.locator("#transfer-status").inner_text() == "受領済"
    assert "西京区役所 総務課 山田" in page.locator("#transfer-receipt").inner_text()
    transfer = Transfer.objects.get(pk=transfer.pk)
    assert transfer.status == TransferStatus.RECEIVED and transfer.carry_out_photo
    assert DisposalItem.objects.get(pk=item.pk).status == ItemStatus.TRANSFERRED


def test_city_decides_an_outcome(sign_in, browser_page, engagement, city_user, make_item):
    browser_page.set_viewport_size({"width": 820, "height": 1180})
    item = make_item(status=ItemStatus.PROPOSED, proposed_outcome=Outcome.SCRAP, number="M01")
    page = sign_in("city")
    page.goto(f"/engagements/{engagement.pk}/disposal/")
    page.get_by_role("link", name="M01").click()

    # when city staff decide to scrap it, with the date and the document number
    page.get_by_label("廃棄").check()
    page.get_by_label("決定日").fill("2026-09-30")
    page.get_by_label("決定文書番号").fill("京地自第1234号")
    page.screenshot(path="/tmp/disposal-decide-820.png", full_page=True)
    page.get_by_role("button", name="決定を記録").click()

    # then the item is decided and the page says by whom
    assert page.get_by_text("決定を記録しました。").is_visible()
    assert page.locator("#item-status").inner_text() == "決定済"
    assert "京地自第1234号" in page.locator("#item-outcome").inner_text()
    item.refresh_from_db()
    assert (item.status, item.outcome, item.decided_by) == (
        ItemStatus.DECIDED, Outcome.SCRAP, city_user)
