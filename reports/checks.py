"""The pre-submission check (提出前チェック): what would make the report wrong or incomplete.

Each item says what is wrong and links to the page where it is fixed. A version submitted
with open items stores them (and the contractor's acknowledgement); the report prints them
as 未了事項.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from .chapters import CHAPTERS

PENDING_TEMPLATE = "reports/chapters/pending.html"


@dataclass
class CheckItem:
    key: str
    label: str
    ok: bool
    detail: str = ""
    url: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _url(name: str, engagement, **kwargs) -> str:
    return reverse(name, kwargs={"engagement_pk": engagement.pk, **kwargs})


# A date such as 7月13日 and an hour such as 8時30分 in the minutes' text.
DATE_RE = re.compile(r"(\d{1,2})月(\d{1,2})日")
HOURS_RE = re.compile(r"(\d{1,2})時(?:(\d{1,2})分)?(?:から|～|〜|-)(\d{1,2})時(?:(\d{1,2})分)?")


def _minutes_vs_study(engagement, study_info) -> list[str]:
    """Sentences of confirmed minutes about the occupancy study whose dates or hours differ
    from the study recorded (its first day, its first and last round)."""
    from meetings.choices import MinutesStatus
    from meetings.models import Decision, Minutes

    if study_info is None or study_info["first_date"] is None:
        return []
    study = study_info["study"]
    times = sorted(study.rounds.values_list("time", flat=True).distinct())
    first_day = study_info["first_date"]
    texts = []
    for minutes in Minutes.objects.filter(meeting__engagement=engagement,
                                          status=MinutesStatus.CONFIRMED):
        texts += [(minutes, s) for s in re.split(r"(?<=。)", minutes.discussion or "") if s]
    for decision in Decision.objects.filter(minutes__meeting__engagement=engagement,
                                            minutes__status=MinutesStatus.CONFIRMED
                                            ).select_related("minutes__meeting"):
        texts.append((decision.minutes, decision.text))
    wrong = []
    for minutes, text in texts:
        if "在席" not in text:
            continue
        reasons = []
        date = DATE_RE.search(text)
        if date and (int(date[1]), int(date[2])) != (first_day.month, first_day.day):
            reasons.append(_("first day %(stated)s, recorded %(recorded)s") % {
                "stated": date[0], "recorded": f"{first_day.month}月{first_day.day}日"})
        hours = HOURS_RE.search(text)
        if hours and times:
            stated = ((int(hours[1]), int(hours[2] or 0)), (int(hours[3]), int(hours[4] or 0)))
            recorded = ((times[0].hour, times[0].minute), (times[-1].hour, times[-1].minute))
            if stated != recorded:
                reasons.append(_("hours %(stated)s, recorded %(first)s–%(last)s") % {
                    "stated": hours[0], "first": f"{times[0]:%H:%M}",
                    "last": f"{times[-1]:%H:%M}"})
        if reasons:
            wrong.append((minutes, text.strip(), "; ".join(reasons)))
    return wrong


def _wave_items(engagement) -> list[CheckItem]:
    """A wave that collects answers, or the baseline wave not closed, is an open item; a wave
    still being prepared (the follow-up, later) is not."""
    from survey.models.questionnaire import QuestionnaireWave, WaveStatus

    items = []
    for wave in QuestionnaireWave.objects.filter(engagement=engagement):
        is_baseline = wave.pk == engagement.baseline_wave_id or (
            engagement.baseline_wave_id is None and wave.kind == "before")
        if wave.status == WaveStatus.OPEN or (is_baseline and wave.status != WaveStatus.CLOSED):
            items.append(CheckItem(
                f"wave_{wave.pk}",
                _("Questionnaire “%(wave)s” is closed") % {"wave": wave.get_kind_display()},
                ok=False, detail=wave.get_status_display(),
                url=_url("survey:questionnaire_wave", engagement, wave_pk=wave.pk)))

    return items


def pre_submission_check(engagement) -> list[CheckItem]:
    """Every item of the check, passed or not, in the order the report reads."""
    from meetings.choices import ApprovalStatus, MinutesStatus
    from meetings.models import ApprovalRequest, Meeting, Minutes
    from survey.designation import baseline_study, study_status
    from survey.models import Desk

    from .models import ReportText

    items: list[CheckItem] = []
    scope = set(engagement.scope_section_ids())

    # Scope: stated, and holding desks.
    scope_desks = Desk.objects.filter(engagement=engagement, section__in=scope).count()
    items.append(CheckItem(
        "scope", _("The scope (sections of the commission) is stated and holds desks"),
        ok=scope_desks > 0,
        detail=_("%(n)s desks in scope") % {"n": scope_desks},
        url=_url("reports:settings", engagement)))

    # Studies: finished, designated, observing the scope.
    statuses = study_status(engagement)
    baseline = next((s for s in statuses if s["baseline"]), None)
    used = baseline_study(engagement)  # what the report uses (a finished one first)
    used_info = next((s for s in statuses if used is not None and s["study"].pk == used.pk),
                     None)
    items.append(CheckItem(
        "baseline_study", _("A finished occupancy study is designated as the baseline"),
        ok=baseline is not None and baseline["finished"],
        detail=(_("%(name)s: %(recorded)s of %(rounds)s rounds recorded") % {
            "name": baseline["study"].name, "recorded": baseline["recorded"],
            "rounds": baseline["rounds"]}) if baseline else _("None designated"),
        url=_url("reports:settings", engagement)))
    for info in statuses:
        if not info["finished"]:
            items.append(CheckItem(
                f"study_{info['study'].pk}",
                _("Occupancy study “%(name)s” is finished") % {"name": info["study"].name},
                ok=False,
                detail=_("%(recorded)s of %(rounds)s rounds recorded; it is not used in the "
                         "report until finished") % {"recorded": info["recorded"],
                                                     "rounds": info["rounds"]},
                url=_url("survey:occupancy_study", engagement, study_pk=info["study"].pk)))
    if used_info is not None:
        observed = {s.pk for s in used_info["study"].sections.all()}
        items.append(CheckItem(
            "study_scope", _("The baseline study observed the sections of the scope"),
            ok=not observed or observed == scope,
            detail="" if not observed or observed == scope else _(
                "The study's sections differ from the scope: its figures would not match."),
            url=_url("survey:occupancy_study_update", engagement,
                     study_pk=used_info["study"].pk)))
    items += _wave_items(engagement)

    # Minutes and approvals.
    confirmed = set(Minutes.objects.filter(
        meeting__engagement=engagement, status=MinutesStatus.CONFIRMED,
    ).values_list("meeting_id", flat=True))
    for meeting in Meeting.objects.filter(engagement=engagement).order_by("starts_at"):
        if meeting.pk not in confirmed:
            items.append(CheckItem(
                f"minutes_{meeting.pk}",
                _("Minutes of “%(title)s” are confirmed") % {"title": meeting.title},
                ok=False, detail=_("Not confirmed by the city"),
                url=_url("meetings:meeting_detail", engagement, pk=meeting.pk)))
    for request in ApprovalRequest.objects.filter(engagement=engagement,
                                                  status=ApprovalStatus.REQUESTED):
        items.append(CheckItem(
            f"approval_{request.pk}",
            _("Approval “%(title)s” is decided") % {"title": request.title},
            ok=False, detail=_("Still awaiting the city's decision"),
            url=_url("meetings:approval_detail", engagement, pk=request.pk)))
    mismatches = _minutes_vs_study(engagement, used_info)
    for minutes, text, reasons in mismatches:
        items.append(CheckItem(
            f"minutes_numbers_{minutes.pk}",
            _("Minutes of “%(title)s” state the study as recorded") % {
                "title": minutes.meeting.title},
            ok=False, detail=f"「{text}」: {reasons}",
            url=_url("meetings:meeting_detail", engagement, pk=minutes.meeting_id)))
    if used_info is not None and not mismatches:
        items.append(CheckItem("minutes_numbers",
                               _("Dates and hours in the minutes match the recorded study"),
                               ok=True))

    # Chapters with records, and the contractor's closing text.
    for chapter in CHAPTERS:
        if chapter.template == PENDING_TEMPLATE:
            items.append(CheckItem(
                f"chapter_{chapter.key}",
                _("Chapter “%(title)s” has records") % {"title": chapter.title},
                ok=False, detail=_("Nothing recorded for this stage yet")))
    summary = ReportText.objects.filter(engagement=engagement, chapter="summary").first()
    items.append(CheckItem(
        "summary_text", _("The summary (まとめ) is written"),
        ok=bool(summary and summary.findings.strip()),
        url=_url("reports:texts", engagement)))
    return items


def open_items(items: list[CheckItem]) -> list[CheckItem]:
    return [item for item in items if not item.ok]
