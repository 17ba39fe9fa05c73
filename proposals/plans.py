"""The plans of the proposals stage: an alternative's layout drawn with the shared plan
drawing (``engagements.drawing.draw_plan``), the current layout, the layout warnings and the
editor's state. Moved out of ``proposals.selectors``.
"""


from django.utils.translation import gettext as _

from engagements.drawing import FloorItems, LegendEntry, PlanItem, draw_plan
from engagements.images import display_url, report_image_uri
from survey.choices import SNAP_MM
from survey.models import Desk, Floor, Furniture, Room, StorageUnit

from .choices import LayoutAction, ZoneKind
from .layout_check import IGNORE_GAP_MM, WarningGroups, bounding_box, group_warnings
from .layout_check import layout_warnings as check_layout
from .models import Alternative, CatalogueItem, LayoutItem

ACTION_FILLS = {
    LayoutAction.MOVE: "#ffe066",
    LayoutAction.NEW: "#b2f2bb",
    LayoutAction.REMOVE: "#f8d7da",
}
ZONE_FILL = "#e5dbff"


def layout_items(alternative: Alternative) -> list[LayoutItem]:
    return list(alternative.items.select_related(
        "desk", "furniture", "storage_unit", "catalogue_item").order_by("pk"))


def action_legend() -> list[LegendEntry]:
    return [LegendEntry(ACTION_FILLS[LayoutAction.MOVE], _("Moved")),
            LegendEntry(ACTION_FILLS[LayoutAction.NEW], _("New")),
            LegendEntry(ACTION_FILLS[LayoutAction.REMOVE], _("Removed"))]


# --- Plans ------------------------------------------------------------------------------------


def _image_href(floor: Floor, for_pdf: bool) -> str | None:
    if not floor.plan_image:
        return None
    if for_pdf:
        return report_image_uri(floor.plan_image.name)
    return display_url(floor.plan_image.name)


def _item_label(item: LayoutItem) -> str:
    if item.catalogue_item_id:
        return item.catalogue_entry.name
    return str(item.desk or item.furniture or item.storage_unit)


def _item_kind(item: LayoutItem) -> str:
    if item.desk_id:
        return "desk"
    if item.storage_unit_id:
        return "storage"
    return "furniture"


def alternative_plan(alternative: Alternative, floor: Floor, *, items=None, zones=None,
                     rooms=None, for_pdf: bool = False, show_removed: bool = False,
                     scope=None) -> str:
    """The alternative's layout of ``floor`` as SVG: rooms, zones, then items coloured by action
    (kept: survey colours; moved: yellow; new: green; removed: pink, only with ``show_removed``).
    """
    items = layout_items(alternative) if items is None else items
    zones = list(alternative.zones.all()) if zones is None else zones
    rooms = list(Room.objects.filter(floor=floor)) if rooms is None else rooms
    plan_items = [PlanItem.of("room", r) for r in rooms if r.floor_id == floor.pk]
    for zone in zones:
        if zone.floor_id == floor.pk:
            plan_items.append(PlanItem.of(
                "zone", zone, label=f"{zone.name} ({zone.capacity})",
                title=f"{zone.get_kind_display()} {zone.name}", fill=ZONE_FILL))
    for item in items:
        if item.floor_id != floor.pk:
            continue
        if item.action == LayoutAction.REMOVE and not show_removed:
            continue
        plan_items.append(PlanItem.of(
            _item_kind(item), item, label=_item_label(item),
            title=f"{_item_label(item)} ({item.get_action_display()})",
            fill=ACTION_FILLS.get(item.action)))
    used = {p.fill for p in plan_items}
    legend = [e for e in action_legend() if e.colour in used]
    if ZONE_FILL in used:
        legend.append(LegendEntry(ZONE_FILL, _("Zone (capacity)"), "#6f42c1"))
    return str(draw_plan(
        FloorItems(floor, plan_items, _image_href(floor, for_pdf)),
        title=f"{alternative.label} {floor.name}", legend=legend, scope=scope,
        for_print=for_pdf))


def current_plan(floor: Floor, *, for_pdf: bool = False) -> str:
    from survey.selectors import floor_plan

    return floor_plan(floor, for_pdf=for_pdf)


def floors_of(engagement) -> list[Floor]:
    return list(Floor.objects.filter(engagement=engagement))


# --- Editor -----------------------------------------------------------------------------------


def _box(item) -> object:
    return bounding_box(
        _item_label(item) if isinstance(item, LayoutItem) else str(item),
        item.x_mm, item.y_mm, item.width_mm, item.depth_mm, item.rotation_deg,
        surveyed=getattr(item, "action", None) == LayoutAction.KEEP,
    )


def layout_warnings(alternative: Alternative, floor: Floor | None = None):
    """Overlaps and narrow aisles among the items kept, moved or added (zones excepted)."""
    queryset = alternative.items.exclude(action=LayoutAction.REMOVE).select_related(
        "desk", "furniture", "storage_unit", "catalogue_item")
    if floor is not None:
        queryset = queryset.filter(floor=floor)
    warnings = []
    by_floor: dict[int, list] = {}
    for item in queryset:
        by_floor.setdefault(item.floor_id, []).append(_box(item))
    for boxes in by_floor.values():
        warnings += check_layout(boxes, alternative.min_aisle_mm)
    return warnings


def warning_groups(alternative: Alternative, floor: Floor | None = None) -> WarningGroups:
    """The layout warnings, the alternative's own apart from those inherited from the survey."""
    return group_warnings(layout_warnings(alternative, floor))


def editor_state(alternative: Alternative, floor: Floor) -> dict:
    """Everything the layout editor needs for one floor, as JSON-ready data."""
    items = [i for i in layout_items(alternative) if i.floor_id == floor.pk]
    in_layout = {i.source_key for i in items}
    state_items = []
    for item in items:
        source = item.desk or item.furniture or item.storage_unit
        state_items.append({
            "id": item.pk, "source": item.source_key, "catalogue": item.catalogue_item_id,
            "label": _item_label(item), "kind": _item_kind(item) if source else "new",
            "x": item.x_mm, "y": item.y_mm, "w": item.width_mm, "d": item.depth_mm,
            "r": item.rotation_deg, "removed": item.action == LayoutAction.REMOVE,
            "orig": [source.x_mm, source.y_mm, source.rotation_deg] if source else None,
        })
    # Survey items recorded after the alternative was made: kept where they stand.
    for name, model, kind in (("desk", Desk, "desk"), ("furniture", Furniture, "furniture"),
                              ("storage_unit", StorageUnit, "storage")):
        for obj in model.objects.filter(floor=floor).order_by("pk"):
            key = f"{name}:{obj.pk}"
            if key not in in_layout:
                state_items.append({
                    "id": None, "source": key, "catalogue": None, "label": str(obj),
                    "kind": kind, "x": obj.x_mm, "y": obj.y_mm, "w": obj.width_mm,
                    "d": obj.depth_mm, "r": obj.rotation_deg, "removed": False,
                    "orig": [obj.x_mm, obj.y_mm, obj.rotation_deg],
                })
    return {
        "floor": {"id": floor.pk, "name": floor.name, "w": floor.width_mm, "d": floor.depth_mm,
                  "image": _image_href(floor, False)},
        "rooms": [{"x": r.x_mm, "y": r.y_mm, "w": r.width_mm, "d": r.depth_mm,
                   "r": r.rotation_deg, "label": r.name}
                  for r in Room.objects.filter(floor=floor)],
        "items": state_items,
        "zones": [{"id": z.pk, "kind": z.kind, "name": z.name, "capacity": z.capacity,
                   "x": z.x_mm, "y": z.y_mm, "w": z.width_mm, "d": z.depth_mm,
                   "r": z.rotation_deg}
                  for z in alternative.zones.filter(floor=floor).order_by("pk")],
        "catalogue": [{"id": c.pk, "name": c.name, "kind": c.get_kind_display(),
                       "w": c.width_mm, "d": c.depth_mm, "price": c.unit_price_yen}
                      for c in CatalogueItem.objects.filter(
                          engagement_id=alternative.proposal.engagement_id, active=True)],
        "zoneKinds": [[k.value, str(k.label)] for k in ZoneKind],
        "minAisle": alternative.min_aisle_mm,
        "ignoreGap": IGNORE_GAP_MM,
        "snap": SNAP_MM,
    }
