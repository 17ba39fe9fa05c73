"""A floor's plan as SVG, in real millimetres: the image or outline, and every placed item.

Pure functions returning SVG strings, used by the plan editor, the occupancy round screen and
heat map (engineer B) and the report. The viewBox is the floor in mm, so the browser and
WeasyPrint scale it; each item is a rect in mm turned about its centre.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.html import escape

PALETTE = {
    "room": ("#f8f9fa", "#6c757d"),
    "desk": ("#cfe2ff", "#0a58ca"),
    "storage": ("#ffe5b4", "#b35c00"),
    "furniture": ("#e2e3e5", "#495057"),
}


@dataclass
class PlanItem:
    kind: str  # "desk", "storage", "furniture", "room"
    pk: int
    x_mm: int
    y_mm: int
    width_mm: int
    depth_mm: int
    rotation_deg: int = 0
    label: str = ""
    title: str = ""
    fill: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, kind: str, obj, *, label: str | None = None, title: str = "", **extra):
        return cls(
            kind=kind, pk=obj.pk, x_mm=obj.x_mm, y_mm=obj.y_mm, width_mm=obj.width_mm,
            depth_mm=obj.depth_mm, rotation_deg=obj.rotation_deg,
            label=str(obj) if label is None else label, title=title, **extra,
        )


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
        for obj in sources[kind]:
            title = f"{obj} {obj.section}" if getattr(obj, "section", None) else str(obj)
            items.append(PlanItem.of(kind, obj, title=title, fill=fills.get((kind, obj.pk))))
    return items


def _attr(name: str, value) -> str:
    return f' {name}="{escape(str(value))}"'


def plan_svg(floor, items: Iterable[PlanItem], *, image_href: str | None = None,
             interactive: bool = False, title: str = "", css_class: str = "plan-svg",
             font_mm: int | None = None) -> str:
    """The SVG of ``floor`` with ``items`` drawn over its image or outline.

    ``interactive`` marks items focusable (tabindex) and adds data attributes for the editor;
    ``fill`` on an item overrides its colour (heat maps); ``attrs`` adds data attributes.
    """
    width, depth = floor.width_mm, floor.depth_mm
    font = font_mm or max(120, min(width, depth) // 40)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {depth}"'
        f'{_attr("class", css_class)} role="img"{_attr("aria-label", title or floor.name)}'
        f'{_attr("data-floor", floor.pk)}{_attr("data-width-mm", width)}'
        f'{_attr("data-depth-mm", depth)} preserveAspectRatio="xMidYMid meet"'
        ' font-family="IPAexGothic, \'Noto Sans CJK JP\', sans-serif">',
        f"<title>{escape(title or floor.name)}</title>",
    ]
    if image_href:
        parts.append(
            f'<image{_attr("href", image_href)} x="0" y="0" width="{width}" height="{depth}"'
            ' preserveAspectRatio="none"/>'
        )
    parts.append(
        f'<rect class="plan-outline" x="0" y="0" width="{width}" height="{depth}" '
        f'fill="{"none" if image_href else "#ffffff"}" stroke="#212529"'
        f' stroke-width="{font // 4}"/>'
    )
    for item in items:
        fill, stroke = PALETTE.get(item.kind, PALETTE["furniture"])
        fill = item.fill or fill
        cx, cy = item.width_mm / 2, item.depth_mm / 2
        data = "".join(_attr(f"data-{k}", v) for k, v in item.attrs.items())
        focus = ' tabindex="0" role="button"' if interactive else ""
        label_attr = _attr("aria-label", item.title or item.label) if interactive else ""
        parts.append(
            f'<g class="plan-item plan-{item.kind}"{_attr("data-kind", item.kind)}'
            f'{_attr("data-pk", item.pk)}{_attr("data-x", item.x_mm)}{_attr("data-y", item.y_mm)}'
            f'{_attr("data-w", item.width_mm)}{_attr("data-d", item.depth_mm)}'
            f'{_attr("data-r", item.rotation_deg)}{data}{focus}{label_attr}'
            f' transform="translate({item.x_mm} {item.y_mm})'
            f' rotate({item.rotation_deg} {cx} {cy})">'
            f"<title>{escape(item.title or item.label)}</title>"
            f'<rect width="{item.width_mm}" height="{item.depth_mm}" fill="{escape(fill)}"'
            f' stroke="{stroke}" stroke-width="{font // 6}"/>'
        )
        if item.label:
            size = font * (1.3 if item.kind == "room" else 1)
            size = min(size, item.depth_mm * 0.6, item.width_mm * 1.8 / max(len(item.label), 1))
            # The label stays upright whatever the item's rotation.
            parts.append(
                f'<text x="{cx}" y="{cy}" font-size="{int(size)}" text-anchor="middle"'
                f' dominant-baseline="central" fill="#212529" pointer-events="none"'
                f' transform="rotate({-item.rotation_deg} {cx} {cy})">{escape(item.label)}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
