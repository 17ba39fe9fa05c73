"""Overlap and narrow-aisle warnings of a layout: pure functions, mirrored by the editor's JS.

Items are compared by their bounding boxes on the plan. Rotations of 0/90/180/270° are
exact (a quarter turn about the centre swaps width and depth); other angles use the bounding
box of the turned item, which errs towards warning. Two items closer than
``IGNORE_GAP_MM`` are taken as placed together (desks of an island, cabinets in a row), not
as an aisle; a gap from there up to the minimum aisle is a narrow aisle. Walls are not
checked. Warnings never block saving.

A warning between two items that both stand where the survey found them is *inherited*: the
alternative did not cause it (the surveyed office already has it), so the pages list those
apart and folded, and the alternative's own warnings stay readable.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .choices import LayoutAction

IGNORE_GAP_MM = 300


@dataclass(frozen=True)
class Box:
    label: str
    x0: float
    y0: float
    x1: float
    y1: float
    surveyed: bool = False  # standing where the survey found it


def bounding_box(label: str, x_mm: int, y_mm: int, width_mm: int, depth_mm: int,
                 rotation_deg: int = 0, *, surveyed: bool = False) -> Box:
    """The axis-aligned box of an item turned ``rotation_deg`` clockwise about its centre."""
    cx, cy = x_mm + width_mm / 2, y_mm + depth_mm / 2
    angle = math.radians(rotation_deg % 360)
    cos, sin = abs(math.cos(angle)), abs(math.sin(angle))
    half_w = (width_mm * cos + depth_mm * sin) / 2
    half_d = (width_mm * sin + depth_mm * cos) / 2
    # Quarter turns are exact in whole millimetres.
    return Box(label, round(cx - half_w, 3), round(cy - half_d, 3), round(cx + half_w, 3),
               round(cy + half_d, 3), surveyed)


@dataclass(frozen=True)
class LayoutWarning:
    kind: str  # "overlap" or "aisle"
    first: str
    second: str
    gap_mm: int = 0
    inherited: bool = False  # both items stand as surveyed: not caused by the alternative

    @property
    def message(self) -> str:
        if self.kind == "overlap":
            return _("%(a)s and %(b)s overlap.") % {"a": self.first, "b": self.second}
        return _("The aisle between %(a)s and %(b)s is only %(gap)s mm.") % {
            "a": self.first, "b": self.second, "gap": f"{self.gap_mm:,}",
        }


def layout_warnings(boxes: Iterable[Box], min_aisle_mm: int) -> list[LayoutWarning]:
    """Every overlapping pair and every pair with a narrow aisle between them.

    A sweep along x keeps the work near-linear for a city-scale floor of hundreds of items.
    """
    ordered = sorted(boxes, key=lambda b: (b.x0, b.y0))
    warnings = []
    for index, a in enumerate(ordered):
        for b in ordered[index + 1:]:
            if b.x0 >= a.x1 + min_aisle_mm:
                break
            overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
            overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
            if overlap_x > 0 and overlap_y > 0:
                warnings.append(LayoutWarning("overlap", a.label, b.label,
                                              inherited=a.surveyed and b.surveyed))
                continue
            if overlap_x > 0:
                gap = -overlap_y
            elif overlap_y > 0:
                gap = -overlap_x
            else:
                continue  # diagonal neighbours: no aisle between them
            if IGNORE_GAP_MM <= gap < min_aisle_mm:
                warnings.append(LayoutWarning("aisle", a.label, b.label, int(round(gap)),
                                              inherited=a.surveyed and b.surveyed))
    return warnings


@dataclass(frozen=True)
class WarningGroups:
    """The warnings of a layout as the pages show them: the alternative's own first
    (overlaps, then the narrowest aisles), and those inherited from the survey apart."""

    own: list[LayoutWarning]
    inherited: list[LayoutWarning]

    @property
    def count(self) -> int:
        return len(self.own) + len(self.inherited)

    def __bool__(self) -> bool:
        return bool(self.count)


def group_warnings(warnings: Iterable[LayoutWarning]) -> WarningGroups:
    def order(w: LayoutWarning):
        return (w.kind != "overlap", w.gap_mm)

    warnings = sorted(warnings, key=order)
    return WarningGroups(own=[w for w in warnings if not w.inherited],
                         inherited=[w for w in warnings if w.inherited])


# --- An alternative's layout ------------------------------------------------------------------


def item_box(item) -> Box:
    """The box of a layout item or zone; an item standing as surveyed is marked so."""
    return bounding_box(
        getattr(item, "plan_label", None) or str(item),
        item.x_mm, item.y_mm, item.width_mm, item.depth_mm, item.rotation_deg,
        surveyed=getattr(item, "action", None) == LayoutAction.KEEP,
    )


def alternative_layout_warnings(alternative, floor=None) -> list[LayoutWarning]:
    """Overlaps and narrow aisles among the items kept, moved or added (zones excepted).

    Read by the pages (``selectors.warning_groups``) and returned by ``services.layout_save``.
    """
    queryset = alternative.items.exclude(action=LayoutAction.REMOVE).select_related(
        "desk", "furniture", "storage_unit", "catalogue_item")
    if floor is not None:
        queryset = queryset.filter(floor=floor)
    by_floor: dict[int, list[Box]] = {}
    for item in queryset:
        by_floor.setdefault(item.floor_id, []).append(item_box(item))
    warnings: list[LayoutWarning] = []
    for boxes in by_floor.values():
        warnings += layout_warnings(boxes, alternative.min_aisle_mm)
    return warnings
