"""A city-staff member fills one occupancy round on a tablet (1024×768)."""

import datetime as dt
import re

import pytest

from survey.models import Desk, Floor, Observation
from survey.services.occupancy import occupancy_rounds_generate, occupancy_study_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def round_to_fill(engagement, city_user):
    floor = Floor.objects.create(engagement=engagement, name="3階", width_mm=12000,
                                 depth_mm=8000)
    desks = [
        Desk.objects.create(engagement=engagement, floor=floor, number=f"{i + 1:02d}",
                            section=engagement.section, width_mm=1000, depth_mm=700,
                            x_mm=1000 + (i % 3) * 1000, y_mm=1000 + (i // 3) * 700,
                            rotation_deg=180 if i < 3 else 0)
        for i in range(6)
    ]
    study = occupancy_study_create(engagement=engagement, name="在席率調査", actor=city_user)
    [round_obj] = occupancy_rounds_generate(
        study=study, dates=[dt.date(2026, 7, 13)], times=[dt.time(9, 30)], actor=city_user
    )
    return study, round_obj, desks


def test_city_staff_fill_a_round_by_tapping_desks_and_states(
    sign_in, browser_page, engagement, round_to_fill
):
    # given the round screen
    study, round_obj, desks = round_to_fill
    page = sign_in("city")
    page.goto(f"/engagements/{engagement.pk}/survey/occupancy/{study.pk}/rounds/{round_obj.pk}/")
    toolbar = page.get_by_role("toolbar", name="状態")
    assert page.locator("#selected-desk").inner_text() == "01"
    # when: desks 01–05 in turn (the next desk is selected by itself), then desk 02 corrected
    for state in ["在席", "一時離席", "会議", "在宅", "出張・休暇"]:
        toolbar.get_by_role("button", name=re.compile(f"^{state} ")).click()
    page.locator(f'.plan-desk[data-desk="{desks[1].pk}"]').click()
    assert page.locator("#selected-desk").inner_text() == "02"
    page.keyboard.press("3")  # 不在
    assert page.locator("#round-count").inner_text().startswith("6席中5席")
    page.get_by_role("button", name="未入力の席をすべて不在にする").click()
    assert "6席中6席" in page.locator("#round-count").inner_text()
    label = page.locator(f'.plan-desk[data-desk="{desks[0].pk}"]').get_attribute("aria-label")
    assert label == "01 在席"
    page.screenshot(path="/tmp/occupancy_round_tablet.png")
    page.get_by_role("button", name="この巡回を保存").click()
    page.wait_for_load_state()
    # then the whole round is saved at once
    assert "巡回を保存しました（記録 6席）" in page.locator("main").inner_text()
    states = dict(Observation.objects.filter(round=round_obj).values_list("desk__number",
                                                                          "state"))
    assert states == {"01": "present", "02": "absent", "03": "meeting", "04": "telework",
                      "05": "out", "06": "absent"}
