"""The minutes (議事録) as a PDF in the usual Japanese layout, rendered with WeasyPrint.

件名, 日時, 場所, 出席者, 議事, 決定事項, 宿題事項, 次回, then who wrote and who confirmed.
The fonts are those of the report (settings.REPORT_FONT_FAMILIES); WeasyPrint embeds them.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from weasyprint import HTML

from engagements.downloads import name_part, stamp
from engagements.templatetags.japanese import era_date

from .choices import AttendeeSide, MinutesStatus
from .models import Minutes

WEEKDAYS_JA = "月火水木金土日"


def meeting_when(meeting) -> str:
    """令和8年7月10日（金）10:00～11:30, in Tokyo time."""
    start = timezone.localtime(meeting.starts_at)
    text = f"{era_date(start.date())}（{WEEKDAYS_JA[start.weekday()]}）{start:%H:%M}"
    if meeting.ends_at:
        end = timezone.localtime(meeting.ends_at)
        text += f"～{end:%H:%M}" if end.date() == start.date() else f"～{era_date(end)} {end:%H:%M}"
    return text


def attendee_groups(meeting) -> list[tuple[str, list]]:
    """Attendees grouped by side: 京都市, the contractor's company, then guests."""
    groups = []
    labels = {
        AttendeeSide.CITY: str(meeting.engagement.client),
        AttendeeSide.CONTRACTOR: meeting.engagement.contractor,
        AttendeeSide.GUEST: _("Others"),
    }
    attendees = list(meeting.attendees.select_related("user"))
    for side in (AttendeeSide.CITY, AttendeeSide.CONTRACTOR, AttendeeSide.GUEST):
        people = [a for a in attendees if a.side == side]
        if people:
            groups.append((labels[side], people))
    return groups


def minutes_context(minutes: Minutes) -> dict:
    meeting = minutes.meeting
    return {
        "minutes": minutes,
        "meeting": meeting,
        "engagement": meeting.engagement,
        "when": meeting_when(meeting),
        "groups": attendee_groups(meeting),
        "decisions": list(minutes.decisions.prefetch_related("linked")),
        "action_items": list(minutes.action_items.select_related("owner")),
        "is_final": minutes.status == MinutesStatus.CONFIRMED,
        "font_families": settings.REPORT_FONT_FAMILIES,
    }


def minutes_html(minutes: Minutes) -> str:
    return render_to_string("meetings/pdf/minutes.html", minutes_context(minutes))


def minutes_pdf(minutes: Minutes) -> bytes:
    minutes = Minutes.objects.select_related(
        "meeting__engagement__client", "written_by", "confirmed_by"
    ).get(pk=minutes.pk)
    return HTML(string=minutes_html(minutes), base_url=str(settings.BASE_DIR)).write_pdf()


def minutes_download_name(minutes: Minutes) -> str:
    """議事録_<meeting>_<date>_第<n>版.pdf; ``minutes_filename`` is its ASCII fallback."""
    meeting = minutes.meeting
    return (f"{pgettext('file name', 'Minutes')}_{name_part(meeting.title, 'meeting')}_"
            f"{stamp(meeting.starts_at)}_{_('v%(v)s') % {'v': minutes.version}}.pdf")


def minutes_filename(minutes: Minutes) -> str:
    day = timezone.localtime(minutes.meeting.starts_at)
    return f"minutes-{day:%Y%m%d}-meeting-{minutes.meeting_id}-v{minutes.version}.pdf"
