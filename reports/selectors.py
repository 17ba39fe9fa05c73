"""Reads for the report. The reports app never writes domain data."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from engagements.choices import Role
from engagements.selectors import organisation_tree
from engagements.stages import STAGES, StageProgress
from engagements.workflow import status_history

from .chapters import numbered_chapters
from .references import references

# --- Scope ---------------------------------------------------------------------------------------


def scope_summary(engagement) -> dict:
    """The commission's scope (対象範囲) and its one headcount, stated once in chapter 1."""
    from survey.models import Desk, SectionStaffing

    ids = engagement.scope_section_ids()
    from engagements.models import Organisation

    sections = list(Organisation.objects.filter(pk__in=ids).order_by("sort_order", "name"))
    desks = Desk.objects.filter(engagement=engagement, section__in=ids).count()
    all_desks = Desk.objects.filter(engagement=engagement).count()
    headcount = SectionStaffing.objects.filter(engagement=engagement, section__in=ids).aggregate(
        n=Sum("headcount"))["n"] or 0
    return {"sections": sections, "desks": desks, "headcount": headcount,
            "context_desks": all_desks - desks}


# --- Chapters of the reports app ---------------------------------------------------------------


def overview_chapter(engagement) -> dict:
    return {
        "stages": [s for s in STAGES if s.key != "reports"],
        "scope": scope_summary(engagement),
    }


def organisation_chapter(engagement) -> dict:
    """実施体制: the city's and the contractor's members, approved subcontractors, the chart."""
    from meetings.choices import ApprovalKind, ApprovalStatus
    from meetings.models import ApprovalRequest

    members = list(engagement.memberships.select_related("user", "organisation")
                   .order_by("pk"))
    contractor = [m for m in members if m.role == Role.CONTRACTOR]
    return {
        "city": [m for m in members if m.role == Role.CITY_STAFF],
        "contractor_lead": contractor[0] if contractor else None,
        "contractor_staff": contractor[1:],
        "subcontracts": ApprovalRequest.objects.filter(
            engagement=engagement, kind=ApprovalKind.SUBCONTRACT,
            status=ApprovalStatus.APPROVED).order_by("document_date", "pk"),
        "org_tree": organisation_tree(root=engagement.client),
    }


def schedule_chapter(engagement) -> dict:
    from .schedule import schedule_rows, schedule_svg

    rows = schedule_rows(engagement)
    return {"rows": rows, "svg": schedule_svg(engagement, rows)}


def method_chapter(engagement) -> dict:
    from survey.designation import baseline_study, baseline_wave, study_report_context
    from survey.models import Desk, Floor, StorageUnit
    from survey.models.questionnaire import SCORE_FIELDS, QuestionnaireResponse

    study = baseline_study(engagement)
    wave = baseline_wave(engagement)
    return {
        "floors": Floor.objects.filter(engagement=engagement).count(),
        "desks": Desk.objects.filter(engagement=engagement).count(),
        "storage_units": StorageUnit.objects.filter(engagement=engagement).count(),
        "study": study_report_context(study) if study else None,
        "wave": wave,
        "answers": QuestionnaireResponse.objects.filter(wave=wave).count() if wave else 0,
        "item_count": len(SCORE_FIELDS),
        "scope": scope_summary(engagement),
    }


def summary_chapter(engagement) -> dict:
    from .models import ReportText

    texts = {t.chapter: t for t in ReportText.objects.filter(
        engagement=engagement, chapter__in=["summary", "future"])}
    return {"summary": texts.get("summary"), "future": texts.get("future")}


def materials_chapter(engagement) -> dict:
    """資料編: the blank questionnaire, the raw tables of the scope, the selected photos."""
    from survey.models import Desk, Photo, StorageUnit
    from survey.models.questionnaire import (
        IMPORTANCE_FIELDS,
        READINESS_FIELDS,
        SATISFACTION_FIELDS,
    )
    from survey.selectors import questionnaire as q

    ids = engagement.scope_section_ids()
    photos = (Photo.objects.filter(engagement=engagement, in_report=True)
              .select_related("desk", "storage_unit").order_by("uploaded_at")[:12])
    return {
        "questions": [
            (_("Satisfaction"), [q.item_label(n) for n in SATISFACTION_FIELDS]),
            (_("Importance"), [q.item_label(n) for n in IMPORTANCE_FIELDS]),
            (_("Readiness"), [q.item_label(n) for n in READINESS_FIELDS]),
        ],
        "desks": Desk.objects.filter(engagement=engagement, section__in=ids)
        .select_related("section", "floor").order_by("number"),
        "storage_units": StorageUnit.objects.filter(engagement=engagement, section__in=ids)
        .select_related("section", "floor").order_by("number"),
        "photos": [(p, _media_uri(p.image.name)) for p in photos],
    }


def _media_uri(name: str) -> str:
    from pathlib import Path

    return Path(settings.MEDIA_ROOT, name).as_uri()


def pending_chapter(engagement) -> dict:
    return {}


# --- The whole report ----------------------------------------------------------------------------


def version_history(engagement) -> list[dict]:
    """改訂履歴: every version with its status changes (submitted, accepted, returned)."""
    from .models import ReportVersion

    rows = []
    for version in (ReportVersion.objects.filter(engagement=engagement)
                    .prefetch_related("status_changes__actor").order_by("number")):
        rows.append({"number": version.number, "issued_on": version.issued_on,
                     "status": version.get_status_display(),
                     "changes": [{"at": row.at, "event": _version_event(row.new_status),
                                  "comment": row.comment} for row in status_history(version)],
                     "sha256": version.pdf_sha256})
    return rows


def _version_event(status: str) -> str:
    """How the revision table words a version's status change (submitted, accepted…)."""
    return {"submitted": _("submitted"), "accepted": _("accepted")}.get(status, _("returned"))


BREAK_AFTER = ("及び", "に係る", "における", "のための", "につながる", "の", "に", "と", "を")


def title_lines(title: str, width: int = 22) -> list[str]:
    """The title split between words (after a particle, never inside a word), each line at
    most ``width`` characters where possible: the cover prints each line unbroken."""
    lines, rest = [], title
    while len(rest) > width:
        cut = 0
        for marker in BREAK_AFTER:
            at = rest.rfind(marker, 0, width)
            if at > 0 and at + len(marker) > cut:
                cut = at + len(marker)
        if cut < width // 3:
            break
        lines.append(rest[:cut])
        rest = rest[cut:]
    return [*lines, rest]


def report_context(engagement, *, edition) -> dict:
    from .models import ReportText

    texts = {t.chapter: t for t in ReportText.objects.filter(engagement=engagement)}
    chapters = [
        {
            "number": number,
            "chapter": chapter,
            "context": import_string(chapter.context)(engagement),
            "text": texts.get(chapter.key),
        }
        for number, chapter in numbered_chapters()
    ]
    history = version_history(engagement)
    if not edition.draft:
        # The version being built lists itself (and nothing after it) as submitted.
        history = [h for h in history if h["number"] < edition.number]
        history.append({"number": edition.number, "issued_on": edition.issued_on,
                        "changes": []})
    contractor_members = engagement.memberships.filter(role=Role.CONTRACTOR)
    return {
        "engagement": engagement,
        "title_lines": title_lines(engagement.title),
        "chapters": chapters,
        "edition": edition,
        "issued_on": edition.issued_on,
        "history": history,
        "refs": references(),
        "font_families": settings.REPORT_FONT_FAMILIES,
        "author": engagement.contractor,
        "has_contractor_members": contractor_members.exists(),
    }


def stage_progress(engagement) -> StageProgress:
    """What the report lacks: the open items of the pre-submission check, or its versions."""
    from .checks import open_items, pre_submission_check
    from .models import ReportVersion, VersionStatus

    accepted = ReportVersion.objects.filter(engagement=engagement,
                                            status=VersionStatus.ACCEPTED).order_by("-number")
    if accepted.exists():
        return StageProgress(percent=100, summary=_("Version %(n)s accepted") % {
            "n": accepted.first().number})
    items = pre_submission_check(engagement)
    missing = open_items(items)
    percent = round(100 * (len(items) - len(missing)) / len(items)) if items else 0
    if not missing:
        return StageProgress(percent=percent, summary=_("Ready to submit"))
    return StageProgress(percent=percent, summary=_("%(n)s open items before submission: %(first)s")
                         % {"n": len(missing), "first": missing[0].label})


def latest_builds(engagement) -> dict:
    """The newest build of each kind, for the report page."""
    from .models import ReportBuild

    builds = {}
    for build in ReportBuild.objects.filter(engagement=engagement).order_by("-requested_at",
                                                                            "-pk")[:20]:
        builds.setdefault(build.kind, build)
    return builds


def report_page_url(engagement) -> str:
    return reverse("reports:index", kwargs={"engagement_pk": engagement.pk})


def today() -> dt.date:
    return timezone.localdate()
