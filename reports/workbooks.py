"""Workbooks of the electronic data (電子データ): every record of a stage, one sheet per table.

Each sheet: Japanese headers (the fields' verbose names), a frozen header row, column widths,
choices by their labels, related records by their names, and every date twice: ISO
(2026-07-13) and 和暦 (令和8年7月13日). Written with ``engagements.xlsx.append_row`` so that no
user text becomes a formula, in write-only mode (rows streamed, bounded memory) to a file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from engagements.wareki import format_wareki
from engagements.xlsx import append_row

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
SKIP_FIELDS = {"version"}


@dataclass
class Sheet:
    """One table: a title, a queryset and, optionally, the fields to leave out or add."""

    title: str
    queryset: object
    exclude: set[str] = field(default_factory=set)
    extra: list[tuple[str, Callable]] = field(default_factory=list)  # (header, f(obj))
    include_pk: bool = True


@dataclass
class RowsSheet:
    """A sheet of computed rows (analysis results, costs, the index)."""

    title: str
    header: list[str]
    rows: Iterable[list]


def _date_value(value):
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%Y-%m-%d %H:%M"), format_wareki(local.date()) + local.strftime(
            " %H:%M")
    return value.isoformat(), format_wareki(value)


def _columns(model, sheet: Sheet) -> list[tuple[str, Callable]]:
    """(header, getter) pairs for every concrete field; dates get an 和暦 column beside."""
    columns: list[tuple[str, Callable]] = []
    for f in model._meta.concrete_fields:
        if f.name in sheet.exclude or f.name in SKIP_FIELDS:
            continue
        if f.primary_key:
            if sheet.include_pk:
                columns.append((_("No."), lambda o: o.pk))
            continue
        header = str(f.verbose_name)
        if f.is_relation:
            columns.append((header, lambda o, n=f.name: str(getattr(o, n) or "")))
        elif f.choices:
            columns.append((header, lambda o, n=f.name: str(getattr(o, f"get_{n}_display")())))
        elif isinstance(f, (models.DateField, models.DateTimeField)):
            columns.append((f"{header}", lambda o, n=f.name: _date_value(getattr(o, n))[0]
                            if getattr(o, n) else ""))
            columns.append((f"{header}（和暦）", lambda o, n=f.name: _date_value(getattr(o, n))[1]
                            if getattr(o, n) else ""))
        elif isinstance(f, models.FileField):
            columns.append((header, lambda o, n=f.name: getattr(o, n).name.rsplit("/", 1)[-1]
                            if getattr(o, n) else ""))
        elif isinstance(f, models.BooleanField):
            columns.append((header, lambda o, n=f.name: _("yes") if getattr(o, n) else _("no")))
        elif isinstance(f, models.JSONField):
            columns.append((header, lambda o, n=f.name: _json_text(o, n)))
        else:
            columns.append((header, lambda o, n=f.name: _plain(getattr(o, n))))
    return columns + list(sheet.extra)


def _json_text(obj, name: str) -> str:
    value = getattr(obj, name)
    choices = getattr(obj, "HISTORY_LIST_CHOICES", {}).get(name)
    if isinstance(value, list):
        labels = dict(choices.choices) if choices else {}
        return "、".join(str(labels.get(v, v)) for v in value)
    return "" if value in (None, "", {}) else str(value)


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value


def write_workbook(path, sheets: Iterable[Sheet]) -> None:
    """Write ``sheets`` to the file ``path`` (write-only mode: rows are streamed)."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        if isinstance(sheet, RowsSheet):
            add_rows_sheet(workbook, sheet.title, sheet.header, sheet.rows)
            continue
        queryset = sheet.queryset
        model = queryset.model
        columns = _columns(model, sheet)
        ws = workbook.create_sheet(sheet.title[:31])
        ws.freeze_panes = "A2"
        for index, (header, _getter) in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = min(
                40, max(10, len(header) * 2 + 2))
        header_cells = []
        from openpyxl.cell import WriteOnlyCell

        for header, _getter in columns:
            cell = WriteOnlyCell(ws, value=header)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            header_cells.append(cell)
        ws.append(header_cells)
        fks = [f.name for f in model._meta.concrete_fields if f.is_relation]
        if fks and hasattr(queryset, "select_related"):
            queryset = queryset.select_related(*fks)
        rows = queryset.iterator(chunk_size=2000) if hasattr(queryset, "iterator") else queryset
        for obj in rows:
            append_row(ws, [getter(obj) for _header, getter in columns])
    workbook.save(path)


def write_rows(path, title: str, header: list[str], rows: Iterable[list]) -> None:
    """A one-sheet workbook of computed rows (analysis results, the index)."""
    workbook = Workbook(write_only=True)
    add_rows_sheet(workbook, title, header, rows)
    workbook.save(path)


def add_rows_sheet(workbook, title: str, header: list[str], rows: Iterable[list]) -> None:
    from openpyxl.cell import WriteOnlyCell

    ws = workbook.create_sheet(title[:31])
    ws.freeze_panes = "A2"
    for index, text in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(index)].width = min(60, max(10, len(text) * 2 + 4))
    cells = []
    for text in header:
        cell = WriteOnlyCell(ws, value=text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cells.append(cell)
    ws.append(cells)
    for row in rows:
        append_row(ws, [_plain(v) for v in row])
