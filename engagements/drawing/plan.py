"""The one way a floor plan is drawn, on screen and in the report PDF.

``draw_plan(FloorItems(floor, items), colour_of=..., label_of=..., legend=[...], scope=...,
for_print=...)`` returns a :class:`DrawnPlan`: the SVG (viewBox in real millimetres) and an
HTML legend, which render together as ``str(plan)``. Every plan of the app goes through it:
the survey plan and its editor, the proposal plans, the occupancy round and heat map, and the
procurement and disposal plans. The rules it keeps:

- the whole floor is shown (its outline, rooms and every item, even one placed beyond the
  outline), never cropped, unless the caller asks for ``focus`` (the round screen's tap size);
- a label fits its box: its size shrinks down to a readable minimum (relative to the drawing,
  so about 5 pt in the report and 9 px on a screen), below which the box shows a number and
  the legend lists the number with the label; when more than ``NUMBERED_LIMIT`` labels would
  become numbers (a floor of a thousand desks), none is drawn and the legend says how many
  were left out: a list of a thousand numbers helps nobody, the lists of the records do;
- in print (``for_print``) the SVG carries only what is drawn (no data attributes, titles or
  per-item groups): WeasyPrint copies every inherited attribute into every element, and the
  report's plans at a thousand desks per floor are what bounds its memory;
- a scale bar under the floor;
- the commission's scope (the items ``scope`` accepts) outlined with a dashed line;
- a legend entry for every colour drawn (the kinds' colours and those ``legend`` names);
- text in the body's font family (inherited on screen; the report's fonts in print).

Pure functions of their arguments: loading the items is the caller's (``survey.selectors.
plan_floor_items`` for a survey floor).
"""

import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html import escape  # the standard one: Django's lazy-aware wrapper is 5× slower

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .geometry import bounding_box

PALETTE = {
    "room": ("#f8f9fa", "#6c757d"),
    "desk": ("#cfe2ff", "#0a58ca"),
    "storage": ("#ffe5b4", "#b35c00"),
    "furniture": ("#e2e3e5", "#495057"),
    "zone": ("#e5dbff", "#6f42c1"),
}
SCOPE_STROKE = "#d63384"
TEXT = "#212529"
# Labels: the largest and the smallest size, as a share of the drawing's width. The report's
# plans are about 170 mm wide: 1/95 of that is 1.8 mm (5 pt); a screen plan of 900 px, 9.5 px.
MAX_FONT_SHARE = 1 / 55
MIN_FONT_SHARE = 1 / 95
# More labels than this too small for their boxes: they are left out rather than numbered.
NUMBERED_LIMIT = 60


def kind_labels() -> dict[str, str]:
    return {"room": _("Room"), "desk": _("Desk"), "storage": _("Storage unit"),
            "furniture": _("Furniture"), "zone": _("Zone (capacity)")}


@dataclass
class PlanItem:
    kind: str  # "desk", "storage", "furniture", "room", "zone"
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
    section_id: int | None = None
    stroke: str | None = None

    @classmethod
    def of(cls, kind: str, obj, *, label: str | None = None, title: str = "", **extra):
        extra.setdefault("section_id", getattr(obj, "section_id", None))
        return cls(
            kind=kind, pk=obj.pk, x_mm=obj.x_mm, y_mm=obj.y_mm, width_mm=obj.width_mm,
            depth_mm=obj.depth_mm, rotation_deg=obj.rotation_deg,
            label=str(obj) if label is None else label, title=title, **extra,
        )


@dataclass
class FloorItems:
    """A floor (anything with ``pk``, ``name``, ``width_mm``, ``depth_mm``) and its items."""

    floor: object
    items: list[PlanItem]
    image_href: str | None = None


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str
    stroke: str = "#495057"
    dashed: bool = False


@dataclass
class DrawnPlan:
    svg: SafeString
    legend_html: SafeString
    numbered: list[tuple[int, str]] = field(default_factory=list)  # labels shown as numbers
    legend: list[LegendEntry] = field(default_factory=list)

    def __str__(self) -> str:
        return mark_safe(f'<div class="plan-drawing">{self.svg}{self.legend_html}</div>')

    def __html__(self) -> str:
        return str(self)


def _attr(name: str, value) -> str:
    return f' {name}="{escape(str(value))}"'


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def text_width_em(text: str) -> float:
    """The width of ``text`` in ems: full-width characters 1, capitals 0.7, others 0.6."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.7 if ch.isupper() else 0.6 for ch in text)


def fit_label(label: str, width_mm: float, depth_mm: float, *, max_size: float,
              min_size: float) -> float | None:
    """The font size (mm) at which ``label`` (lines split by ``\\n``) fits the box, at most
    ``max_size``; None when it would be smaller than ``min_size``."""
    lines = label.split("\n")
    widest = max(text_width_em(line) for line in lines) or 1
    size = min(max_size, width_mm * 0.88 / widest, depth_mm * 0.8 / (1.2 * len(lines)))
    return size if size >= min_size else None


def _upright_size(item: PlanItem) -> tuple[float, float]:
    """The width and depth the upright label has to fit in (quarter turns swap them)."""
    r = item.rotation_deg % 180
    if r == 90:
        return item.depth_mm, item.width_mm
    if r == 0:
        return item.width_mm, item.depth_mm
    side = min(item.width_mm, item.depth_mm)
    return side, side


def _extent(floor, items: Sequence[PlanItem]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = 0.0, 0.0, float(floor.width_mm), float(floor.depth_mm)
    for item in items:
        box = bounding_box("", item.x_mm, item.y_mm, item.width_mm, item.depth_mm,
                           item.rotation_deg)
        x0, y0 = min(x0, box.x0), min(y0, box.y0)
        x1, y1 = max(x1, box.x1), max(y1, box.y1)
    return x0, y0, x1, y1


def _nice_length(target_mm: float) -> int:
    for metres in (1, 2, 5, 10, 20, 50, 100):
        if metres * 1000 >= target_mm:
            return metres * 1000
    return 100_000


def scale_bar(x: float, y: float, extent_w: float, font: float) -> str:
    """A bar of a round number of metres about a fifth of the drawing's width, with 0 and the
    length written under its ends."""
    length = _nice_length(extent_w / 5)
    half = length / 2
    thick = font * 0.35
    parts = [
        f'<g class="plan-scale" aria-hidden="true">'
        f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(half)}" height="{_num(thick)}"'
        f' fill="{TEXT}"/>'
        f'<rect x="{_num(x + half)}" y="{_num(y)}" width="{_num(half)}" height="{_num(thick)}"'
        f' fill="#ffffff" stroke="{TEXT}" stroke-width="{_num(thick / 4)}"/>',
    ]
    for offset, text in ((0, "0"), (half, f"{half / 1000:g}"), (length, f"{length // 1000} m")):
        parts.append(
            f'<text x="{_num(x + offset)}" y="{_num(y + thick + font * 1.1)}"'
            f' font-size="{_num(font)}" text-anchor="middle" fill="{TEXT}">{text}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def scope_outlines(items: Iterable[PlanItem], pad_mm: float) -> list[tuple[float, ...]]:
    """Rectangles around groups of neighbouring items (boxes closer than twice ``pad_mm``
    join one group), each padded by ``pad_mm``."""
    rects = []
    for item in items:
        box = bounding_box("", item.x_mm, item.y_mm, item.width_mm, item.depth_mm,
                           item.rotation_deg)
        rects.append([box.x0 - pad_mm, box.y0 - pad_mm, box.x1 + pad_mm, box.y1 + pad_mm])
    merged = True
    while merged:
        merged = False
        for i in range(len(rects)):
            for j in range(i + 1, len(rects)):
                a, b = rects[i], rects[j]
                if a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]:
                    rects[i] = [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]),
                                max(a[3], b[3])]
                    del rects[j]
                    merged = True
                    break
            if merged:
                break
    return [tuple(r) for r in rects]


def _swatch(entry: LegendEntry) -> str:
    """A small SVG square: presentation attributes, so a strict CSP leaves its colours alone."""
    dash = ' stroke-dasharray="3 2"' if entry.dashed else ""
    fill = "none" if entry.dashed else escape(entry.colour)
    return (
        '<svg class="plan-swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true"'
        ' focusable="false"'
        ' style="width:0.9em;height:0.9em;vertical-align:-0.1em;margin-right:0.25em">'
        f'<rect x="1" y="1" width="12" height="12" fill="{fill}"'
        f' stroke="{escape(entry.stroke)}" stroke-width="2"{dash}/></svg>'
    )


def _legend_html(entries: Sequence[LegendEntry], numbered: Sequence[tuple[int, str]],
                 left_out: int = 0) -> str:
    """The legend as HTML under the drawing: Bootstrap's inline list on screen, the same
    layout inline-styled for the report (which has no Bootstrap)."""
    if not entries and not numbered and not left_out:
        return ""
    item = (' class="list-inline-item"'
            ' style="display:inline-block;margin:0 1em 0.2em 0;white-space:nowrap"')
    listing = ' style="list-style:none;padding:0;margin:0.3em 0"'
    parts = [f'<ul class="plan-legend list-inline small"{listing}>']
    parts += [f"<li{item}>{_swatch(entry)}{escape(entry.label)}</li>" for entry in entries]
    parts.append("</ul>")
    if numbered:
        parts.append(f'<ul class="plan-numbers list-inline small"{listing}>')
        for number, label in numbered:
            parts.append(f'<li{item}><b>{number}</b> {escape(label.replace(chr(10), " "))}</li>')
        parts.append("</ul>")
    if left_out:
        note = _("%(count)s labels too small for the scale of this plan are not drawn; the "
                 "lists give them.") % {"count": left_out}
        parts.append(f'<p class="plan-note" style="margin:0.3em 0;font-size:0.875em">'
                     f'{escape(note)}</p>')
    return "".join(parts)


def _font_family(for_print: bool) -> str:
    if for_print:
        families = ", ".join(f"'{f}'" for f in settings.REPORT_FONT_FAMILIES)
        return _attr("font-family", f"{families}, serif")
    return ""  # inherits the page's body font


def _view_extent(floor, items, focus, focus_pad_mm) -> tuple[float, float, float, float]:
    """The part of the floor drawn: all of it, or the focused items with a margin."""
    if focus:
        fx0, fy0, fx1, fy1 = _extent(type("F", (), {"width_mm": 0, "depth_mm": 0})(), focus)
        x0 = max(min(fx0, float(floor.width_mm)) - focus_pad_mm, 0)
        y0 = max(min(fy0, float(floor.depth_mm)) - focus_pad_mm, 0)
        x1 = min(fx1 + focus_pad_mm, max(float(floor.width_mm), fx1))
        y1 = min(fy1 + focus_pad_mm, max(float(floor.depth_mm), fy1))
        return x0, y0, x1, y1
    return _extent(floor, items)


def draw_plan(
    floor_items: FloorItems,
    *,
    colour_of: Callable[[PlanItem], str | None] | None = None,
    label_of: Callable[[PlanItem], str] | None = None,
    title_of: Callable[[PlanItem], str] | None = None,
    legend: Sequence[LegendEntry | tuple[str, str]] = (),
    scope: Callable[[PlanItem], bool] | Iterable[tuple[str, int]] | None = None,
    scope_label: str | None = None,
    for_print: bool = False,
    interactive: bool = False,
    title: str = "",
    css_class: str = "plan-svg",
    focus: Sequence[PlanItem] | None = None,
    focus_pad_mm: int = 700,
    px_per_mm: float | None = None,
    kind_legend: bool = True,
    label_max_mm: float | None = None,
) -> DrawnPlan:
    """The plan of one floor; see the module's docstring for the rules.

    ``colour_of(item)`` gives an item's fill (None: its kind's colour, or ``item.fill``);
    ``label_of(item)`` its label (default ``item.label``, ``\\n`` for a second line);
    ``legend`` lists the colours ``colour_of`` uses as ``LegendEntry`` or ``(colour, label)``;
    ``scope`` is a predicate on items or a collection of ``(kind, pk)``, outlined;
    ``interactive`` makes items focusable buttons (the SVG becomes a labelled group);
    ``focus`` narrows the view to those items (round screen), with ``px_per_mm`` as the
    drawing's natural width; ``label_max_mm`` raises the largest label size (tap targets).
    """
    floor, items = floor_items.floor, list(floor_items.items)
    heading = title or floor.name
    # Ids stable from build to build (a stored report's bytes do not depend on the process).
    uid = f"{floor.pk}-{zlib.crc32(f'{heading}|{css_class}'.encode()):08x}"
    x0, y0, x1, y1 = _view_extent(floor, items, focus, focus_pad_mm)
    width, depth = x1 - x0, y1 - y0
    max_font = max(width * MAX_FONT_SHARE, label_max_mm or 0)
    min_font = width * MIN_FONT_SHARE
    margin = min_font * 1.5
    bar_space = 0 if focus else min_font * 4.5
    vx, vy = x0 - margin, y0 - margin
    vw, vh = width + 2 * margin, depth + 2 * margin + bar_space
    in_scope = _scope_predicate(scope)
    size_attr = f' width="{round(vw * px_per_mm)}"' if px_per_mm else ""
    role = (f' role="group"{_attr("aria-label", heading)}' if interactive
            else f' role="img"{_attr("aria-labelledby", f"plan-title-{uid}")}')
    lean = for_print and not interactive
    data = "" if lean else (
        f'{_attr("data-floor", floor.pk)}{_attr("data-width-mm", floor.width_mm)}'
        f'{_attr("data-depth-mm", floor.depth_mm)} preserveAspectRatio="xMidYMid meet"')
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{_num(vx)} {_num(vy)} {_num(vw)}'
        f' {_num(vh)}"{size_attr}{_attr("class", css_class)}{role}{data}'
        f'{_font_family(for_print)}>',
    ]
    if not interactive:
        parts.append(f'<title id="plan-title-{uid}">{escape(heading)}</title>')
    if focus:
        parts.append(
            f'<defs><clipPath id="plan-clip-{uid}"><rect x="{_num(vx)}"'
            f' y="{_num(vy)}" width="{_num(vw)}" height="{_num(vh)}"/></clipPath></defs>'
            f'<g clip-path="url(#plan-clip-{uid})">'
        )
    if floor_items.image_href:
        parts.append(
            f'<image{_attr("href", floor_items.image_href)} x="0" y="0"'
            f' width="{floor.width_mm}" height="{floor.depth_mm}" preserveAspectRatio="none"/>'
        )
    parts.append(
        f'<rect class="plan-outline" x="0" y="0" width="{floor.width_mm}"'
        f' height="{floor.depth_mm}" fill="{"none" if floor_items.image_href else "#ffffff"}"'
        f' stroke="{TEXT}" stroke-width="{_num(min_font / 3)}"/>'
    )
    drawn = _draw_items(items, colour_of=colour_of, label_of=label_of, title_of=title_of,
                        in_scope=in_scope, interactive=interactive, lean=lean,
                        max_font=max_font, min_font=min_font)
    parts += drawn.parts
    scoped, used_kinds, numbered = drawn.scoped, drawn.used_kinds, drawn.numbered
    if scoped:
        pad = min_font * 1.2
        for rx0, ry0, rx1, ry1 in scope_outlines(scoped, pad):
            parts.append(
                f'<rect class="plan-scope" x="{_num(rx0)}" y="{_num(ry0)}"'
                f' width="{_num(rx1 - rx0)}" height="{_num(ry1 - ry0)}" fill="none"'
                f' stroke="{SCOPE_STROKE}" stroke-width="{_num(min_font / 2.5)}"'
                f' stroke-dasharray="{_num(min_font * 1.2)} {_num(min_font * 0.6)}"'
                ' pointer-events="none"/>'
            )
    if focus:
        parts.append("</g>")
    else:
        parts.append(scale_bar(x0, y1 + margin, width, min_font * 1.4))
    parts.append("</svg>")
    entries = [LegendEntry(*e) if isinstance(e, tuple) else e for e in legend]
    if kind_legend:
        names = kind_labels()
        entries = [LegendEntry(PALETTE[k][0], names[k], PALETTE[k][1]) for k in used_kinds
                   if k in PALETTE] + entries
    if scoped:
        entries.append(LegendEntry("none", scope_label or _("Scope of the commission"),
                                   SCOPE_STROKE, dashed=True))
    return DrawnPlan(svg=mark_safe("".join(parts)),
                     legend_html=mark_safe(_legend_html(entries, numbered, drawn.left_out)),
                     numbered=numbered, legend=entries)


@dataclass
class _Drawn:
    parts: list[str]
    scoped: list[PlanItem]
    used_kinds: list[str]
    numbered: list[tuple[int, str]]
    left_out: int


def _draw_items(items: list[PlanItem], *, colour_of, label_of, title_of, in_scope,
                interactive: bool, lean: bool, max_font: float, min_font: float) -> _Drawn:
    """Every item's SVG, with what the legend needs (kinds drawn, numbers, labels left out)."""
    drawn = _Drawn([], [], [], [], 0)
    labels = [label_of(item) if label_of else item.label for item in items]
    fits = [_fit(item, label, max_font=_max_font(item, max_font), min_font=min_font)
            if label else None for item, label in zip(items, labels, strict=True)]
    unfit = sum(1 for label, fitted in zip(labels, fits, strict=True) if label and not fitted)
    numbering = drawn.numbered if unfit <= NUMBERED_LIMIT else None
    drawn.left_out = 0 if numbering is not None else unfit
    if lean:  # what every item's label shares, said once
        drawn.parts.append(f'<g text-anchor="middle" dominant-baseline="central" fill="{TEXT}"'
                           f' stroke-width="{_num(min_font / 5)}">')
    for item, label, fitted in zip(items, labels, fits, strict=True):
        if in_scope(item):
            drawn.scoped.append(item)
        fill, stroke = PALETTE.get(item.kind, PALETTE["furniture"])
        custom = colour_of(item) if colour_of else None
        if custom is None and item.fill is None and item.kind not in drawn.used_kinds:
            drawn.used_kinds.append(item.kind)
        fill = custom or item.fill or fill
        label_svg, shown = _label_svg(item, label, fitted, max_font=_max_font(item, max_font),
                                      min_font=min_font, numbered=numbering, lean=lean)
        if lean:
            drawn.parts.append(_item_print_svg(item, fill=fill, stroke=item.stroke or stroke,
                                               label_svg=label_svg))
            continue
        title = (title_of(item) if title_of else "") or item.title or label
        drawn.parts.append(_item_svg(item, fill=fill, stroke=item.stroke or stroke,
                                     label_svg=label_svg, shown=shown, title=title,
                                     interactive=interactive, min_font=min_font))
    if lean:
        drawn.parts.append("</g>")
    return drawn


def _scope_predicate(scope) -> Callable[[PlanItem], bool]:
    if scope is None:
        return lambda item: False
    if callable(scope):
        return scope
    keys = set(scope)
    return lambda item: (item.kind, item.pk) in keys


def _accessible_name(title: str, shown: str) -> str:
    """The button's name holds the text drawn on it (axe: label-content-name-mismatch)."""
    squeeze = "".join
    if shown.isdigit():  # a number standing for the label is said first ("2" is in "12人用")
        return f"{shown} {title}"
    if not shown or squeeze(shown.split()) in squeeze(title.split()):
        return title
    return f"{shown} {title}"


def _max_font(item: PlanItem, max_font: float) -> float:
    return max_font * (1.3 if item.kind == "room" else 1)


def _item_svg(item: PlanItem, *, fill: str, stroke: str, label_svg: str, shown: str,
              title: str, interactive: bool, min_font: float) -> str:
    cx, cy = item.width_mm / 2, item.depth_mm / 2
    data = "".join(_attr(f"data-{k}", v) for k, v in item.attrs.items())
    focus = (f' tabindex="0" role="button"{_attr("aria-label", _accessible_name(title, shown))}'
             if interactive else "")
    return (
        f'<g class="plan-item plan-{item.kind}"{_attr("data-kind", item.kind)}'
        f'{_attr("data-pk", item.pk)}{_attr("data-x", item.x_mm)}{_attr("data-y", item.y_mm)}'
        f'{_attr("data-w", item.width_mm)}{_attr("data-d", item.depth_mm)}'
        f'{_attr("data-r", item.rotation_deg)}{data}{focus}'
        f' transform="translate({item.x_mm} {item.y_mm})'
        f' rotate({item.rotation_deg} {_num(cx)} {_num(cy)})">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{item.width_mm}" height="{item.depth_mm}" fill="{escape(fill)}"'
        f' stroke="{escape(stroke)}" stroke-width="{_num(min_font / 5)}"/>'
        f"{label_svg}</g>"
    )


def _item_print_svg(item: PlanItem, *, fill: str, stroke: str, label_svg: str) -> str:
    """The item as drawn on paper: its box and its label, nothing for scripts or readers."""
    box = (f'<rect width="{item.width_mm}" height="{item.depth_mm}" fill="{escape(fill)}"'
           f' stroke="{escape(stroke)}"/>')
    rotate = (f" rotate({item.rotation_deg} {_num(item.width_mm / 2)} {_num(item.depth_mm / 2)})"
              if item.rotation_deg % 360 else "")
    return f'<g transform="translate({item.x_mm} {item.y_mm}){rotate}">{box}{label_svg}</g>'


def _fit(item: PlanItem, label: str, *, max_font: float, min_font: float
         ) -> tuple[str, float] | None:
    """The label as drawn in the item's box (wrapped, or its first line only) and its size;
    None when it does not fit at ``min_font``."""
    box_w, box_d = _upright_size(item)
    size = fit_label(label, box_w, box_d, max_size=max_font, min_size=min_font)
    if size is None and "\n" not in label and " " in label.strip():  # try two lines
        wrapped = label.strip().replace(" ", "\n", 1)
        size = fit_label(wrapped, box_w, box_d, max_size=max_font, min_size=min_font)
        if size is not None:
            label = wrapped
    if size is None and "\n" in label:  # a second line (a figure) goes before the name does
        first = label.split("\n")[0]
        size = fit_label(first, box_w, box_d, max_size=max_font, min_size=min_font)
        if size is not None:
            label = first
    return None if size is None else (label, size)


def _label_svg(item: PlanItem, label: str, fitted: tuple[str, float] | None, *,
               max_font: float, min_font: float, numbered: list[tuple[int, str]] | None,
               lean: bool = False) -> tuple[str, str]:
    """The <text> of the label (``fitted``: what ``_fit`` made of it) and the text it shows.
    A label too small for its box becomes a number listed in ``numbered``, or is left out when
    ``numbered`` is None."""
    if not label:
        return "", ""
    css = ""
    if fitted is None:
        if numbered is None:
            return "", ""
        box_w, box_d = _upright_size(item)
        number = len(numbered) + 1
        numbered.append((number, label))
        label = str(number)
        size = fit_label(label, box_w, box_d, max_size=max_font, min_size=0) or min_font
        size = max(size, min_font * 0.8)
        css = ' class="plan-number"'
    else:
        label, size = fitted
    lines = label.split("\n")
    cx, cy = item.width_mm / 2, item.depth_mm / 2
    if len(lines) == 1:
        position, body = f' x="{_num(cx)}" y="{_num(cy)}"', escape(label)
    else:
        top = cy - (len(lines) - 1) * size * 0.6
        position = ""
        body = "".join(
            f'<tspan x="{_num(cx)}" y="{_num(top + i * size * 1.2)}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
    if lean:  # anchor, baseline and colour come from the enclosing group
        rotate = (f' transform="rotate({-item.rotation_deg} {_num(cx)} {_num(cy)})"'
                  if item.rotation_deg % 360 else "")
        return f'<text{position} font-size="{_num(size)}"{rotate}>{body}</text>', "".join(lines)
    # The label stays upright whatever the item's rotation.
    return (
        f'<text{css}{position} font-size="{_num(size)}" text-anchor="middle"'
        f' dominant-baseline="central" fill="{TEXT}" pointer-events="none"'
        f' transform="rotate({-item.rotation_deg} {_num(cx)} {_num(cy)})">{body}</text>'
    ), "".join(lines)
