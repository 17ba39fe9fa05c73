"""工程: the engagement's schedule as drawn from its records, and a simple chart of it.

Bars for what took days (the contract, the occupancy studies, the questionnaire waves, the
proposal from its first draft to its decision), marks for single days (meetings, approvals,
report versions). Nothing is typed in for the chart: it is what the records say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

FONT = "'IPAexMincho', 'Noto Serif CJK JP', serif"


@dataclass
class Row:
    label: str
    start: dt.date
    end: dt.date | None = None  # None: a single day (a mark)
    group: str = ""


# Stage apps add their dated records (e.g. installation days) from ``AppConfig.ready()``:
# ``register_schedule("procurement.selectors.schedule_rows")``, a dotted path of
# ``f(engagement) -> Iterable[Row]``.
SCHEDULE_SOURCES: list[str] = []


def register_schedule(dotted: str) -> None:
    if dotted not in SCHEDULE_SOURCES:
        SCHEDULE_SOURCES.append(dotted)


def _day(value) -> dt.date:
    return timezone.localtime(value).date() if isinstance(value, dt.datetime) else value


def schedule_rows(engagement) -> list[Row]:
    from meetings.models import ApprovalRequest, Meeting
    from proposals.models import Proposal, StatusChange
    from survey.models import OccupancyStudy
    from survey.models.questionnaire import QuestionnaireWave

    from .models import ReportVersion

    rows = [Row(_("Contract period"), engagement.contract_start, engagement.contract_end,
                _("Contract"))]
    for study in OccupancyStudy.objects.filter(engagement=engagement).annotate(
            first=Min("rounds__date"), last=Max("rounds__date")).order_by("first", "pk"):
        if study.first:
            rows.append(Row(study.name, study.first, study.last, _("Survey")))
    for wave in QuestionnaireWave.objects.filter(engagement=engagement):
        if wave.planned_start:
            rows.append(Row(_("Questionnaire: %(wave)s") % {"wave": wave.get_kind_display()},
                            wave.planned_start, wave.planned_end or wave.planned_start,
                            _("Survey")))
    for proposal in Proposal.objects.filter(engagement=engagement).order_by("created_at"):
        last = StatusChange.objects.filter(alternative__proposal=proposal).aggregate(
            last=Max("at"))["last"]
        start = _day(proposal.created_at)
        end = max(start, _day(last)) if last else start
        rows.append(Row(proposal.title, start, end, _("Proposals")))
    for meeting in Meeting.objects.filter(engagement=engagement).order_by("starts_at"):
        rows.append(Row(meeting.title, _day(meeting.starts_at), None, _("Meetings")))
    for request in ApprovalRequest.objects.filter(engagement=engagement).order_by(
            "requested_on"):
        rows.append(Row(request.title, request.requested_on,
                        request.document_date if request.document_date else None,
                        _("Approvals")))
    from django.utils.module_loading import import_string

    for dotted in SCHEDULE_SOURCES:
        rows.extend(import_string(dotted)(engagement))
    for version in ReportVersion.objects.filter(engagement=engagement).order_by("number"):
        rows.append(Row(_("Report version %(n)s submitted") % {"n": version.number},
                        version.issued_on, None, _("Report")))
    return rows


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def schedule_svg(engagement, rows: list[Row]) -> str:
    """A Gantt-like chart: one line per row, months across the contract period."""
    start = min([engagement.contract_start, *[r.start for r in rows]])
    end = max([engagement.contract_end, *[(r.end or r.start) for r in rows]])
    months = _months(start, end)
    first, last = months[0], (months[-1].replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    span = (last - first).days or 1
    label_w, width, line_h, top = 230, 620, 20, 34
    plot_w = width - label_w - 10
    height = top + line_h * len(rows) + 10

    def x(day: dt.date) -> float:
        return label_w + plot_w * (day - first).days / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'font-family="{FONT}" font-size="11" class="chart">',
        f"<title>{escape(_('Schedule'))}</title>",
    ]
    for month in months:
        left = x(month)
        nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        parts.append(f'<line x1="{left:.1f}" y1="{top - 14}" x2="{left:.1f}" y2="{height - 8}" '
                     f'stroke="#ccc" stroke-width="0.5"/>')
        label = f"{month.month}月"
        parts.append(f'<text x="{(left + x(nxt)) / 2:.1f}" y="{top - 4}" '
                     f'text-anchor="middle">{label}</text>')
    for index, row in enumerate(rows):
        y = top + index * line_h
        text = row.label if len(row.label) <= 19 else row.label[:18] + "…"
        parts.append(f'<text x="4" y="{y + 13}">{escape(text)}</text>')
        if row.end is None:
            cx, cy = x(row.start), y + 10
            parts.append(f'<path d="M{cx:.1f} {cy - 5} L{cx + 5:.1f} {cy} L{cx:.1f} {cy + 5} '
                         f'L{cx - 5:.1f} {cy} Z" fill="#1f3a68"/>')
        else:
            left, right = x(row.start), max(x(row.end + dt.timedelta(days=1)), x(row.start) + 2)
            parts.append(f'<rect x="{left:.1f}" y="{y + 4}" width="{right - left:.1f}" '
                         f'height="12" fill="#5b9bd5"/>')
    parts.append("</svg>")
    return "".join(parts)
