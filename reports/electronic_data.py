"""The deliverable's electronic data (電子データ): one ZIP beside the bound original.

The ZIP of a version holds exactly that version's stored PDF (its bytes, not a rebuild), one
workbook per stage with every record of the stage, the attachments in folders named in
Japanese, and a 目録 (index) workbook listing every other file with its size and SHA-256.
It is written to a file, entry by entry (bounded memory at city scale). Stage apps without a
folder here (procurement, disposal) add theirs with ``register_export``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import workbooks as wb


@dataclass(frozen=True)
class StageExport:
    """A stage's part of the electronic data, registered from its ``AppConfig.ready()``.

    ``files``: dotted path of ``f(engagement) -> Iterable[tuple[str, bytes]]``: names relative
    to the stage's ``folder`` (Japanese, e.g. ``"調達・設置.xlsx"``, ``"見積書/…pdf"``).
    """

    key: str
    folder: str
    files: str
    order: int = 100


EXPORTS: dict[str, StageExport] = {}


def register_export(export: StageExport) -> None:
    EXPORTS[export.key] = export


INDEX_NAME = "目録.xlsx"
CHUNK = 1024 * 1024
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def safe_name(name: str) -> str:
    """A file or folder name usable on Windows and in a ZIP (no path separators)."""
    return UNSAFE.sub("_", name).strip() or "_"


class _Writer:
    """Adds entries to the ZIP, streaming, and remembers each one's size and SHA-256."""

    def __init__(self, archive: zipfile.ZipFile, root: str) -> None:
        self.archive, self.root, self.entries = archive, root, []
        self.stamp = timezone.localtime().timetuple()[:6]

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(f"{self.root}/{name}", self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.flag_bits |= 0x800  # UTF-8 names (Japanese folders open correctly on Windows)
        return info

    def add_stream(self, name: str, stream) -> None:
        digest, size = hashlib.sha256(), 0
        with self.archive.open(self._info(name), "w", force_zip64=True) as target:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        self.entries.append((name, size, digest.hexdigest()))

    def add_path(self, name: str, path) -> None:
        with open(path, "rb") as stream:
            self.add_stream(name, stream)

    def add_bytes(self, name: str, content: bytes) -> None:
        self.archive.writestr(self._info(name), content)
        self.entries.append((name, len(content), hashlib.sha256(content).hexdigest()))

    def add_storage(self, name: str, stored_name: str) -> bool:
        if not stored_name or not default_storage.exists(stored_name):
            return False
        with default_storage.open(stored_name, "rb") as stream:
            self.add_stream(name, stream)
        return True


# --- Stage workbooks ---------------------------------------------------------------------------


def _survey_sheets(engagement) -> list:
    from survey.models import (
        Desk,
        Floor,
        Furniture,
        Observation,
        OccupancyRound,
        OccupancyStudy,
        Photo,
        Room,
        SectionStaffing,
        StorageUnit,
        StorageVolume,
    )

    return [
        wb.Sheet(_("Floors"), Floor.objects.filter(engagement=engagement)),
        wb.Sheet(_("Rooms"), Room.objects.filter(floor__engagement=engagement)),
        wb.Sheet(_("Desks"), Desk.objects.filter(engagement=engagement)),
        wb.Sheet(_("Furniture"), Furniture.objects.filter(floor__engagement=engagement)),
        wb.Sheet(_("Storage units"), StorageUnit.objects.filter(engagement=engagement)),
        wb.Sheet(_("Document volumes"), StorageVolume.objects.filter(
            unit__engagement=engagement)),
        wb.Sheet(_("Headcount"), SectionStaffing.objects.filter(engagement=engagement)),
        wb.Sheet(_("Photos"), Photo.objects.filter(engagement=engagement)),
        wb.Sheet(_("Occupancy studies"), OccupancyStudy.objects.filter(engagement=engagement)),
        wb.Sheet(_("Occupancy rounds"), OccupancyRound.objects.filter(
            study__engagement=engagement)),
        wb.Sheet(_("Occupancy observations"), Observation.objects.filter(
            round__study__engagement=engagement).order_by("round_id", "desk_id")),
    ]


def _occupancy_result_sheets(engagement) -> list:
    """The analysis of every study (per desk, section and time of day), read through the
    survey's selectors."""
    from survey.models import OccupancyStudy
    from survey.selectors import occupancy

    rows_desk, rows_section, rows_time = [], [], []
    for study in OccupancyStudy.objects.filter(engagement=engagement).order_by("pk"):
        analysis = occupancy.study_analysis(study)
        for f in analysis["desks"]:
            rows_desk.append([study.name, f.label, f.observed, f.occupied,
                              _pct(f.average), _pct(f.peak)])
        for f in [*analysis["sections"], analysis["overall"]]:
            rows_section.append([study.name, f.label, f.desks, f.headcount or "", f.observed,
                                 _pct(f.average), _pct(f.peak), f.seats or ""])
        for f in analysis["times"]:
            rows_time.append([study.name, f.label, f.observed, _pct(f.average), _pct(f.peak)])
    return [
        wb.RowsSheet(_("Occupancy by desk"),
                     [_("Study"), _("Desk number"), _("Observations"), _("Occupied"),
                      _("Average occupancy (%)"), _("Peak occupancy (%)")], rows_desk),
        wb.RowsSheet(_("Occupancy by section"),
                     [_("Study"), _("Section"), _("Desks"), _("Headcount"), _("Observations"),
                      _("Average occupancy (%)"), _("Peak occupancy (%)"),
                      _("Recommended seats")], rows_section),
        wb.RowsSheet(_("Occupancy by time"),
                     [_("Study"), _("Time"), _("Observations"), _("Average occupancy (%)"),
                      _("Peak occupancy (%)")], rows_time),
    ]


def _pct(value):
    return "" if value is None else round(float(value) * 100, 1)


def _questionnaire_sheets(engagement) -> list:
    """Results only: the aggregate per item, and each answer's scores without any field that
    could identify its author (no key, no section, no free comment), in score order."""
    from survey.models.questionnaire import (
        SCORE_FIELDS,
        QuestionnaireResponse,
        QuestionnaireWave,
    )
    from survey.selectors import questionnaire as q

    aggregate, answers = [], []
    for wave in QuestionnaireWave.objects.filter(engagement=engagement):
        result = q.wave_result(wave)
        if not result.shown:  # fewer answers than the smallest group shown: nothing
            continue
        for item in result.items.values():
            aggregate.append([wave.get_kind_display(), str(item.label), result.n,
                              round(item.mean, 2)])
        scores = (QuestionnaireResponse.objects.filter(wave=wave)
                  .order_by(*SCORE_FIELDS).values_list(*SCORE_FIELDS))
        answers += [[wave.get_kind_display(), *row] for row in scores]
    return [
        wb.RowsSheet(_("Questionnaire results"),
                     [_("Wave"), _("Entry"), _("Answers"), _("Mean")], aggregate),
        wb.RowsSheet(_("Questionnaire answers"),
                     [_("Wave"), *[q.item_label(n) for n in SCORE_FIELDS]], answers),
    ]


def _proposal_sheets(engagement) -> list:
    from proposals import selectors as ps
    from proposals.models import (
        Alternative,
        LayoutItem,
        Proposal,
        ProposalSection,
        StatusChange,
        WorkListItem,
        WorksLine,
        Zone,
    )

    cost_rows = []
    for alternative in Alternative.objects.filter(proposal__engagement=engagement).select_related(
            "proposal").order_by("proposal_id", "label"):
        cost = ps.alternative_cost(alternative)
        cost_rows.append([alternative.proposal.title, alternative.label, cost.subtotal_yen,
                          cost.tax_yen, cost.total_yen])
    return [
        wb.Sheet(_("Proposals"), Proposal.objects.filter(engagement=engagement)),
        wb.Sheet(_("Alternatives"), Alternative.objects.filter(proposal__engagement=engagement)),
        wb.Sheet(_("Layout items"), LayoutItem.objects.filter(
            alternative__proposal__engagement=engagement)),
        wb.Sheet(_("Zones"), Zone.objects.filter(alternative__proposal__engagement=engagement)),
        wb.Sheet(_("Works"), WorksLine.objects.filter(
            alternative__proposal__engagement=engagement)),
        wb.Sheet(_("Proposal sections"), ProposalSection.objects.filter(
            alternative__proposal__engagement=engagement)),
        wb.Sheet(_("Work list"), WorkListItem.objects.filter(
            alternative__proposal__engagement=engagement)),
        wb.Sheet(_("Alternative status changes"), StatusChange.objects.filter(
            alternative__proposal__engagement=engagement)),
        wb.RowsSheet(_("Costs"), [_("Proposal title"), _("Alternative"), _("Subtotal without tax"),
                                  _("Consumption tax"), _("Total with tax")], cost_rows),
    ]


def _meeting_sheets(engagement) -> list:
    from meetings.models import (
        ActionItem,
        Attachment,
        Attendee,
        Decision,
        Meeting,
        Minutes,
        MinutesStatusChange,
        Suggestion,
    )

    return [
        wb.Sheet(_("Meetings"), Meeting.objects.filter(engagement=engagement)),
        wb.Sheet(_("Attendees"), Attendee.objects.filter(meeting__engagement=engagement)),
        wb.Sheet(_("Minutes"), Minutes.objects.filter(meeting__engagement=engagement)),
        wb.Sheet(_("Decisions"), Decision.objects.filter(
            minutes__meeting__engagement=engagement), exclude={"linked_type", "linked_id"}),
        wb.Sheet(_("Action items"), ActionItem.objects.filter(
            minutes__meeting__engagement=engagement)),
        wb.Sheet(_("Minutes status changes"), MinutesStatusChange.objects.filter(
            minutes__meeting__engagement=engagement)),
        wb.Sheet(_("Suggestions"), Suggestion.objects.filter(engagement=engagement)),
        wb.Sheet(_("Attachments"), Attachment.objects.filter(engagement=engagement,
                                                             meeting__isnull=False)),
    ]


def _approval_sheets(engagement) -> list:
    from meetings.models import ApprovalRequest, ApprovalStatusChange, Attachment

    return [
        wb.Sheet(_("Approval requests"), ApprovalRequest.objects.filter(engagement=engagement)),
        wb.Sheet(_("Approval status changes"), ApprovalStatusChange.objects.filter(
            request__engagement=engagement)),
        wb.Sheet(_("Attachments"), Attachment.objects.filter(engagement=engagement,
                                                             approval__isnull=False)),
    ]


# --- The ZIP -----------------------------------------------------------------------------------


def _folders() -> dict[str, str]:
    return {
        "survey": "01_" + _("Survey"),
        "proposals": "02_" + _("Proposals"),
        "meetings": "05_" + _("Meetings"),
        "approvals": "06_" + _("Approvals and consultations"),
    }


def write_electronic_data(engagement, target, *, pdf_name: str, pdf_stored: str | None = None,
                          pdf_path=None, root: str = "",
                          progress: Callable[[int, str], None] | None = None
                          ) -> list[tuple[str, int, str]]:
    """Write the ZIP to the file ``target``; the report PDF comes from default storage
    (``pdf_stored``, a version) or a local file (``pdf_path``, a draft). Returns the index."""
    from meetings.choices import MinutesStatus
    from meetings.models import Attachment, Minutes
    from meetings.pdf import minutes_pdf
    from survey.models import Floor, Photo

    progress = progress or (lambda _p, _s: None)
    with translation.override("ja"):
        folders = _folders()
        root = safe_name(root or Path(pdf_name).stem)
        tmp = tempfile.mkdtemp(prefix="report_zip_")
        try:
            with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED,
                                 allowZip64=True) as archive:
                out = _Writer(archive, root)
                if pdf_stored:
                    out.add_storage(pdf_name, pdf_stored)
                else:
                    out.add_path(pdf_name, pdf_path)
                steps = [
                    ("survey", _("Survey"), lambda: _survey_sheets(engagement)
                     + _occupancy_result_sheets(engagement) + _questionnaire_sheets(engagement)),
                    ("proposals", _("Proposals"), lambda: _proposal_sheets(engagement)),
                    ("meetings", _("Meetings"), lambda: _meeting_sheets(engagement)),
                    ("approvals", _("Approvals and consultations"),
                     lambda: _approval_sheets(engagement)),
                ]
                for index, (key, title, sheets) in enumerate(steps):
                    progress(30 + index * 12, _("Workbook: %(title)s") % {"title": title})
                    path = os.path.join(tmp, f"{key}.xlsx")
                    wb.write_workbook(path, sheets())
                    out.add_path(f"{folders[key]}/{safe_name(title)}.xlsx", path)
                    os.remove(path)

                progress(80, _("Attachments"))
                for floor in Floor.objects.filter(engagement=engagement).exclude(plan_image=""):
                    ext = Path(floor.plan_image.name).suffix
                    out.add_storage(f"{folders['survey']}/{_('Floor plans')}/"
                                    f"{safe_name(floor.name)}{ext}", floor.plan_image.name)
                for photo in Photo.objects.filter(engagement=engagement).order_by("pk"):
                    name = safe_name(Path(photo.image.name).name)
                    out.add_storage(f"{folders['survey']}/{_('Photos')}/{photo.pk:04d}_{name}",
                                    photo.image.name)
                for minutes in (Minutes.objects.filter(meeting__engagement=engagement,
                                                       status=MinutesStatus.CONFIRMED)
                                .select_related("meeting").order_by("meeting__starts_at")):
                    day = timezone.localtime(minutes.meeting.starts_at)
                    out.add_bytes(
                        f"{folders['meetings']}/{_('Minutes')}/{day:%Y%m%d}_"
                        f"{safe_name(minutes.meeting.title)}_{minutes.version}.pdf",
                        minutes_pdf(minutes))
                for attachment in Attachment.objects.filter(engagement=engagement).order_by("pk"):
                    folder = folders["meetings" if attachment.meeting_id else "approvals"]
                    out.add_storage(f"{folder}/{_('Attachments')}/{attachment.pk:04d}_"
                                    f"{safe_name(attachment.original_name)}",
                                    attachment.file.name)
                for export in sorted(EXPORTS.values(), key=lambda e: e.order):
                    for name, content in import_string(export.files)(engagement):
                        out.add_bytes(f"{export.folder}/{name}", content)

                progress(95, _("Index"))
                index_path = os.path.join(tmp, "index.xlsx")
                wb.write_rows(index_path, _("Index"),
                              [_("File"), _("Size (bytes)"), "SHA-256"],
                              [[n, s, h] for n, s, h in out.entries])
                out.add_path(INDEX_NAME, index_path)
                return out.entries
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
