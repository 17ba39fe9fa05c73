"""On the floor with a tablet (820×1180): the kiosk questionnaire, and forms and tables that
fit (issue 12 items 2 and 9)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import DEMO_GROUP

from .a11y import DEMO_PASSWORDS, DESKTOP, new_page, sign_in

# The demo is seeded once a session and put back before each test (``demo_data``); the tests
# that use it share one xdist worker.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.xdist_group(DEMO_GROUP)]

# The text of a select's chosen option (plus room for the arrow) must fit in the select.
SELECT_FITS = """(select) => {
    const option = select.options[select.selectedIndex];
    if (!option) return true;
    const style = getComputedStyle(select);
    const canvas = document.createElement('canvas').getContext('2d');
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = canvas.measureText(option.text).width;
    const room = select.clientWidth - parseFloat(style.paddingLeft)
                 - parseFloat(style.paddingRight);
    return text <= room + 1;
}"""
# A header cell on one line: its text's height is at most one line.
ONE_LINE = """(el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
    const tops = new Set(rects.map(r => Math.round(r.top)));
    return tops.size <= 1;
}"""


@pytest.fixture
def demo(demo_data):
    from engagements.models import Engagement

    return Engagement.objects.order_by("pk").first()


def _open_wave(engagement):
    from django.contrib.auth import get_user_model

    from survey.models.questionnaire import QuestionnaireWave, WaveStatus
    from survey.services.questionnaire import questionnaire_wave_transition

    wave = QuestionnaireWave.objects.get(engagement=engagement, status=WaveStatus.PREPARING)
    return questionnaire_wave_transition(wave=wave, target=WaveStatus.OPEN,
                                         actor=get_user_model().objects.get(username="city"))


def test_the_kiosk_shows_only_the_questions_and_leads_nowhere_else(chromium_browser,
                                                                   live_server, demo):
    wave = _open_wave(demo)
    page = new_page(chromium_browser, live_server)
    sign_in(page, "city", DEMO_PASSWORDS["city"])
    page.goto(reverse("survey:questionnaire_wave", args=[demo.pk, wave.pk]))
    page.get_by_role("link", name="回答を始める（キオスク）").click()
    page.get_by_label("キオスク終了用のPIN（任意）").fill("2468")
    page.get_by_role("button", name="キオスクを開始する").click()
    kiosk_paths = {
        reverse(f"survey:questionnaire_{name}", args=[demo.pk, wave.pk])
        for name in ("answer", "thanks", "kiosk_exit")
    }
    answer_url = reverse("survey:questionnaire_answer", args=[demo.pk, wave.pk])
    assert page.url.endswith(answer_url)

    def targets():
        return page.evaluate("""() => [
            ...Array.from(document.links, a => new URL(a.href).pathname),
            ...Array.from(document.forms, f => new URL(f.action).pathname)]""")

    # no navigation, no clerk's name, no sign-out; every link and form stays in the kiosk
    assert page.locator("nav").count() == 0
    assert page.get_by_text("山田").count() == 0
    assert page.get_by_role("button", name="ログアウト").count() == 0
    assert set(targets()) <= kiosk_paths
    # a respondent answers every question
    for group in page.locator("fieldset.scale-question").all():
        group.locator("label.btn").nth(3).click()
    page.get_by_role("button", name="回答を送信する").click()
    assert page.get_by_role("heading", name="回答ありがとうございました。").is_visible()
    assert set(targets()) <= kiosk_paths
    page.screenshot(path="/tmp/tablet_shots/kiosk-thanks-820.png", full_page=True)
    # the next person starts on a blank form
    page.get_by_role("link", name="次の方の回答を始める").click()
    assert page.url.endswith(answer_url)
    assert page.locator("input[type=radio]:checked").count() == 0
    page.screenshot(path="/tmp/tablet_shots/kiosk-answer-820.png", full_page=True)
    # typing another address leads back to the questionnaire
    page.goto(reverse("engagements:dashboard", args=[demo.pk]))
    assert page.url.endswith(answer_url)
    # the clerk leaves with the PIN
    page.get_by_role("link", name="係員用：キオスクを終了する").click()
    page.get_by_label("係員のパスワードまたはPIN").fill("2468")
    page.get_by_role("button", name="キオスクを終了する").click()
    assert page.get_by_text("キオスクを終了しました。").is_visible()
    page.goto(reverse("engagements:dashboard", args=[demo.pk]))
    assert page.get_by_role("heading", level=1).inner_text() == demo.title


@pytest.mark.parametrize("viewport", ["tablet", "desktop"])
def test_forms_and_tables_fit_the_tablet(chromium_browser, live_server, demo, viewport):
    from survey.models import Desk, StorageUnit

    page = new_page(chromium_browser, live_server,
                    DESKTOP if viewport == "desktop" else {"width": 820, "height": 1180})
    sign_in(page, "city", DEMO_PASSWORDS["city"])
    unit = StorageUnit.objects.filter(engagement=demo).order_by("pk").first()
    desk = Desk.objects.filter(engagement=demo).order_by("pk").first()
    problems = []
    for url in (reverse("survey:storage_update", args=[demo.pk, unit.pk]),
                reverse("survey:desk_update", args=[demo.pk, desk.pk]),
                reverse("survey:desk_list", args=[demo.pk]),
                reverse("survey:storage_list", args=[demo.pk])):
        page.goto(url)
        for select in page.locator("main select").all():
            if not select.evaluate(SELECT_FITS):
                problems.append(f"{url}: select {select.get_attribute('name')} truncated")
        for th in page.locator("main thead th").all():
            if th.inner_text().strip() and not th.evaluate(ONE_LINE):
                problems.append(f"{url}: header {th.inner_text()!r} wraps")
        for label in page.locator("main label").all():
            if label.inner_text().strip() == "プリンター" and not label.evaluate(ONE_LINE):
                problems.append(f"{url}: プリンター wraps")
    assert problems == []


def test_the_open_wave_button_does_not_look_disabled(chromium_browser, live_server, demo):
    from survey.models.questionnaire import QuestionnaireWave, WaveStatus

    wave = QuestionnaireWave.objects.get(engagement=demo, status=WaveStatus.PREPARING)
    page = new_page(chromium_browser, live_server)
    sign_in(page, "city", DEMO_PASSWORDS["city"])
    page.goto(reverse("survey:questionnaire_wave", args=[demo.pk, wave.pk]))
    button = page.get_by_role("button", name="回答の受付を始める")
    style = button.evaluate("""(b) => {const s = getComputedStyle(b);
        return {opacity: s.opacity, bg: s.backgroundColor, color: s.color}}""")
    assert style["opacity"] == "1"
    assert style["bg"] == "rgb(13, 110, 253)"  # filled primary, not a grey outline
    assert button.is_enabled()


@pytest.mark.parametrize("viewport", ["tablet", "desktop"])
def test_the_minutes_error_summary_leads_to_the_field(chromium_browser, live_server, demo,
                                                      viewport):
    from django.contrib.auth import get_user_model

    from meetings.choices import MinutesStatus
    from meetings.models import Minutes
    from meetings.services import minutes_revise

    confirmed = Minutes.objects.filter(meeting__engagement=demo,
                                       status=MinutesStatus.CONFIRMED).first()
    draft = minutes_revise(minutes=confirmed, reason="誤字の訂正",
                           actor=get_user_model().objects.get(username="contractor"))
    page = new_page(chromium_browser, live_server,
                    DESKTOP if viewport == "desktop" else {"width": 820, "height": 1180})
    sign_in(page, "contractor", DEMO_PASSWORDS["contractor"])
    page.goto(reverse("meetings:minutes_edit", args=[demo.pk, draft.pk]))
    # an extra action-item row with an owner but no task
    row = page.locator(".item-row.optional-row").first
    assert row.locator(".asteriskField").first.is_hidden()
    row.locator("select[name$='-owner']").select_option(index=1)
    page.get_by_role("button", name="保存", exact=True).click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    expect(summary).to_be_focused()  # (waits for the deferred script)
    link = summary.get_by_role("link").first
    target = link.get_attribute("href")[1:]
    link.click()
    expect(page.locator(f"[id='{target}']")).to_be_focused()
    page.screenshot(path=f"/tmp/tablet_shots/minutes-errors-{viewport}.png")


def test_the_report_page_follows_a_running_build_until_it_can_be_downloaded(
    chromium_browser, live_server, demo
):
    from django.core.files.base import ContentFile

    from reports.models import BuildKind, BuildState, ReportBuild

    # given a draft being built by the worker (40%)
    build = ReportBuild.objects.create(engagement=demo, kind=BuildKind.DRAFT_PDF,
                                       state=BuildState.RUNNING, progress=40, step="PDF",
                                       requested_by=demo.memberships.first().user)
    page = new_page(chromium_browser, live_server)
    sign_in(page, "city", DEMO_PASSWORDS["city"])
    page.goto(reverse("reports:index", args=[demo.pk]))
    assert page.locator("#builds").get_by_role("progressbar").first.is_visible()
    # when the worker finishes, the page shows it without a reload
    build.file.save("draft.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    ReportBuild.objects.filter(pk=build.pk).update(state=BuildState.DONE, progress=100,
                                                  file=build.file.name)
    page.locator("#builds").get_by_role("link", name="ダウンロード").first.wait_for(
        timeout=10_000)
    page.screenshot(path="/tmp/tablet_shots/build-progress-820.png")
