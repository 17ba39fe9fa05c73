"""The plans on a tablet (820 × 1180): the survey plan keeps items on the floor, undoes and
saves on request, warns of overlaps; a new desk lands on a free spot, shown; the occupancy
round keeps the selected desk in view and the desks in plan order."""

import datetime as dt

import pytest

from survey.models import Desk, Floor, Observation, Room
from survey.services.occupancy import occupancy_rounds_generate, occupancy_study_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 820, "height": 1180}


@pytest.fixture
def tablet(browser_page):
    browser_page.set_viewport_size(TABLET)
    return browser_page


def box_of(page, locator):
    """The item's data-x/y/w/d/r as numbers."""
    return {k: int(locator.get_attribute(f"data-{k}")) for k in "xywdr"}


def test_the_survey_plan_keeps_a_room_on_the_floor_undoes_and_saves_on_request(
    tablet, sign_in, city_user, engagement, floor
):
    # given 会議室 (4.3 × 3.8 m) 200 mm from the right wall of an 18 × 11 m floor
    room = Room.objects.create(engagement=engagement, floor=floor, name="会議室",
                               x_mm=floor.width_mm - 4500, y_mm=6000, width_mm=4300,
                               depth_mm=3800)
    page = sign_in("city")
    page.goto(f"/engagements/{engagement.pk}/survey/floors/{floor.pk}/plan/")
    item = page.locator(f'.plan-item[data-kind="room"][data-pk="{room.pk}"]')
    # when it is pushed right five times by 100 mm and turned a quarter
    item.focus()
    for _ in range(5):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("r")
    # then it stays wholly on the floor: turned, it is 3.8 wide and 4.3 deep
    b = box_of(page, item)
    assert b["r"] == 90
    centre_x = b["x"] + b["w"] / 2
    assert centre_x + b["d"] / 2 <= floor.width_mm
    # and nothing has been saved yet
    room.refresh_from_db()
    assert (room.x_mm, room.rotation_deg) == (floor.width_mm - 4500, 0)
    assert "まだ保存していない変更があります" in page.locator("#plan-status").inner_text()
    # Ctrl+Z undoes the turn, then the moves
    page.keyboard.press("Control+z")
    assert box_of(page, item)["r"] == 0
    for _ in range(5):
        page.keyboard.press("Control+z")
    assert box_of(page, item)["x"] == floor.width_mm - 4500
    # a move and 保存 saves it
    page.keyboard.press("Shift+ArrowLeft")
    page.get_by_role("button", name="平面図を保存").click()
    page.wait_for_function("document.getElementById('plan-editor').dataset.lastSaved")
    room.refresh_from_db()
    assert room.x_mm == floor.width_mm - 4600
    page.screenshot(path="/tmp/plans_survey_plan.png", full_page=True)


def test_the_survey_plan_lists_an_overlap_as_soon_as_it_happens(
    tablet, sign_in, city_user, engagement, make_desk
):
    first = make_desk("01", x_mm=1000, y_mm=1000)
    make_desk("02", x_mm=2300, y_mm=1000)
    page = sign_in("city")
    page.goto(f"/engagements/{engagement.pk}/survey/floors/{first.floor_id}/plan/")
    warnings = page.locator("#plan-warnings")
    assert "重なりはありません" in warnings.inner_text()
    page.locator(f'.plan-item[data-kind="desk"][data-pk="{first.pk}"]').focus()
    page.keyboard.press("Shift+ArrowRight")  # 1,100..2,300: touching, not overlapping
    assert "重なりはありません" in warnings.inner_text()
    page.keyboard.press("Shift+ArrowRight")  # 1,200..2,400: 100 mm over 02
    assert "01" in warnings.inner_text() and "02" in warnings.inner_text()
    assert "重なっています" in warnings.inner_text()


def test_a_new_desk_lands_on_a_free_spot_and_is_shown_selected_on_the_plan(
    tablet, sign_in, city_user, engagement, floor, make_desk
):
    # given a desk at the place a new one would take first
    make_desk("01", x_mm=200, y_mm=200)
    page = sign_in("city")
    page.goto(f"/engagements/{engagement.pk}/survey/desks/new/?floor={floor.pk}")
    page.get_by_label("机番号").fill("22")
    page.get_by_label("寸法", exact=True).select_option("1200x700")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    desk = Desk.objects.get(number="22")
    # then it is neither on the wall corner nor on desk 01
    assert (desk.x_mm, desk.y_mm) != (0, 0)
    assert desk.x_mm >= 200 + 1200 + 200 or desk.y_mm >= 200 + 700 + 200
    # and the plan opens with it selected, focused and in view, its place written
    item = page.locator(f'.plan-item[data-kind="desk"][data-pk="{desk.pk}"]')
    assert "selected" in item.get_attribute("class")
    assert page.evaluate("document.activeElement.dataset.pk") == str(desk.pk)
    assert item.is_visible()
    assert f"X {desk.x_mm:,} mm" in page.content()
    assert page.locator("#plan-edit-link").get_attribute("href").endswith(f"/desks/{desk.pk}/")
    page.screenshot(path="/tmp/plans_new_desk.png", full_page=True)


@pytest.fixture
def long_round(engagement, city_user):
    """A round of 12 desks whose first rows sit low on a deep floor (below the fold)."""
    floor = Floor.objects.create(engagement=engagement, name="3階", width_mm=9000,
                                 depth_mm=30000)
    desks = [
        Desk.objects.create(engagement=engagement, floor=floor, number=f"{i + 1:02d}",
                            section=engagement.section, width_mm=1000, depth_mm=700,
                            x_mm=1000 + (i % 3) * 1000, y_mm=12000 + (i // 3) * 3000)
        for i in range(12)
    ]
    study = occupancy_study_create(engagement=engagement, name="在席率調査", actor=city_user)
    [round_obj] = occupancy_rounds_generate(
        study=study, dates=[dt.date(2026, 7, 13)], times=[dt.time(9, 30)], actor=city_user
    )
    return study, round_obj, desks


VISIBLE = """() => {
  const g = document.querySelector('.plan-desk.is-selected');
  const box = g.getBoundingClientRect();
  const bar = document.querySelector('.round-toolbar').getBoundingClientRect();
  return {desk: g.dataset.desk, top: box.top, bottom: box.bottom, barTop: bar.top};
}"""
ORDER = "[...document.querySelectorAll('.plan-desk')].map(g => g.dataset.desk)"


def test_the_round_keeps_the_selected_desk_in_view_and_the_desks_in_plan_order(
    tablet, sign_in, engagement, long_round
):
    study, round_obj, desks = long_round
    page = sign_in("city")
    page.goto(f"/engagements/{engagement.pk}/survey/occupancy/{study.pk}/rounds/"
              f"{round_obj.pk}/")
    # the first desk is selected and visible above the sticky toolbar
    seen = page.evaluate(VISIBLE)
    assert seen["desk"] == str(desks[0].pk)
    assert 0 <= seen["top"] and seen["bottom"] <= seen["barTop"]
    order = page.evaluate(ORDER)
    assert order == [str(d.pk) for d in desks]
    # arrow keys walk the desks in plan order, each kept in view
    page.keyboard.press("ArrowRight")
    assert page.evaluate(VISIBLE)["desk"] == str(desks[1].pk)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(VISIBLE)["desk"] == str(desks[-1].pk)
    page.keyboard.press("ArrowRight")
    # recording nine desks with the keys moves down the plan, the desk always in view
    for _ in range(9):
        page.keyboard.press("1")
        seen = page.evaluate(VISIBLE)
        assert 0 <= seen["top"] and seen["bottom"] <= seen["barTop"], seen
    assert seen["desk"] == str(desks[9].pk)
    # the desks keep their plan order in the SVG, so Tab goes to the next desk
    assert page.evaluate(ORDER) == order
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.desk") == str(desks[10].pk)
    page.screenshot(path="/tmp/plans_round.png")
    # and the round saves what was recorded
    page.get_by_role("button", name="この巡回を保存").click()
    page.wait_for_load_state()
    assert Observation.objects.filter(round=round_obj, state="present").count() == 9
