"""Excel in and out: the template, the export in the same layout, and the import.

A clerk exports, corrects in Excel and imports again: rows are matched by their number
(update) or created. A dry run lists every error by sheet, row and column and writes nothing;
a real import writes everything or nothing. Text typed with a Japanese IME (full-width digits
and spaces) is normalised with NFKC before it is read.
"""

import io
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from engagements.xlsx import append_row

from .choices import (
    Condition,
    DeskType,
    Disposition,
    Retention,
    StorageKind,
    UnderDeskStorage,
    UserRole,
)
from .models import Desk, Floor, SectionStaffing, StorageUnit, StorageVolume
from .selectors import sections_for
from .services import require_survey_editor

EXAMPLE_PREFIX = "例"
EXAMPLE_SECTION = "区政・スマート区役所推進担当"
TRUE_WORDS = {"あり", "有", "○", "◯", "はい", "yes", "y", "true", "1"}
FALSE_WORDS = {"なし", "無", "×", "いいえ", "no", "n", "false", "0", "-"}
BATCH = 1000


class ImportRefused(Exception):
    """The file cannot be read as a survey workbook at all: the message says why."""


@dataclass(frozen=True)
class Column:
    key: str
    header: object  # lazy English msgid; the workbook shows its Japanese translation
    kind: str = "text"  # text, int, decimal, bool, choice, floor, section, unit
    required: bool = False
    choices: type[models.TextChoices] | None = None
    example: object = None
    export_only: bool = False


@dataclass(frozen=True)
class SheetSpec:
    key: str
    title: object
    columns: tuple[Column, ...]
    match: str  # column key rows are matched by



DESK_SHEET = SheetSpec(
    "desks",
    gettext_lazy("Desks"),
    (
        Column("number", gettext_lazy("Desk number"), required=True, example="例1"),
        Column("floor", gettext_lazy("Floor"), "floor", required=True, example="3階"),
        Column("section", gettext_lazy("Section"), "section", example=EXAMPLE_SECTION),
        Column("user_role", gettext_lazy("User's role"), "choice", choices=UserRole,
               example="staff"),
        Column("desk_type", gettext_lazy("Desk type"), "choice", choices=DeskType,
               example="single_pedestal"),
        Column("width_mm", gettext_lazy("Width (mm)"), "int", required=True, example=1200),
        Column("depth_mm", gettext_lazy("Depth (mm)"), "int", required=True, example=700),
        Column("condition", gettext_lazy("Condition"), "choice", choices=Condition, example="good"),
        Column("year", gettext_lazy("Year of purchase"), "int", example=2012),
        Column("has_pc", gettext_lazy("PC"), "bool", example=True),
        Column("monitor_count", gettext_lazy("Monitors"), "int", example=1),
        Column("has_phone", gettext_lazy("Phone"), "bool", example=True),
        Column("has_printer", gettext_lazy("Printer"), "bool", example=False),
        Column("under_desk_storage", gettext_lazy("Under-desk storage"), "choice",
               choices=UnderDeskStorage, example="drawers"),
        Column("document_fm", gettext_lazy("Documents on and around the desk (fm)"), "decimal",
               example=Decimal("0.6")),
        Column("power_outlets", gettext_lazy("Power outlets"), "int", example=2),
        Column("lan_outlets", gettext_lazy("LAN outlets"), "int", example=1),
        Column("x_mm", gettext_lazy("X (mm)"), "int", example=1000),
        Column("y_mm", gettext_lazy("Y (mm)"), "int", example=2000),
        Column("rotation_deg", gettext_lazy("Rotation (degrees)"), "int", example=0),
        Column("notes", gettext_lazy("Notes"), example=""),
    ),
    "number",
)
STORAGE_SHEET = SheetSpec(
    "storage",
    gettext_lazy("Storage units"),
    (
        Column("number", gettext_lazy("Storage number"), required=True, example="例S1"),
        Column("floor", gettext_lazy("Floor"), "floor", required=True, example="3階"),
        Column("kind", gettext_lazy("Kind"), "choice", choices=StorageKind, example="cabinet"),
        Column("section", gettext_lazy("Owner section"), "section", example=EXAMPLE_SECTION),
        Column("width_mm", gettext_lazy("Width (mm)"), "int", required=True, example=900),
        Column("depth_mm", gettext_lazy("Depth (mm)"), "int", required=True, example=450),
        Column("height_mm", gettext_lazy("Height (mm)"), "int", required=True, example=1850),
        Column("shelf_count", gettext_lazy("Shelves"), "int", required=True, example=5),
        Column("capacity", gettext_lazy("Capacity (fm, computed)"), "decimal", export_only=True),
        Column("condition", gettext_lazy("Condition"), "choice", choices=Condition, example="good"),
        Column("x_mm", gettext_lazy("X (mm)"), "int", example=0),
        Column("y_mm", gettext_lazy("Y (mm)"), "int", example=0),
        Column("rotation_deg", gettext_lazy("Rotation (degrees)"), "int", example=0),
        Column("notes", gettext_lazy("Notes"), example=""),
    ),
    "number",
)
VOLUME_SHEET = SheetSpec(
    "volumes",
    gettext_lazy("Document volumes"),
    (
        Column("unit", gettext_lazy("Storage number"), "unit", required=True, example="例S1"),
        Column("retention", gettext_lazy("Retention"), "choice", required=True, choices=Retention,
               example="5"),
        Column("disposition", gettext_lazy("Disposition"), "choice", required=True,
               choices=Disposition, example="archive"),
        Column("volume_fm", gettext_lazy("Volume (fm)"), "decimal", required=True,
               example=Decimal("2.5")),
    ),
    "unit",
)
STAFFING_SHEET = SheetSpec(
    "staffing",
    gettext_lazy("Headcounts"),
    (
        Column("section", gettext_lazy("Section"), "section", required=True,
               example="例 区政・スマート区役所推進担当"),
        Column("headcount", gettext_lazy("Headcount"), "int", required=True, example=19),
    ),
    "section",
)
SHEETS = (DESK_SHEET, STORAGE_SHEET, VOLUME_SHEET, STAFFING_SHEET)
LIST_SHEET = "選択肢"


def normalise(value):
    """NFKC for text (full-width digits and spaces to ASCII), trimmed; blank becomes None."""
    if isinstance(value, str):
        value = " ".join(unicodedata.normalize("NFKC", value).split())
        return value or None
    return value


def _choice_labels(choices) -> dict[str, str]:
    """Japanese label, English label and stored value, all normalised, to the stored value."""
    lookup = {}
    for value, label in choices.choices:
        lookup[normalise(str(value)).casefold()] = value
        lookup[normalise(str(label)).casefold()] = value
        with translation.override("en"):
            lookup[normalise(str(label)).casefold()] = value
    return lookup


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value)) if value not in (None, "") else ""


def _bool_text(value: bool) -> str:
    return _("yes (あり)") if value else _("no (なし)")


# --- Writing -----------------------------------------------------------------------------------


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
                lists.cell(row=1, column=column, value=header)
                for index, value in enumerate(values, start=2):
                    lists.cell(row=index, column=column, value=value)
                last = max(2, len(values) + 1)
                list_ranges[key] = f"{quote_sheetname(LIST_SHEET)}!${letter}$2:${letter}${last}"
            return list_ranges[key]

        for spec in SHEETS:
            sheet = workbook.create_sheet(str(spec.title))
            for index, column in enumerate(spec.columns, start=1):
                cell = sheet.cell(row=1, column=index, value=str(column.header))
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
            if example:
                append_row(sheet, [_export_value(c, c.example) for c in spec.columns])
                for cell in sheet[2]:
                    cell.font = Font(italic=True, color="808080")
            for row in (rows_by_sheet or {}).get(spec.key, ()):
                append_row(sheet, row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


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


# --- Reading -----------------------------------------------------------------------------------


@dataclass
class ImportIssue:
    """One error of an import: where it is, and what the row and the cell hold.

    ``label`` is the row's number (机番号, 収納番号, or the section) and ``value`` the cell as
    typed, so the page can show the error beside the row it concerns.
    """

    sheet: str
    row: int
    column: str
    message: str
    label: str = ""
    value: str = ""

    def __str__(self) -> str:
        return _("Sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s") % {
            "sheet": self.sheet, "row": self.row, "column": self.column or "—",
            "message": self.message,
        }


@dataclass
class ImportResult:
    dry_run: bool
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    errors: list[ImportIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_rows(self, limit: int = 500) -> list[dict]:
        """The first ``limit`` errors grouped by sheet and row, in the workbook's order."""
        rows: list[dict] = []
        for issue in self.errors[:limit]:
            if not rows or (rows[-1]["sheet"], rows[-1]["row"]) != (issue.sheet, issue.row):
                rows.append(
                    {"sheet": issue.sheet, "row": issue.row, "label": issue.label, "issues": []}
                )
            rows[-1]["issues"].append(issue)
        return rows

    def summary(self) -> list[tuple[str, int, int, int]]:
        return [
            (str(spec.title), self.created.get(spec.key, 0), self.updated.get(spec.key, 0),
             self.unchanged.get(spec.key, 0))
            for spec in SHEETS
        ]


def _open(file) -> object:
    try:
        if hasattr(file, "seek"):
            file.seek(0)
        return load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError,
            TypeError) as exc:
        raise ImportRefused(_("The file is not an Excel workbook (.xlsx).")) from exc


def _header_key(text) -> str:
    return (normalise(str(text)) or "").replace("*", "").strip().casefold()


def _read_sheets(workbook) -> dict[str, tuple[SheetSpec, dict[str, int], list]]:
    """The survey sheets found, their column positions and their data rows (row number, cells)."""
    found = {}
    names = {normalise(name): name for name in workbook.sheetnames}
    for spec in SHEETS:
        titles = {normalise(str(spec.title))}
        with translation.override("en"):
            titles.add(normalise(str(spec.title)))
        name = next((names[t] for t in titles if t in names), None)
        if name is None:
            continue
        sheet = workbook[name]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or all(normalise(v) is None for v in header):
            raise ImportRefused(
                _("The sheet %(sheet)s is empty: it has no header row.") % {"sheet": name}
            )
        positions = {}
        header_keys = [_header_key(v) if v is not None else "" for v in header]
        for column in spec.columns:
            wanted = {_header_key(column.header)}
            with translation.override("en"):
                wanted.add(_header_key(column.header))
            index = next((i for i, key in enumerate(header_keys) if key in wanted), None)
            if index is None:
                if column.export_only:
                    continue
                raise ImportRefused(
                    _("The sheet %(sheet)s has no column %(column)s.")
                    % {"sheet": name, "column": str(column.header)}
                )
            positions[column.key] = index
        data = []
        for number, cells in enumerate(rows, start=2):
            cells = [normalise(v) for v in cells]
            if all(v is None for v in cells):
                continue
            match = positions[spec.match]
            if match < len(cells) and _is_example(cells[match]):
                continue  # the template's example row
            data.append((number, cells))
        found[spec.key] = (spec, positions, data)
    if not found:
        raise ImportRefused(
            _("None of the survey sheets (%(sheets)s) was found in the workbook.")
            % {"sheets": "、".join(str(s.title) for s in SHEETS)}
        )
    if not any(data for _spec, _positions, data in found.values()):
        raise ImportRefused(_("The workbook has no rows to import."))
    return found


class _RowErrors(Exception):
    pass


class _Reader:
    """Converts one row's cells to Python values, collecting errors by column."""

    def __init__(self, engagement, unit_numbers: set[str]):
        self.floors = {normalise(f.name): f for f in Floor.objects.filter(engagement=engagement)}
        self.sections = {normalise(s.name): s for s in sections_for(engagement)}
        self.unit_numbers = unit_numbers
        self.choice_maps: dict[type, dict[str, str]] = {}

    def value(self, column: Column, raw):
        if raw is None:
            if column.required:
                raise ValueError(_("This column is required."))
            return None
        kind = column.kind
        if kind == "text":
            return self._text(raw)
        if kind == "int":
            return self._int(raw)
        if kind == "decimal":
            return self._decimal(raw)
        if kind == "bool":
            return self._bool(raw)
        if kind == "choice":
            lookup = self.choice_maps.setdefault(column.choices, _choice_labels(column.choices))
            value = lookup.get(self._text(raw).casefold())
            if value is None:
                raise ValueError(
                    _("%(value)s is not one of: %(choices)s")
                    % {"value": raw, "choices": "、".join(str(c.label) for c in column.choices)}
                )
            return value
        if kind == "floor":
            floor = self.floors.get(self._text(raw))
            if floor is None:
                raise ValueError(_("There is no floor named %(name)s.") % {"name": raw})
            return floor
        if kind == "section":
            section = self.sections.get(self._text(raw))
            if section is None:
                raise ValueError(
                    _("There is no section named %(name)s in this engagement.") % {"name": raw}
                )
            return section
        if kind == "unit":
            number = self._text(raw)
            if number not in self.unit_numbers:
                raise ValueError(_("There is no storage unit numbered %(n)s.") % {"n": number})
            return number
        raise AssertionError(kind)

    @staticmethod
    def _text(raw) -> str:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        return str(raw)

    @staticmethod
    def _int(raw) -> int:
        if isinstance(raw, bool):
            raise ValueError(_("Enter a whole number."))
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        try:
            return int(str(raw).replace(",", ""))
        except ValueError as exc:
            raise ValueError(_("Enter a whole number.")) from exc

    @staticmethod
    def _decimal(raw) -> Decimal:
        try:
            value = Decimal(str(raw).replace(",", ""))
        except InvalidOperation as exc:
            raise ValueError(_("Enter a number.")) from exc
        if not value.is_finite():
            raise ValueError(_("Enter a number."))
        return value.quantize(Decimal("0.01"))

    @staticmethod
    def _bool(raw) -> bool:
        if isinstance(raw, bool):
            return raw
        text = _Reader._text(raw).casefold()
        if text in TRUE_WORDS or text.startswith("yes") or text.startswith("あり"):
            return True
        if text in FALSE_WORDS or text.startswith("no") or text.startswith("なし"):
            return False
        raise ValueError(_("Enter あり or なし."))


def _row_values(reader, spec, positions, number, cells, issues, sheet_name) -> dict | None:
    values, ok = {}, True
    for column in spec.columns:
        if column.export_only or column.key not in positions:
            continue
        index = positions[column.key]
        raw = cells[index] if index < len(cells) else None
        try:
            values[column.key] = reader.value(column, raw)
        except ValueError as exc:
            issues.append(ImportIssue(sheet_name, number, str(column.header), str(exc)))
            ok = False
    return values if ok else None


def _is_example(value) -> bool:
    return isinstance(value, str) and value.startswith(EXAMPLE_PREFIX)


def _validate(instance, spec, number, sheet_name, issues, exclude) -> bool:
    """Model validation without per-row queries (uniqueness is checked on the whole file)."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        headers = {c.key: str(c.header) for c in spec.columns}
        for name, messages in exc.message_dict.items():
            column = headers.get(name, headers.get(name.removesuffix("_id"), ""))
            for message in messages:
                issues.append(ImportIssue(sheet_name, number, column, message))
        return False
    return True


def _apply_row_values(instance, values: dict) -> list[str]:
    """Like engagements.services.assign_changed, but a blank optional cell keeps the value."""
    changed = []
    for name, value in values.items():
        if value is None and name not in ("section", "year", "notes"):
            continue  # a blank optional cell keeps the current value (or the default)
        if value is None and name == "notes":
            value = ""
        current = getattr(instance, name, None)
        if current != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


@dataclass
class _Plan:
    create: list = field(default_factory=list)
    update: list = field(default_factory=list)
    fields: set = field(default_factory=set)
    unchanged: int = 0


def _plan_numbered(model, spec, engagement, rows, reader, issues, sheet_name) -> _Plan:
    plan = _Plan()
    existing = {obj.number: obj for obj in model.objects.filter(engagement=engagement)}
    seen: dict[str, int] = {}
    for number, cells in rows:
        first = cells[0] if cells else None
        if _is_example(first):
            continue
        values = _row_values(reader, spec, reader.positions[spec.key], number, cells, issues,
                             sheet_name)
        if values is None:
            continue
        key = values["number"]
        if _is_example(key):
            continue
        if key in seen:
            issues.append(
                ImportIssue(
                    sheet_name, number, str(spec.columns[0].header),
                    _("The number %(n)s is also on row %(row)s.") % {"n": key, "row": seen[key]},
                )
            )
            continue
        seen[key] = number
        instance = existing.get(key)
        is_new = instance is None
        if is_new:
            instance = model(engagement=engagement)
        changed = _apply_row_values(instance, values)
        if not _validate(instance, spec, number, sheet_name, issues,
                         exclude=["engagement", "floor", "section"]):
            continue
        if is_new:
            plan.create.append(instance)
        elif changed:
            plan.update.append(instance)
            plan.fields.update(changed)
        else:
            plan.unchanged += 1
    return plan


@transaction.atomic
def survey_import(*, engagement, file, actor, dry_run: bool = False) -> ImportResult:
    """Import a survey workbook: all rows or none. Raises ImportRefused for unreadable files.

    ``actor`` is the member importing (checked: city staff only); ``None`` only for the
    management command, run by whoever operates the server.
    """
    if actor is not None:
        require_survey_editor(engagement=engagement, actor=actor)
    with translation.override("ja"):
        return _import(engagement, file, actor, dry_run)


def _import(engagement, file, actor, dry_run) -> ImportResult:
    workbook = _open(file)
    try:
        found = _read_sheets(workbook)
    finally:
        workbook.close()
    result = ImportResult(dry_run=dry_run)
    issues = result.errors

    unit_numbers = set(
        StorageUnit.objects.filter(engagement=engagement).values_list("number", flat=True)
    )
    if "storage" in found:
        spec, positions, rows = found["storage"]
        index = positions["number"]
        for _number, cells in rows:
            raw = cells[index] if index < len(cells) else None
            if raw is not None:
                unit_numbers.add(_Reader._text(raw))
    reader = _Reader(engagement, unit_numbers)
    reader.positions = {key: positions for key, (_s, positions, _r) in found.items()}

    plans = {}
    for key, model in (("desks", Desk), ("storage", StorageUnit)):
        if key in found:
            spec, _positions, rows = found[key]
            plans[key] = _plan_numbered(
                model, spec, engagement, rows, reader, issues, str(spec.title)
            )
    volume_rows = []
    if "volumes" in found:
        spec, positions, rows = found["volumes"]
        seen = {}
        for number, cells in rows:
            if _is_example(cells[positions["unit"]] if positions["unit"] < len(cells) else None):
                continue
            values = _row_values(reader, spec, positions, number, cells, issues, str(spec.title))
            if values is None:
                continue
            cell = (values["unit"], values["retention"], values["disposition"])
            if cell in seen:
                issues.append(ImportIssue(
                    str(spec.title), number, str(spec.columns[0].header),
                    _("The same unit, retention and disposition is also on row %(row)s.")
                    % {"row": seen[cell]},
                ))
                continue
            if values["volume_fm"] < 0:
                issues.append(ImportIssue(
                    str(spec.title), number, str(spec.columns[3].header),
                    _("The volume cannot be negative."),
                ))
                continue
            seen[cell] = number
            volume_rows.append(values)
    staffing_rows = []
    if "staffing" in found:
        spec, positions, rows = found["staffing"]
        seen = {}
        for number, cells in rows:
            if _is_example(cells[positions["section"]]
                           if positions["section"] < len(cells) else None):
                continue
            values = _row_values(reader, spec, positions, number, cells, issues, str(spec.title))
            if values is None:
                continue
            if values["section"].pk in seen:
                issues.append(ImportIssue(
                    str(spec.title), number, str(spec.columns[0].header),
                    _("This section is also on row %(row)s.") % {"row": seen[values["section"].pk]},
                ))
                continue
            if values["headcount"] < 0:
                issues.append(ImportIssue(
                    str(spec.title), number, str(spec.columns[1].header),
                    _("The headcount cannot be negative."),
                ))
                continue
            seen[values["section"].pk] = number
            staffing_rows.append(values)

    issues.sort(key=lambda i: ([str(s.title) for s in SHEETS].index(i.sheet), i.row))
    _describe(issues, found)
    for key, plan in plans.items():
        result.created[key] = len(plan.create)
        result.updated[key] = len(plan.update)
        result.unchanged[key] = plan.unchanged
    _count_small_sheets(result, engagement, volume_rows, staffing_rows)
    if issues or dry_run:
        return result
    _write(engagement, actor, plans, volume_rows, staffing_rows, result)
    return result


def _describe(issues: list[ImportIssue], found) -> None:
    """Give each error its row's number and its cell as typed (both blank when not known)."""
    rows = {
        (str(spec.title), number): (spec, positions, cells)
        for spec, positions, data in found.values()
        for number, cells in data
    }
    for issue in issues:
        spec, positions, cells = rows.get((issue.sheet, issue.row), (None, None, None))
        if spec is None:
            continue
        issue.label = _cell_text(cells, positions.get(spec.match))
        keys = {str(column.header): column.key for column in spec.columns}
        if issue.column in keys:
            issue.value = _cell_text(cells, positions.get(keys[issue.column]))


def _cell_text(cells: list, index: int | None) -> str:
    value = cells[index] if index is not None and index < len(cells) else None
    return "" if value is None else str(value)


def _count_small_sheets(result, engagement, volume_rows, staffing_rows) -> None:
    existing_volumes = {
        (v.unit.number, v.retention, v.disposition): v.volume_fm
        for v in StorageVolume.objects.filter(unit__engagement=engagement).select_related("unit")
    }
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for values in volume_rows:
        key = (values["unit"], values["retention"], values["disposition"])
        if key not in existing_volumes:
            counts["created"] += 1
        elif existing_volumes[key] != values["volume_fm"]:
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    result.created["volumes"], result.updated["volumes"] = counts["created"], counts["updated"]
    result.unchanged["volumes"] = counts["unchanged"]
    existing_staff = dict(
        SectionStaffing.objects.filter(engagement=engagement).values_list(
            "section_id", "headcount"
        )
    )
    created = sum(1 for v in staffing_rows if v["section"].pk not in existing_staff)
    updated = sum(
        1 for v in staffing_rows
        if v["section"].pk in existing_staff and existing_staff[v["section"].pk] != v["headcount"]
    )
    result.created["staffing"], result.updated["staffing"] = created, updated
    result.unchanged["staffing"] = len(staffing_rows) - created - updated


def _write(engagement, actor, plans, volume_rows, staffing_rows, result) -> None:
    reason = _("Excel import")
    history = {"default_user": actor, "default_change_reason": reason}
    for key, model in (("desks", Desk), ("storage", StorageUnit)):
        plan = plans.get(key)
        if plan is None:
            continue
        if plan.create:
            bulk_create_with_history(plan.create, model, batch_size=BATCH, **history)
        if plan.update:
            bulk_update_with_history(
                plan.update, model, sorted(plan.fields), batch_size=BATCH, **history
            )
    units = {u.number: u for u in StorageUnit.objects.filter(engagement=engagement)}
    existing = {
        (v.unit_id, v.retention, v.disposition): v
        for v in StorageVolume.objects.filter(unit__engagement=engagement)
    }
    create, update = [], []
    for values in volume_rows:
        unit = units[values["unit"]]
        row = existing.get((unit.pk, values["retention"], values["disposition"]))
        if row is None:
            create.append(StorageVolume(
                unit=unit, retention=values["retention"], disposition=values["disposition"],
                volume_fm=values["volume_fm"],
            ))
        elif row.volume_fm != values["volume_fm"]:
            row.volume_fm = values["volume_fm"]
            update.append(row)
    if create:
        bulk_create_with_history(create, StorageVolume, batch_size=BATCH, **history)
    if update:
        bulk_update_with_history(update, StorageVolume, ["volume_fm"], batch_size=BATCH, **history)
    staff = {s.section_id: s for s in SectionStaffing.objects.filter(engagement=engagement)}
    create, update = [], []
    for values in staffing_rows:
        row = staff.get(values["section"].pk)
        if row is None:
            create.append(SectionStaffing(
                engagement=engagement, section=values["section"], headcount=values["headcount"]
            ))
        elif row.headcount != values["headcount"]:
            row.headcount = values["headcount"]
            update.append(row)
    if create:
        bulk_create_with_history(create, SectionStaffing, batch_size=BATCH, **history)
    if update:
        bulk_update_with_history(update, SectionStaffing, ["headcount"], batch_size=BATCH,
                                 **history)
