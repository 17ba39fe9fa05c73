import datetime as dt
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.utils import translation

from meetings import services
from meetings.choices import ApprovalStatus, MinutesStatus
from meetings.models import ActionItem, ApprovalRequest, Decision, Minutes, Suggestion
from meetings.pdf import minutes_pdf
from meetings.selectors import action_item_list
from reports.builder import report_html

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def poppler_is_installed():
    missing = [tool for tool in ("pdffonts", "pdftotext") if shutil.which(tool) is None]
    assert not missing, f"install poppler-utils (missing {missing})"


def _poppler(tool: str, path) -> str:
    args = [tool, "-layout", str(path), "-"] if tool == "pdftotext" else [tool, str(path)]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def confirmed_minutes(meeting, make_minutes, contractor, city_user):
    meeting.attendees.create(user=city_user, side="city")
    meeting.attendees.create(user=contractor, side="contractor")
    meeting.attendees.create(name="鈴木 一郎", organisation="西京区役所", side="guest")
    minutes = make_minutes(status=MinutesStatus.CONFIRMED)
    minutes.next_meeting = "7月24日 Web会議"
    minutes.save()
    Decision.objects.create(minutes=minutes, order=1, text="在席率調査は2週間行う。")
    ActionItem.objects.create(minutes=minutes, description="配席図を送付", owner=city_user)
    return minutes


@pytest.fixture
def minutes_pdf_file(confirmed_minutes, tmp_path):
    path = tmp_path / "minutes.pdf"
    with translation.override("ja"):
        path.write_bytes(minutes_pdf(confirmed_minutes))
    return path


def test_minutes_pdf_embeds_a_japanese_font(minutes_pdf_file):
    fonts = _poppler("pdffonts", minutes_pdf_file)
    japanese = [line for line in fonts.splitlines()
                if any(name in line for name in ("IPAex", "Noto-Sans-CJK", "Noto-Serif-CJK"))]
    assert japanese, fonts
    # the "emb" column says yes for every Japanese font
    assert all(line.split()[-5] == "yes" for line in japanese), fonts


def test_minutes_pdf_has_the_usual_sections_in_order(minutes_pdf_file, confirmed_minutes):
    text = _poppler("pdftotext", minutes_pdf_file)
    compact = text.replace(" ", "")
    labels = ("議事録", "件名", "日時", "場所", "出席者", "議事", "決定事項", "宿題事項", "次回")
    position = 0
    for label in labels:  # each section after the one before it
        position = compact.index(label, position) + len(label)
    assert "令和8年7月10日（金）10:00～11:30" in compact
    assert "在席率調査は2週間行う。" in compact
    assert "鈴木一郎（西京区役所）" in compact
    assert "7月24日Web会議" in compact
    assert "案：" not in compact  # confirmed minutes are not marked as a draft


def test_draft_minutes_pdf_is_marked_as_a_draft(make_minutes, tmp_path):
    draft = make_minutes()
    path = tmp_path / "draft.pdf"
    with translation.override("ja"):
        path.write_bytes(minutes_pdf(draft))
    assert "案：本市の確認前" in _poppler("pdftotext", path).replace(" ", "")


def test_a_linked_decision_names_what_it_concerns_in_the_pdf_and_the_report(
    engagement, confirmed_minutes, contractor, tmp_path
):
    from django.contrib.contenttypes.models import ContentType

    from proposals.models import Proposal
    from proposals.services import proposal_create

    # given a confirmed decision linked to a proposal of the engagement
    proposal = proposal_create(engagement=engagement, title="レイアウト提案", actor=contractor)
    Decision.objects.create(minutes=confirmed_minutes, order=2, text="案Aで進める。",
                            linked_type=ContentType.objects.get_for_model(Proposal),
                            linked_id=proposal.pk)
    # when the minutes PDF and the report are rendered
    path = tmp_path / "linked.pdf"
    with translation.override("ja"):
        path.write_bytes(minutes_pdf(confirmed_minutes))
        html = report_html(engagement)
    # then both name the proposal under the decision
    compact = _poppler("pdftotext", path).replace(" ", "")
    assert "案Aで進める。" in compact
    assert "関連：提案「レイアウト提案」" in compact
    assert "関連：提案「レイアウト提案」" in html


def test_report_has_the_meetings_chapter_and_the_approvals_appendix(
    engagement, confirmed_minutes, make_approval, make_minutes, make_meeting
):
    # given a meeting with confirmed minutes, one whose minutes are pending, and requests
    pending_meeting = make_meeting("第2回打合せ")
    pending = make_minutes(status=MinutesStatus.REQUESTED, target=pending_meeting)
    Decision.objects.create(minutes=pending, text="未確定の決定")
    make_approval(status=ApprovalStatus.APPROVED, document_number="京地自第123号")
    # when
    with translation.override("ja"):
        html = report_html(engagement)
    # then
    assert 'id="chapter-meetings"' in html
    assert "在席率調査は2週間行う。" in html
    assert "未確定の決定" not in html  # only confirmed minutes go into the report
    assert "議事録は未確定である。" in html  # the report's style (である調)
    assert "付録　承認・協議の記録" in html
    assert "京地自第123号" in html
    assert "第11章" not in html  # the appendix is not numbered as a chapter


def test_demo_seed_tells_the_meetings_story_and_is_idempotent(db):
    call_command("seed_demo", verbosity=0)
    counts = (Minutes.objects.count(), ApprovalRequest.objects.count(),
              Minutes.history.count(), ActionItem.history.count())
    call_command("seed_demo", verbosity=0)
    assert (Minutes.objects.count(), ApprovalRequest.objects.count(),
            Minutes.history.count(), ActionItem.history.count()) == counts
    statuses = sorted(Minutes.objects.values_list("status", flat=True))
    assert statuses == [MinutesStatus.CONFIRMED, MinutesStatus.REQUESTED]
    approved = ApprovalRequest.objects.get(status=ApprovalStatus.APPROVED, kind="subcontract")
    assert approved.document_number == "京地自第123号"
    # the paid web-meeting app the report relies on is decided
    assert ApprovalRequest.objects.get(kind="web_app").status == ApprovalStatus.APPROVED
    assert Suggestion.objects.count() == 1
    # one decision of the demo is linked to the proposal it concerns
    linked = Decision.objects.get(linked_id__isnull=False)
    assert str(linked.linked) == "執務環境の改善提案"
    # seen on a day during the contract, exactly one open action item is overdue
    during = approved.engagement.contract_start + dt.timedelta(days=60)
    overdue = [i for i in action_item_list(approved.engagement, today=during) if i.overdue]
    assert [i.description for i in overdue] == ["職員アンケートの設問案を作成し送付する"]


def test_minutes_request_confirm_cycle_on_the_demo(db):
    call_command("seed_demo", verbosity=0)
    pending = Minutes.objects.get(status=MinutesStatus.REQUESTED)
    city = pending.meeting.engagement.memberships.get(role="city_staff").user
    services.minutes_confirm(minutes=pending, actor=city)
    pending.refresh_from_db()
    assert pending.status == MinutesStatus.CONFIRMED
