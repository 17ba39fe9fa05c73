"""At tablet width (820 px): the contractor records delivery and installation from the plan
page and the state survives a reload; the city inspects a unit with a finding."""

import pytest
from django.urls import reverse

from procurement.choices import FindingStatus, PositionStatus
from procurement.models import Finding, Position

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

P = PositionStatus


@pytest.fixture
def tablet(browser_page):
    browser_page.set_viewport_size({"width": 820, "height": 1180})
    return browser_page


def test_contractor_marks_lines_delivered_and_installed_from_the_plan(
        tablet, sign_in, plan, lines, make_order, engagement, tmp_path):
    make_order({lines["desk"]: 2, lines["booth"]: 1})
    sign_in("contractor")
    page = tablet
    page.goto(reverse("procurement:plan", args=[engagement.pk]))
    desk_row = page.locator(f'tr[data-line="{lines["desk"].pk}"]')
    # 1 of the 2 desks delivered
    desk_row.get_by_label("事務用デスク W1200×D700の納品数").fill("1")
    with page.expect_navigation():
        desk_row.get_by_role("button", name="納品").click()
    assert "1点を納品済にしました" in page.content()
    # then installed
    desk_row = page.locator(f'tr[data-line="{lines["desk"].pk}"]')
    with page.expect_navigation():
        desk_row.get_by_role("button", name="設置").click()
    page.reload()
    desk_row = page.locator(f'tr[data-line="{lines["desk"].pk}"]')
    assert desk_row.locator('td[data-state="ordered"]').inner_text() == "1"
    assert desk_row.locator('td[data-state="installed"]').inner_text() == "1"
    installed = Position.objects.get(line=lines["desk"], status=P.INSTALLED)
    assert page.locator(f'svg g[data-position="{installed.label}"]').get_attribute(
        "data-status") == "installed"
    assert page.evaluate("document.documentElement.scrollWidth") <= 820
    page.screenshot(path=tmp_path / "plan_after_install.png", full_page=True)


def test_city_inspects_a_unit_with_a_finding(tablet, sign_in, plan, lines, make_order,
                                             engagement, contractor):
    from procurement import services

    make_order({lines["desk"]: 1})
    services.line_transition(line=lines["desk"], target=P.DELIVERED, quantity=1,
                             actor=contractor)
    position = Position.objects.get(status=P.DELIVERED)
    sign_in("city")
    page = tablet
    page.goto(reverse("procurement:inspection", args=[engagement.pk]))
    row = page.locator(f'tr[data-position="{position.label}"]')
    row.get_by_text("指摘を記録", exact=True).click()
    row.get_by_label("指摘").fill("脚の高さが揃っていない")
    with page.expect_navigation():
        row.get_by_role("button", name="指摘を記録する").click()
    assert f"{position.label}の指摘を記録しました。" in page.content()
    page.reload()
    assert "脚の高さが揃っていない" in page.content()
    finding = Finding.objects.get(position=position)
    assert finding.status == FindingStatus.OPEN
    position.refresh_from_db()
    assert position.status == P.DELIVERED
