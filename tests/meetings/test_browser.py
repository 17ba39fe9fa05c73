"""In the browser: the contractor writes minutes and asks for confirmation; the city confirms."""

import pytest

from meetings.choices import MinutesStatus
from meetings.models import Minutes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_contractor_writes_minutes_and_city_staff_confirm_them(
    sign_in, browser_page, engagement, meeting, contractor, city_user
):
    # given the contractor on the meeting's page
    page = sign_in("contractor")
    page.goto(f"/engagements/{engagement.pk}/meetings/")
    page.get_by_role("link", name=meeting.title).click()
    page.get_by_role("button", name="議事録を作成する").click()

    # when they write the discussion, a decision and an action item, and ask for confirmation
    page.get_by_label("議事内容").fill("受託者から業務実施計画を説明し、了承を得た。")
    page.locator("[name=decisions-0-text]").fill("在席率調査は7月21日から2週間行う。")
    page.locator("[name=items-0-description]").fill("配席図の最新版を送付する")
    page.locator("[name=items-0-owner]").select_option(label="city")
    page.locator("[name=items-0-due_date]").fill("2026-07-17")
    page.get_by_label("次回").fill("7月24日 Web会議")
    page.screenshot(path="/tmp/meetings-minutes-form.png", full_page=True)
    page.get_by_role("button", name="保存して本市に確認を依頼する").click()

    # then the meeting page says the minutes await the city's confirmation
    assert page.get_by_text("議事録の確認を本市に依頼しました。").is_visible()
    assert page.locator(".card-header .badge").first.inner_text() == "確認依頼"
    assert page.get_by_role("link", name="議事録を編集").count() == 0

    # when city staff sign in and confirm the minutes
    browser_page.context.clear_cookies()
    page = sign_in("city")
    page.goto(f"/engagements/{engagement.pk}/meetings/{meeting.pk}/")
    assert page.get_by_text("在席率調査は7月21日から2週間行う。").is_visible()
    page.get_by_role("button", name="議事録を確定する").click()

    # then the minutes are confirmed, read-only, and named the city as confirming them
    assert page.get_by_text("議事録を確定しました。").is_visible()
    assert page.locator(".card-header .badge").first.inner_text() == "確定"
    assert page.get_by_role("button", name="議事録を確定する").count() == 0
    page.screenshot(path="/tmp/meetings-confirmed.png", full_page=True)
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == MinutesStatus.CONFIRMED
    assert minutes.confirmed_by == city_user
    assert [c.new_status for c in minutes.status_changes.all()] == [
        MinutesStatus.DRAFT, MinutesStatus.REQUESTED, MinutesStatus.CONFIRMED,
    ]


def test_add_a_row_gives_more_decisions_action_items_and_guests_than_the_empty_rows(
    sign_in, browser_page, engagement, meeting, minutes, contractor, tmp_path
):
    # given the contractor on the edit page of draft minutes: two empty rows each
    page = sign_in("contractor")
    page.goto(f"/engagements/{engagement.pk}/meetings/minutes/{minutes.pk}/edit/")
    assert page.locator(".decision-row").count() == 2
    assert page.locator(".item-row").count() == 2

    # when they add a third decision row and a third action-item row and fill them
    page.locator("[data-formset-add=decisions]").click()
    page.locator("[data-formset-add=items]").click()
    assert page.locator("[data-formset-add=decisions]").inner_text() == "行を追加"
    assert page.locator(".decision-row").count() == 3
    assert page.locator(".item-row").count() == 3
    assert page.locator("[name=decisions-TOTAL_FORMS]").input_value() == "3"
    page.locator("[name=decisions-0-text]").fill("調査は2週間行う。")
    page.locator("[name=decisions-2-text]").fill("3行目の決定事項")
    page.locator("[name=items-2-description]").fill("3行目の宿題事項")
    page.locator("[name=items-2-owner_name]").fill("西京区役所 鈴木")
    page.screenshot(path=str(tmp_path / "minutes-add-row.png"), full_page=True)
    page.get_by_role("button", name="保存", exact=True).click()

    # then both rows are saved, in order, and the page offers two empty rows again
    assert page.get_by_text("議事録を保存しました。").is_visible()
    assert list(minutes.decisions.values_list("text", flat=True)) == [
        "調査は2週間行う。", "3行目の決定事項",
    ]
    item = minutes.action_items.get()
    assert (item.description, item.owner_name) == ("3行目の宿題事項", "西京区役所 鈴木")
    assert page.locator(".decision-row").count() == 4

    # and on the meeting form a third guest can be added the same way
    page.goto(f"/engagements/{engagement.pk}/meetings/{meeting.pk}/edit/")
    page.locator("[data-formset-add=guests]").click()
    page.locator("[name=guests-2-name]").fill("鈴木 一郎")
    page.locator("[name=guests-2-organisation]").fill("西京区役所")
    page.get_by_role("button", name="保存", exact=True).click()
    assert page.get_by_text("打合せを保存しました。").is_visible()
    guest = meeting.attendees.get(user__isnull=True)
    assert (guest.name, guest.organisation) == ("鈴木 一郎", "西京区役所")
