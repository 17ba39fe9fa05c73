"""Writing the survey workbook: the template, and the export in the same layout.

A clerk exports, corrects in Excel and imports again. Every cell goes through
``engagements.xlsx.write_cell``, so a desk note ``=HYPERLINK(...)`` stays text.
"""

import io
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from engagements.xlsx import write_cell

from ..models import Desk, Floor, SectionStaffing, StorageUnit, StorageVolume
from ..selectors import sections_for
from .sheets import (
    DESK_SHEET,
    LIST_SHEET,
    SHEETS,
    STAFFING_SHEET,
    STORAGE_SHEET,
    VOLUME_SHEET,
    Column,
    _bool_text,
    _label,
)


def _header_style(cell, required: bool) -> None:
    cell.font = Font(bold=True, color="C00000" if required else "000000")
    cell.fill = PatternFill("solid", fgColor="DDEBF7")


def _export_value(column: Column, value):
    if column.kind == "bool":
        return _bool_text(bool(value))
    if column.kind == "choice":
        return _label(column.choices, value)
    if isinstance(value, Decimal):
        return float(value)
    return value if value is not None else ""


def _build(engagement, rows_by_sheet: dict[str, Iterable[list]] | None, example: bool) -> bytes:
    with translation.override("ja"):
        workbook = Workbook()
        workbook.remove(workbook.active)
        lists = workbook.create_sheet(LIST_SHEET)
        lists.sheet_state = "hidden"
        list_values = {
            "floor": [f.name for f in Floor.objects.filter(engagement=engagement)],
            "section": [s.name for s in sections_for(engagement)],
            "bool": [_bool_text(True), _bool_text(False)],
        }
        list_ranges: dict[str, str] = {}

        def list_range(key: str, values: list[str], header: str) -> str:
            # Japanese header (the column it serves); never a literal "None" choice.
            values = [v for v in values if v not in ("", "None")]
            if key not in list_ranges:
                column = len(list_ranges) + 1
                letter = get_column_letter(column)
                write_cell(lists, 1, column, header)
                for index, value in enumerate(values, start=2):
                    write_cell(lists, index, column, value)
                last = max(2, len(values) + 1)
                list_ranges[key] = f"{quote_sheetname(LIST_SHEET)}!${letter}$2:${letter}${last}"
            return list_ranges[key]

        for spec in SHEETS:
            sheet = workbook.create_sheet(str(spec.title))
            for index, column in enumerate(spec.columns, start=1):
                cell = write_cell(sheet, 1, index, str(column.header))
                _header_style(cell, column.required)
                sheet.column_dimensions[get_column_letter(index)].width = max(
                    12, len(str(column.header)) * 2 + 2
                )
                values = None
                if column.kind == "choice":
                    values = [str(label) for _v, label in column.choices.choices]
                elif column.kind in ("floor", "section", "bool"):
                    values = list_values[column.kind]
                if values is not None:
                    key = column.choices.__name__ if column.choices else column.kind
                    validation = DataValidation(
                        type="list", allow_blank=True,
                        formula1=f"={list_range(key, values, str(column.header))}",
                        showErrorMessage=column.kind != "section",
                    )
                    validation.error = _("Choose a value from the list.")
                    sheet.add_data_validation(validation)
                    letter = get_column_letter(index)
                    validation.add(f"{letter}2:{letter}20000")
            sheet.freeze_panes = "A2"
            _write_rows(sheet, spec, (rows_by_sheet or {}).get(spec.key, ()), example)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _write_rows(sheet, spec, rows, example: bool) -> None:
    """The example row (template) and the data rows, every cell formula-safe."""
    row_number = 1
    if example:
        row_number += 1
        for index, column in enumerate(spec.columns, start=1):
            cell = write_cell(sheet, row_number, index, _export_value(column, column.example))
            cell.font = Font(italic=True, color="808080")
    for row in rows:
        # A counted row, not ws.append/max_row (which scans every cell on each row).
        row_number += 1
        for index, value in enumerate(row, start=1):
            write_cell(sheet, row_number, index, value)


def template_workbook(engagement) -> bytes:
    """One sheet per survey table, Japanese headers, validation lists and an example row.

    The example row's number starts with 例; the import skips such rows.
    """
    return _build(engagement, None, example=True)


def _export_rows(engagement) -> dict[str, list[list]]:
    desks = Desk.objects.filter(engagement=engagement).select_related("floor", "section")
    units = StorageUnit.objects.filter(engagement=engagement).select_related("floor", "section")
    volumes = StorageVolume.objects.filter(unit__engagement=engagement).select_related("unit")
    staffing = SectionStaffing.objects.filter(engagement=engagement).select_related("section")

    def values(spec, obj, extra=None):
        row = []
        for column in spec.columns:
            if extra and column.key in extra:
                value = extra[column.key]
            elif column.kind in ("floor", "section", "unit"):
                related = getattr(obj, column.key)
                value = related.name if column.kind != "unit" else related.number
                value = value if related else ""
            else:
                value = getattr(obj, column.key)
            row.append(_export_value(column, value))
        return row

    def related_name(obj, key):
        related = getattr(obj, key)
        return "" if related is None else related.name

    return {
        "desks": [
            values(DESK_SHEET, d, {"section": related_name(d, "section")}) for d in desks
        ],
        "storage": [
            values(
                STORAGE_SHEET, u,
                {"section": related_name(u, "section"), "capacity": u.capacity_fm},
            )
            for u in units
        ],
        "volumes": [values(VOLUME_SHEET, v, {"unit": v.unit.number}) for v in volumes],
        "staffing": [values(STAFFING_SHEET, s) for s in staffing],
    }


def export_workbook(engagement) -> bytes:
    """The current survey in the template's layout: export, correct in Excel, import again."""
    with translation.override("ja"):
        return _build(engagement, _export_rows(engagement), example=False)


def download_name(engagement, what: str, extension: str, *, ascii_what: str) -> tuple[str, str]:
    """A Japanese file name (short name of the engagement, what, today's date) and its ASCII
    fallback, e.g. ("伏見区役所_調査票_20261126.xlsx", "survey-3-20261126.xlsx")."""
    short = (getattr(engagement, "short_name", "") or "").strip()
    if not short:
        section = getattr(engagement, "section", None)
        short = section.name if section is not None else engagement.title[:20]
    today = timezone.localdate().strftime("%Y%m%d")
    unsafe = '\\/:*?"<>|\r\n\t'
    short = "".join("_" if ch in unsafe else ch for ch in short)
    return (
        f"{short}_{what}_{today}.{extension}",
        f"{ascii_what}-{engagement.pk}-{today}.{extension}",
    )
