"""Overlap and narrow-aisle warnings of a layout: moved to the shared plan geometry
``engagements.drawing.geometry`` (mirrored by ``static/js/plan_core.js``); the names stay here
for the proposals code and the pages grouping the warnings."""

from collections.abc import Iterable
from dataclasses import dataclass

from engagements.drawing.geometry import (
    IGNORE_GAP_MM,
    Box,
    LayoutWarning,
    bounding_box,
    layout_warnings,
)

from .choices import LayoutAction

__all__ = ["IGNORE_GAP_MM", "Box", "LayoutWarning", "WarningGroups", "alternative_layout_warnings",
           "bounding_box", "item_box",
           "group_warnings", "layout_warnings"]


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
