"""A survey floor's items for the shared plan drawing (``engagements.drawing``).

``floor_items`` loads a floor's placed items as ``PlanItem``s; ``plan_svg`` is the old name of
``draw_plan`` kept for the callers that pass a floor and items (it returns the SVG with its
legend). New code calls ``survey.selectors.plan_floor_items`` and ``draw_plan`` directly.
"""

from collections.abc import Callable, Iterable

from engagements.drawing.plan import PALETTE, FloorItems, PlanItem, draw_plan

__all__ = ["PALETTE", "PlanItem", "floor_items", "plan_svg"]


def floor_items(floor, *, kinds: Iterable[str] = ("room", "storage", "furniture", "desk"),
                fills: dict[tuple[str, int], str] | None = None) -> list[PlanItem]:
    """The placed items of ``floor`` (one query per kind), rooms first so desks draw on top."""
    from .models import Desk, Furniture, Room, StorageUnit

    fills = fills or {}
    sources = {
        "room": Room.objects.filter(floor=floor),
        "storage": StorageUnit.objects.filter(floor=floor).select_related("section"),
        "furniture": Furniture.objects.filter(floor=floor).select_related("section"),
        "desk": Desk.objects.filter(floor=floor).select_related("section"),
    }
    items = []
    for kind in kinds:
        for obj in sources[kind].order_by("pk"):
            title = f"{obj} {obj.section}" if getattr(obj, "section", None) else str(obj)
            items.append(PlanItem.of(kind, obj, title=title, fill=fills.get((kind, obj.pk))))
    return items


def plan_svg(floor, items: Iterable[PlanItem], *, image_href: str | None = None,
             interactive: bool = False, title: str = "", css_class: str = "plan-svg",
             font_mm: int | None = None, scope: Callable | None = None,
             for_print: bool = False) -> str:
    """The plan of ``floor`` with ``items`` (``font_mm`` is ignored: labels fit their boxes)."""
    return str(draw_plan(FloorItems(floor, list(items), image_href), interactive=interactive,
                         title=title, css_class=css_class, scope=scope, for_print=for_print))
