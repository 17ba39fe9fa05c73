"""Reading a survey workbook: limits checked before it is opened, then the sheets, read-only.

A workbook is a zip file: its declared uncompressed size is checked before openpyxl opens
it (a 2 MB "zip bomb" would otherwise take gigabytes), and its size, sheets and rows are
limited by ``OFFICE_REFORM["IMPORT_MAX_*"]`` settings.
"""

import zipfile
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..models import Floor
from ..selectors import sections_for
from .sheets import (
    FALSE_WORDS,
    SHEETS,
    TRUE_WORDS,
    Column,
    ImportRefused,
    SheetSpec,
    choice_lookup,
    is_example,
    normalise,
)

# Defaults of the limits (override in settings.OFFICE_REFORM). A survey of a whole city hall
# (2,250 desks, 600 cabinets) is far below them.
IMPORT_LIMITS = {
    "IMPORT_MAX_BYTES": 10 * 2**20,  # the .xlsx file as uploaded
    "IMPORT_MAX_UNCOMPRESSED_BYTES": 100 * 2**20,  # everything inside the zip
    "IMPORT_MAX_SHEETS": 20,
    "IMPORT_MAX_ROWS": 20_000,  # per sheet, header included
}


def import_limit(name: str) -> int:
    return int(getattr(settings, "OFFICE_REFORM", {}).get(name, IMPORT_LIMITS[name]))


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f}"


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    return size


def _check_limits(file) -> None:
    """Refuse, before openpyxl reads anything, a file too large or unpacking too large."""
    max_bytes = import_limit("IMPORT_MAX_BYTES")
    if _size(file) > max_bytes:
        raise ImportRefused(
            _("The file is too large (more than %(mib)s MB). Split it, or remove images and "
              "unused sheets.") % {"mib": _mib(max_bytes)}
        )
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            sheets = sum(
                1 for info in archive.infolist()
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
            )
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRefused(_("The file is not an Excel workbook (.xlsx).")) from exc
    max_unpacked = import_limit("IMPORT_MAX_UNCOMPRESSED_BYTES")
    if unpacked > max_unpacked:
        raise ImportRefused(
            _("The workbook unpacks to %(size)s MB, more than the %(mib)s MB allowed. It is not "
              "a survey workbook, or it holds far more than a survey.")
            % {"size": _mib(unpacked), "mib": _mib(max_unpacked)}
        )
    max_sheets = import_limit("IMPORT_MAX_SHEETS")
    if sheets > max_sheets:
        raise ImportRefused(
            _("The workbook has %(n)s sheets; at most %(max)s are allowed.")
            % {"n": sheets, "max": max_sheets}
        )
    file.seek(0)


def _open(file) -> object:
    if not hasattr(file, "seek"):
        raise ImportRefused(_("The file is not an Excel workbook (.xlsx)."))
    _check_limits(file)
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError,
            TypeError) as exc:
        raise ImportRefused(_("The file is not an Excel workbook (.xlsx).")) from exc

def _header_key(text) -> str:
    return (normalise(str(text)) or "").replace("*", "").strip().casefold()


def _positions(spec: SheetSpec, header, name: str) -> dict[str, int]:
    """Each column's index in the header row (Japanese or English header)."""
    positions = {}
    header_keys = [_header_key(v) if v is not None else "" for v in header]
    for column in spec.columns:
        wanted = {_header_key(column.header)}
        with translation.override("en"):
            wanted.add(_header_key(column.header))
        index = next((i for i, key in enumerate(header_keys) if key in wanted), None)
        if index is not None:
            positions[column.key] = index
        elif not column.export_only:
            raise ImportRefused(
                _("The sheet %(sheet)s has no column %(column)s.")
                % {"sheet": name, "column": str(column.header)}
            )
    return positions


def _data_rows(rows, match: int, name: str) -> list:
    """The data rows (row number, normalised cells): blank and example rows left out, at most
    ``IMPORT_MAX_ROWS``."""
    data = []
    max_rows = import_limit("IMPORT_MAX_ROWS")
    for number, cells in enumerate(rows, start=2):
        if number > max_rows:
            raise ImportRefused(
                _("The sheet %(sheet)s has more than %(max)s rows. Import it in parts.")
                % {"sheet": name, "max": f"{max_rows:,}"}
            )
        cells = [normalise(v) for v in cells]
        if all(v is None for v in cells):
            continue
        if match < len(cells) and is_example(cells[match]):
            continue  # the template's example row
        data.append((number, cells))
    return data


def _sheet_name(spec: SheetSpec, names: dict) -> str | None:
    titles = {normalise(str(spec.title))}
    with translation.override("en"):
        titles.add(normalise(str(spec.title)))
    return next((names[t] for t in titles if t in names), None)


def _read_sheets(workbook) -> dict[str, tuple[SheetSpec, dict[str, int], list]]:
    """The survey sheets found, their column positions and their data rows (row number, cells)."""
    found = {}
    names = {normalise(name): name for name in workbook.sheetnames}
    for spec in SHEETS:
        name = _sheet_name(spec, names)
        if name is None:
            continue
        rows = workbook[name].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or all(normalise(v) is None for v in header):
            raise ImportRefused(
                _("The sheet %(sheet)s is empty: it has no header row.") % {"sheet": name}
            )
        positions = _positions(spec, header, name)
        found[spec.key] = (spec, positions, _data_rows(rows, positions[spec.match], name))
    if not found:
        raise ImportRefused(
            _("None of the survey sheets (%(sheets)s) was found in the workbook.")
            % {"sheets": "、".join(str(s.title) for s in SHEETS)}
        )
    if not any(data for _spec, _positions, data in found.values()):
        raise ImportRefused(_("The workbook has no rows to import."))
    return found


class _Reader:
    """Converts one row's cells to Python values, collecting errors by column."""

    def __init__(self, engagement, unit_numbers: set[str]):
        floors = list(Floor.objects.filter(engagement=engagement))
        sections = list(sections_for(engagement))
        self.floors = {normalise(f.name): f for f in floors}
        self.sections = {normalise(s.name): s for s in sections}
        self.floors_by_pk = {f.pk: f for f in floors}
        self.sections_by_pk = {s.pk: s for s in sections}
        self.unit_numbers = unit_numbers
        self.lookups: dict = {}  # choice class → label lookup, for this import's language

    def value(self, column: Column, raw):
        if raw is None:
            if column.required:
                raise ValueError(_("This column is required."))
            return None
        return getattr(self, f"_{column.kind}_value")(column, raw)

    def _text_value(self, column, raw):
        return self._text(raw)

    def _int_value(self, column, raw):
        return self._int(raw)

    def _decimal_value(self, column, raw):
        return self._decimal(raw)

    def _bool_value(self, column, raw):
        return self._bool(raw)

    def _choice_value(self, column, raw):
        lookup = self.lookups.get(column.choices)
        if lookup is None:
            lookup = self.lookups[column.choices] = choice_lookup(column.choices)
        value = lookup.get(self._text(raw).casefold())
        if value is None:
            raise ValueError(
                _("%(value)s is not one of: %(choices)s")
                % {"value": raw, "choices": "、".join(str(c.label) for c in column.choices)}
            )
        return value

    def _floor_value(self, column, raw):
        floor = self.floors.get(self._text(raw))
        if floor is None:
            raise ValueError(_("There is no floor named %(name)s.") % {"name": raw})
        return floor

    def _section_value(self, column, raw):
        section = self.sections.get(self._text(raw))
        if section is None:
            raise ValueError(
                _("There is no section named %(name)s in this engagement.") % {"name": raw}
            )
        return section

    def _unit_value(self, column, raw):
        number = self._text(raw)
        if number not in self.unit_numbers:
            raise ValueError(_("There is no storage unit numbered %(n)s.") % {"n": number})
        return number

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
