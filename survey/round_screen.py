"""The occupancy round screen's heavy parts, built in Python: the plan of each floor (the
shared plan drawing) and the list of desks with their state <select>s. At city scale (2,250
desks) the template loop over desks and options took most of the page's time, and a study of
more than ``FLOOR_PAGE_DESKS`` desks is shown one floor at a time (the service keeps the states
of the desks not posted).
"""

from dataclasses import dataclass
from html import escape

from django.db.models import Count
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from engagements.drawing import FloorItems, PlanItem, draw_plan

from .models.occupancy import STATE_COLOURS, DeskState

FLOOR_PAGE_DESKS = 300
ROUND_PX_PER_MM = 0.1
ROUND_LABEL_MM = 300  # desk numbers about 30 px high on the round screen


@dataclass
class RoundDesk:
    """What the screen reads of a desk: plain values, no model instance (city scale)."""

    pk: int
    number: str
    floor_id: int
    section: str | None
    x_mm: int
    y_mm: int
    width_mm: int
    depth_mm: int
    rotation_deg: int
    floor: object = None


@dataclass
class FloorPage:
    floor: object
    desk_count: int
    current: bool


def floor_pages(study, floor_pk: str | None) -> tuple[list[RoundDesk], list[FloorPage]]:
    """The desks to show (in plan order: floor, then number) and the floors to page through
    (empty when one page holds all). Three queries: the count per floor, the floors, the
    desks."""
    from .models import Floor
    from .selectors.occupancy import study_desk_queryset

    queryset = study_desk_queryset(study)
    counts = dict(queryset.values_list("floor_id").annotate(n=Count("pk")).order_by())
    floors = list(Floor.objects.filter(pk__in=counts).order_by("sort_order", "name"))
    pages = []
    if sum(counts.values()) > FLOOR_PAGE_DESKS and len(floors) > 1:
        chosen = next((f for f in floors if str(f.pk) == (floor_pk or "")), floors[0])
        pages = [FloorPage(f, counts[f.pk], f.pk == chosen.pk) for f in floors]
        queryset = queryset.filter(floor=chosen)
    by_pk = {f.pk: f for f in floors}
    rows = queryset.order_by("floor__sort_order", "floor__name", "number").values_list(
        "pk", "number", "floor_id", "section__name", "x_mm", "y_mm", "width_mm", "depth_mm",
        "rotation_deg")
    return [RoundDesk(*row, floor=by_pk[row[2]]) for row in rows], pages


def round_plans(desks, current: dict[int, str], *, editable: bool) -> list[dict]:
    """Per floor, the studied desks coloured by state (cropped to them for tap size)."""
    floors: dict[int, dict] = {}
    for desk in desks:
        entry = floors.setdefault(desk.floor_id, {"floor": desk.floor, "items": []})
        state = current.get(desk.pk, "")
        entry["items"].append(PlanItem(
            kind="desk", pk=desk.pk, x_mm=desk.x_mm, y_mm=desk.y_mm, width_mm=desk.width_mm,
            depth_mm=desk.depth_mm, rotation_deg=desk.rotation_deg, label=desk.number,
            title=f"{desk.number} {desk.section or ''}".strip(),
            fill=STATE_COLOURS.get(state, "#ffffff"), attrs={"desk": desk.pk, "state": state},
        ))
    return [
        {
            "floor": entry["floor"],
            "svg": str(draw_plan(
                FloorItems(entry["floor"], entry["items"]), interactive=editable,
                title=_("Desks of %(floor)s") % {"floor": entry["floor"].name},
                css_class="plan-svg occupancy-round-plan", focus=entry["items"],
                px_per_mm=ROUND_PX_PER_MM, kind_legend=False, label_max_mm=ROUND_LABEL_MM,
            )),
        }
        for entry in sorted(floors.values(),
                            key=lambda e: (e["floor"].sort_order, e["floor"].name))
    ]


def desk_rows(form, current: dict[int, str], *, editable: bool) -> SafeString:
    """The <tr>s of the desk list: number, section, and the state's <select> (or its name)."""
    labels = dict(DeskState.choices)
    choices = [("", _("Not recorded")), *DeskState.choices]
    options = {
        value: "".join(
            f'<option value="{escape(v)}"{" selected" if v == value else ""}>'
            f"{escape(str(label))}</option>"
            for v, label in choices
        )
        for value in ["", *DeskState.values]
    }
    errors = form.errors if form.is_bound else {}
    rows = []
    for desk in form.desks:
        name = f"desk_{desk.pk}"
        value = current.get(desk.pk, "")
        field_errors = errors.get(name, [])
        number = escape(desk.number)
        if editable:
            cell = (f'<select class="form-select" name="{name}" id="id_{name}"'
                    f' data-desk="{desk.pk}" data-number="{number}">'
                    f'{options.get(value, options[""])}</select>')
        else:
            cell = escape(str(labels.get(value, _("Not recorded"))))
        messages = "".join(
            f'<div class="text-danger small">{escape(str(e))}</div>' for e in field_errors
        )
        marked = ' class="table-danger"' if field_errors else ""
        rows.append(
            f'<tr{marked}><th scope="row">'
            f'<label for="id_{name}">{number}</label></th>'
            f"<td>{escape(desk.section or '—')}</td><td>{cell}{messages}</td></tr>"
        )
    return mark_safe("".join(rows))
