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

__all__ = ["IGNORE_GAP_MM", "Box", "LayoutWarning", "WarningGroups", "bounding_box",
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
