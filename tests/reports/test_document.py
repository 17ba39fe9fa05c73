"""The document a city accepts: one scope, the designated baseline, no sentence from the UI,
the pre-submission check, a tagged PDF with metadata."""

import datetime as dt
import re
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from meetings.choices import MinutesStatus
from meetings.models import Decision, Minutes
from proposals import selectors as proposal_selectors
from reports.builder import Edition, report_html
from reports.checks import pre_submission_check
from survey import designation
from survey.models import Desk, Observation, OccupancyRound, OccupancyStudy

pytestmark = pytest.mark.django_db

# Sentences of a user interface, not of a report (です・ます, instructions, settings).
UI_PHRASES = ("できます", "表示します", "設定で", "してください", "クリック", "ボタン",
              "ます。", "です。", "画面", "終日のすべての巡回。")


def _text(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", re.sub(r"<style.*?</style>", "", html,
                                                             flags=re.S)))


def test_per_person_figures_use_the_scope_headcount_everywhere(story):
    engagement = story.engagement
    base = proposal_selectors.baseline(engagement)
    # the scope is the 19 desks of the site; the neighbours' 12 desks are context
    assert base.headcount == 19
    assert Desk.objects.filter(engagement=engagement).count() == 31
    occupancy = designation.study_report_context(designation.baseline_study(engagement))
    chapter = proposal_selectors.report_chapter(engagement)
    per_person = chapter["before"].recommended_seats_per_person
    assert float(per_person) == occupancy["overall"].seats_per_person == round(16 / 19, 2)
    with translation.override("ja"):
        text = _text(report_html(engagement, edition=Edition()))
    assert f"{per_person}" in text and "0.52" not in text
    assert "職員19人" in text and "隣接担当の机12席は参考" in text


def _study_with_rounds(engagement, name, desks, *, rounds, recorded, state="present"):
    study = OccupancyStudy.objects.create(engagement=engagement, name=name)
    day = dt.date(2026, 9, 7)
    for index in range(rounds):
        when = OccupancyRound.objects.create(
            study=study, date=day + dt.timedelta(days=index // 10),
            time=dt.time(8 + index % 10, 30),
            recorded_at=timezone.now() if index < recorded else None)
        if index < recorded:
            Observation.objects.bulk_create(
                [Observation(round=when, desk=d, state=state) for d in desks])
    return study


def test_an_unfinished_follow_up_study_changes_nothing(story):
    engagement = story.engagement
    before = proposal_selectors.baseline(engagement)
    baseline = designation.baseline_study(engagement)
    # when a follow-up study is designated and one of its 50 rounds recorded (nobody there)
    desks = list(Desk.objects.filter(engagement=engagement, section=story.site))
    followup = _study_with_rounds(engagement, "在席率調査（改革後）", desks, rounds=50,
                                  recorded=1, state="absent")
    engagement.followup_study = followup
    engagement.save()
    # then the proposals, the comparison and the report still read the finished baseline
    after = proposal_selectors.baseline(engagement)
    assert after.recommended_seats == before.recommended_seats == 16
    assert designation.baseline_study(engagement) == baseline
    assert designation.followup_study(engagement) is None
    with translation.override("ja"):
        html = report_html(engagement, edition=Edition())
    assert "在席率調査（改革後）" not in _text(html).split("工程")[-1].split("業務の工程")[0] \
        or "改革前後の在席率" not in html
    assert "改革前後の在席率" not in html
    # and even designating the unfinished study as the baseline does not replace it
    engagement.baseline_study = followup
    engagement.followup_study = None
    engagement.save()
    assert designation.baseline_study(engagement) == baseline
    assert proposal_selectors.baseline(engagement).recommended_seats == 16


def test_before_and_after_side_by_side_once_the_follow_up_is_finished(story):
    engagement = story.engagement
    desks = list(Desk.objects.filter(engagement=engagement, section=story.site))
    followup = _study_with_rounds(engagement, "在席率調査（改革後）", desks, rounds=10,
                                  recorded=10, state="away")
    engagement.baseline_study = designation.baseline_study(engagement)
    engagement.followup_study = followup
    engagement.save()
    assert designation.followup_study(engagement) == followup
    assert designation.baseline_study(engagement) != followup
    with translation.override("ja"):
        html = report_html(engagement, edition=Edition())
    assert "改革前後の在席率" in html


def test_the_report_reads_as_a_report_not_as_a_user_interface(story, tmp_path):
    output = tmp_path / "report.pdf"
    call_command("build_report", str(story.engagement.pk), "--output", str(output))
    text = subprocess.run(["pdftotext", str(output), "-"], check=True, capture_output=True,
                          text=True).stdout
    joined = re.sub(r"\s+", "", text)
    found = [phrase for phrase in UI_PHRASES if phrase in joined]
    assert not found, found
    # numbers stay with their units; benchmarks name their source
    assert not re.search(r"\d\s*\n\s*(fm|席|人|%)", text)
    assert "出典" in joined and "経済産業省" in joined
    # the draft is marked 案 on every page
    pages = [p for p in text.split("\f") if p.strip()]
    assert all("案" in page for page in pages)


def test_the_pdf_is_tagged_with_title_author_and_language(story, tmp_path):
    from pypdf import PdfReader

    output = tmp_path / "report.pdf"
    call_command("build_report", str(story.engagement.pk), "--output", str(output))
    info = subprocess.run(["pdfinfo", str(output)], check=True, capture_output=True,
                          text=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.M)
    assert re.search(r"^Title:\s+働き方改革", info, re.M)
    assert re.search(r"^Author:\s+株式会社オフィスリフォーム京都", info, re.M)
    assert PdfReader(output).trailer["/Root"]["/Lang"] == "ja"


def test_pre_submission_check_lists_what_is_wrong_with_links(story):
    engagement = story.engagement
    items = {item.key: item for item in pre_submission_check(engagement)}
    # the demo's web meeting minutes await confirmation
    waiting = Minutes.objects.get(status=MinutesStatus.REQUESTED)
    item = items[f"minutes_{waiting.meeting_id}"]
    assert not item.ok and item.url.endswith(f"/meetings/{waiting.meeting_id}/")
    # minutes that state other dates or hours than the study recorded are named
    assert items["minutes_numbers"].ok
    decision = Decision.objects.get(text__contains="在席率調査は7月13日")
    decision.text = "在席率調査は7月21日から2週間、8時から18時まで毎時行う。"
    decision.save()
    items = {item.key: item for item in pre_submission_check(engagement)}
    wrong = items[f"minutes_numbers_{decision.minutes_id}"]
    assert not wrong.ok
    assert "7月21日" in wrong.detail and "08:30" in wrong.detail
    # an unfinished study is an open item linking to the study
    desks = list(Desk.objects.filter(engagement=engagement, section=story.site))
    study = _study_with_rounds(engagement, "未完了の調査", desks, rounds=5, recorded=1)
    items = {item.key: item for item in pre_submission_check(engagement)}
    assert not items[f"study_{study.pk}"].ok
    assert items[f"study_{study.pk}"].url.endswith(f"/occupancy/{study.pk}/")
    # and the chapters of stages without records
    assert all(not items[k].ok for k in items if k.startswith("chapter_"))


def test_pre_submission_check_flags_a_baseline_observing_other_sections(story):
    engagement = story.engagement
    study = designation.baseline_study(engagement)
    engagement.baseline_study = study
    engagement.save()
    other = Desk.objects.filter(engagement=engagement).exclude(section=story.site).first()
    study.sections.add(other.section)
    items = {item.key: item for item in pre_submission_check(engagement)}
    assert not items["study_scope"].ok


def test_a_follow_up_wave_not_closed_stays_out_of_the_report(story):
    from survey.models.questionnaire import QuestionnaireWave, WaveKind, WaveStatus

    engagement = story.engagement
    after = QuestionnaireWave.objects.get(engagement=engagement, kind=WaveKind.AFTER)
    assert after.status != WaveStatus.CLOSED
    with translation.override("ja"):
        html = report_html(engagement, edition=Edition())
    assert "改革前（15件）" in _text(html)
    assert "改革後（" not in _text(html)


def test_stage_apps_add_their_days_to_the_schedule(engagement, monkeypatch):
    from reports import schedule

    monkeypatch.setattr(schedule, "SCHEDULE_SOURCES", [])
    schedule.register_schedule("tests.reports.schedule_source.rows")
    rows = schedule.schedule_rows(engagement)
    assert [(r.label, r.group) for r in rows][-1] == ("什器の設置", "調達・設置")
    assert "什器の設置" in schedule.schedule_svg(engagement, rows)
