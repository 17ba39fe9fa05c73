import shutil
import subprocess

import pytest
from django.utils import translation

from meetings.choices import ApprovalStatus, MinutesStatus
from meetings.models import ActionItem, Decision
from meetings.pdf import minutes_pdf
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
