"""Tablet-sized browser tests: fill a desk form; drag a desk on the plan and reload."""

import pytest

from survey.models import Desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_city_staff_fill_a_desk_form_on_a_tablet(browser_page, sign_in, city_user, engagement,
                                                 floor):
    page = sign_in("city")
    page.goto(f"/engagements/{engagement.pk}/survey/desks/new/?floor={floor.pk}")
    page.get_by_label("机番号").fill("21")
    page.get_by_label("寸法", exact=True).select_option("1400x700")
    page.get_by_label("状態").select_option("fair")
    page.get_by_label("モニター台数").fill("2")
    page.get_by_label("机上・机周りの文書量（fm）").fill("1.2")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    # a new desk goes to a free spot of the plan, shown selected there
    assert "「21」を保存し、平面図の空いている場所" in page.content()
    assert "/plan/?item=desk-" in page.url
    page.screenshot(path="/tmp/engA_desk_form.png", full_page=True)
    desk = Desk.objects.get(number="21")
    assert (desk.width_mm, desk.depth_mm, desk.monitor_count) == (1400, 700, 2)


def test_dragging_a_desk_on_the_plan_and_saving_survives_a_reload(
    browser_page, sign_in, city_user, engagement, make_desk
):
    desk = make_desk("01", x_mm=2000, y_mm=2000)
    page = sign_in("city")
    page.goto(f"/engagements/{engagement.pk}/survey/floors/{desk.floor_id}/plan/")
    item = page.locator(f'.plan-item[data-kind="desk"][data-pk="{desk.pk}"]')
    box = item.bounding_box()
    start_x, start_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(start_x, start_y)
    page.mouse.down()
    page.mouse.move(start_x + 60, start_y + 40, steps=8)
    page.mouse.up()
    # nothing is saved until 保存
    desk.refresh_from_db()
    assert (desk.x_mm, desk.y_mm) == (2000, 2000)
    page.get_by_role("button", name="平面図を保存").click()
    page.wait_for_function("document.getElementById('plan-editor').dataset.lastSaved")
    desk.refresh_from_db()
    assert desk.x_mm > 2000 and desk.y_mm > 2000
    assert desk.x_mm % 10 == 0 and desk.y_mm % 10 == 0
    moved = (desk.x_mm, desk.y_mm)
    # when the page is reloaded, the desk is drawn where it was dropped
    page.reload()
    item = page.locator(f'.plan-item[data-kind="desk"][data-pk="{desk.pk}"]')
    assert (int(item.get_attribute("data-x")), int(item.get_attribute("data-y"))) == moved
    # and the arrow keys nudge it by 10 mm
    item.focus()
    page.keyboard.press("ArrowRight")
    assert item.get_attribute("data-x") == str(moved[0] + 10)
