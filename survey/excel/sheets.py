"""The survey workbook's sheets and columns, and the text rules shared by export and import.

Text typed with a Japanese IME (full-width digits and spaces) is normalised with NFKC before
it is read.
"""

import functools
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import (
    Condition,
    DeskType,
    Disposition,
    Retention,
    StorageKind,
    UnderDeskStorage,
    UserRole,
)

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


def is_example(value) -> bool:
    """The template's example rows start with 例; the import skips them."""
    return isinstance(value, str) and value.startswith(EXAMPLE_PREFIX)


def normalise(value):
    """NFKC for text (full-width digits and spaces to ASCII), trimmed; blank becomes None."""
    if isinstance(value, str):
        value = " ".join(unicodedata.normalize("NFKC", value).split())
        return value or None
    return value


def choice_lookup(choices) -> dict[str, str]:
    """Japanese label, English label and stored value, all normalised, to the stored value.

    Built once per choice class and language (an import asks for it on every cell).
    """
    return _choice_lookup(choices, translation.get_language())


@functools.cache
def _choice_lookup(choices, _language) -> dict[str, str]:
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


_HEADERS: dict[tuple[str, str], dict[str, str]] = {}


def column_headers(spec: SheetSpec) -> dict[str, str]:
    """Column key → header as shown in the active language (translated once per language).

    Keyed by the sheet's key: hashing the spec would translate every lazy header again.
    """
    key = (spec.key, translation.get_language())
    headers = _HEADERS.get(key)
    if headers is None:
        headers = _HEADERS[key] = {column.key: str(column.header) for column in spec.columns}
    return headers
