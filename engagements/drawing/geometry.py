"""Plan geometry shared by every stage: bounding boxes, layout warnings, keeping items on the
floor and finding a free spot. Pure functions in millimetres, mirrored by ``static/js/
plan_core.js`` (``tests/engagements/test_plan_core_parity.py`` runs both on the same cases).

Items are compared by their bounding boxes on the plan. Rotations of 0/90/180/270° are exact
(a quarter turn about the centre swaps width and depth); other angles use the bounding box of
the turned item, which errs towards warning. Two items closer than ``IGNORE_GAP_MM`` are taken
as placed together (desks of an island, cabinets in a row), not as an aisle; a gap from there
up to the minimum aisle is a narrow aisle. Walls are not checked. Warnings never block saving.

A warning between two items that both stand where the survey found them is *inherited*: the
alternative did not cause it (the surveyed office already has it).
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

IGNORE_GAP_MM = 300
SNAP_MM = 10


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


def storage_capacity_fm(width_mm: int | None, shelf_count: int | None) -> Decimal:
    """Capacity in file metres: shelf width in metres times the number of shelves (DOMAIN.md)."""
    if not width_mm or not shelf_count:
        return Decimal("0.00")
    return (Decimal(width_mm) / 1000 * shelf_count).quantize(Decimal("0.01"))


def snap(value_mm: float, step: int = SNAP_MM) -> int:
    return int(round(float(value_mm) / step) * step)


def clamp_inside(x_mm: int, y_mm: int, width_mm: int, depth_mm: int, rotation_deg: int,
                 floor_width_mm: int, floor_depth_mm: int) -> tuple[int, int]:
    """The nearest position at which the turned item lies wholly on the floor.

    An item larger than the floor is kept at the floor's top-left edge.
    """
    box = bounding_box("", x_mm, y_mm, width_mm, depth_mm, rotation_deg)
    dx = dy = 0.0
    if box.x1 > floor_width_mm:
        dx = floor_width_mm - box.x1
    if box.x0 + dx < 0:
        dx = -box.x0
    if box.y1 > floor_depth_mm:
        dy = floor_depth_mm - box.y1
    if box.y0 + dy < 0:
        dy = -box.y0
    return int(math.ceil(x_mm + dx)) if dx > 0 else int(math.floor(x_mm + dx)), (
        int(math.ceil(y_mm + dy)) if dy > 0 else int(math.floor(y_mm + dy)))


def is_inside(x_mm: int, y_mm: int, width_mm: int, depth_mm: int, rotation_deg: int,
              floor_width_mm: int, floor_depth_mm: int) -> bool:
    box = bounding_box("", x_mm, y_mm, width_mm, depth_mm, rotation_deg)
    return box.x0 >= 0 and box.y0 >= 0 and box.x1 <= floor_width_mm and box.y1 <= floor_depth_mm


FREE_MARGIN_MM = 200  # the wall and the neighbours keep this distance from a new item
FREE_STEP_MM = 100


def first_free_spot(floor_width_mm: int, floor_depth_mm: int, width_mm: int, depth_mm: int,
                    occupied: Sequence[Box], *, margin_mm: int = FREE_MARGIN_MM,
                    step_mm: int = FREE_STEP_MM) -> tuple[int, int] | None:
    """The top-left corner of the first free place for an unturned ``width × depth`` item.

    Scanned row by row from the top-left corner in ``step_mm`` steps, keeping ``margin_mm``
    from the walls and from every occupied box; None when the floor has no such place.
    """
    blocked = sorted(occupied, key=lambda b: b.x0)
    y = margin_mm
    while y + depth_mm + margin_mm <= floor_depth_mm:
        row = [b for b in blocked if b.y0 - margin_mm < y + depth_mm and b.y1 + margin_mm > y]
        x = margin_mm
        while x + width_mm + margin_mm <= floor_width_mm:
            hit = next((b for b in row
                        if b.x0 - margin_mm < x + width_mm and b.x1 + margin_mm > x), None)
            if hit is None:
                return x, y
            # Jump past the item in the way, to the next step.
            x = max(x + step_mm, int(math.ceil((hit.x1 + margin_mm) / step_mm)) * step_mm)
        y += step_mm
    return None
