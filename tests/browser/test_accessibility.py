"""Accessibility (JIS X 8341-3:2016 level AA = WCAG 2.0 AA): axe-core in Chromium on the main
pages at tablet size (820×1180), on the demo data. Any serious or critical violation fails.

axe-core comes from the npm package pinned in package.json (``make setup`` runs ``npm ci``).
"""

import pytest
from django.urls import reverse

from tests.conftest import DEMO_GROUP

from .a11y import DEMO_PASSWORDS, new_page, serious_violations, sign_in

# The demo is seeded once a session and put back before each test (``demo_data``); the tests
# that use it share one xdist worker.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.xdist_group(DEMO_GROUP)]


@pytest.fixture
def demo(demo_data):
    from engagements.models import Engagement

    return Engagement.objects.order_by("pk").first()


def _check(page, pages: list[tuple[str, str]]) -> dict[str, list[str]]:
    found = {}
    for name, url in pages:
        response = page.goto(url)
        assert response is not None
        page.wait_for_load_state("networkidle")
        violations = serious_violations(page)
        if violations:
            found[f"{name} {url}"] = violations
    return found


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}:\n  " + "\n  ".join(lines) for page, lines in found.items())


def _city_pages(engagement) -> list[tuple[str, str]]:
    from proposals.models import Proposal
    from survey.models import Desk, Floor
    from survey.models.occupancy import OccupancyRound

    pk = engagement.pk
    desk = Desk.objects.filter(engagement=engagement).order_by("pk").first()
    floor = Floor.objects.filter(engagement=engagement).order_by("pk").first()
    round_ = OccupancyRound.objects.filter(study__engagement=engagement).order_by("pk").first()
    proposal = Proposal.objects.filter(engagement=engagement).order_by("pk").first()
    return [
        ("dashboard", reverse("engagements:dashboard", args=[pk])),
        ("engagement list", reverse("engagements:engagement_list")),
        ("survey", reverse("survey:index", args=[pk])),
        ("proposals", reverse("proposals:index", args=[pk])),
        ("procurement", reverse("procurement:index", args=[pk])),
        ("disposal", reverse("disposal:index", args=[pk])),
        ("meetings", reverse("meetings:index", args=[pk])),
        ("report", reverse("reports:index", args=[pk])),
        ("desk form", reverse("survey:desk_update", args=[pk, desk.pk])),
        ("storage form", reverse("survey:storage_create", args=[pk])),
        ("floor plan", reverse("survey:floor_plan", args=[pk, floor.pk])),
        ("occupancy round", reverse("survey:occupancy_round",
                                    args=[pk, round_.study_id, round_.pk])),
        ("occupancy study", reverse("survey:occupancy_study", args=[pk, round_.study_id])),
        ("occupancy index", reverse("survey:occupancy_index", args=[pk])),
        ("questionnaire index", reverse("survey:questionnaire_index", args=[pk])),
        ("comparison", reverse("proposals:comparison", args=[pk, proposal.pk])),
        ("approvals", reverse("meetings:approval_list", args=[pk])),
    ]


def test_main_pages_for_the_city_have_no_serious_violation(chromium_browser, live_server, demo):
    page = new_page(chromium_browser, live_server)
    sign_in(page, "city", DEMO_PASSWORDS["city"])
    found = _check(page, _city_pages(demo))
    assert not found, _report(found)


def test_contractor_pages_and_error_pages_have_no_serious_violation(chromium_browser,
                                                                   live_server, demo):
    from proposals.models import Alternative

    pk = demo.pk
    alternative = Alternative.objects.filter(proposal__engagement=demo).order_by("pk").first()
    page = new_page(chromium_browser, live_server)
    sign_in(page, "contractor", DEMO_PASSWORDS["contractor"])
    found = _check(page, [
        ("proposal editor", reverse("proposals:alternative_editor", args=[pk, alternative.pk])),
        ("meeting form", reverse("meetings:meeting_create", args=[pk])),
        ("403 page", reverse("survey:questionnaire_wave_create", args=[pk])),
        ("404 page", "/engagements/999999/"),
    ])
    assert not found, _report(found)


def test_members_page_has_no_serious_violation(chromium_browser, live_server, demo):
    page = new_page(chromium_browser, live_server)
    sign_in(page, "admin", DEMO_PASSWORDS["admin"])
    found = _check(page, [("members", reverse("engagements:members", args=[demo.pk]))])
    assert not found, _report(found)


def test_sign_in_page_has_no_serious_violation(chromium_browser, live_server, demo):
    page = new_page(chromium_browser, live_server)
    found = _check(page, [("sign-in", reverse("login"))])
    assert not found, _report(found)


def test_questionnaire_kiosk_has_no_serious_violation(chromium_browser, live_server, demo):
    from django.contrib.auth import get_user_model

    from survey.models.questionnaire import QuestionnaireWave, WaveStatus
    from survey.services.questionnaire import questionnaire_wave_transition

    wave = QuestionnaireWave.objects.filter(engagement=demo, status=WaveStatus.PREPARING).first()
    questionnaire_wave_transition(wave=wave, target=WaveStatus.OPEN,
                                  actor=get_user_model().objects.get(username="city"))
    page = new_page(chromium_browser, live_server)
    sign_in(page, "city", DEMO_PASSWORDS["city"])
    page.goto(reverse("survey:questionnaire_kiosk_start", args=[demo.pk, wave.pk]))
    found = _check(page, [("kiosk start", page.url)])
    page.get_by_role("button", name="キオスクを開始する").click()
    page.wait_for_load_state()
    found |= _check(page, [("kiosk answer", page.url)])
    assert not found, _report(found)
