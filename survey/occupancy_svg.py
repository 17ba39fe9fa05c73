"""SVG charts of the occupancy study and the questionnaire, built as strings in Python.

The same markup is embedded inline in the pages and in the WeasyPrint report, so it uses only
plain SVG (rect, line, text, title) with explicit sizes and fonts; no script, no CSS classes.
Each chart carries a <title> and a <desc>, and the pages show the figures as a table as well.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe

FONT = "'Noto Sans CJK JP', 'IPAexGothic', sans-serif"
TEXT = "#212529"
GRID = "#ced4da"
# Colour scale of the heat map: low occupancy light, high dark (blue, readable in grey print).
# The darkest stop stays light enough for the plan's dark desk labels to be read on it.
HEAT_STOPS = ((0.0, (247, 251, 255)), (0.5, (158, 202, 225)), (1.0, (66, 146, 198)))
# Answers 1..5: red (dissatisfied) through grey to blue (satisfied), a diverging scale.
SCORE_COLOURS = ("#d7301f", "#fc8d59", "#d9d9d9", "#91bfdb", "#4575b4")


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="{FONT}" '
        f'class="occupancy-chart">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
        + "".join(body)
        + "</svg>"
    )


def _text(x, y, text, *, size=12, anchor="start", fill=TEXT, weight="normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}">{escape(str(text))}</text>'
    )


def _series_description(categories, series, value_format) -> str:
    """The chart's figures as text (the SVG's <desc>), for screen readers and text search."""
    return "; ".join(
        f"{category}: "
        + ", ".join(
            f"{label} {'—' if values[i] is None else value_format(values[i])}"
            for label, _colour, values in series
        )
        for i, category in enumerate(categories)
    )


def heat_colour(rate: float | None) -> str:
    """The heat-map fill for an occupancy rate 0..1 (None: not observed → white)."""
    if rate is None:
        return "#ffffff"
    rate = min(max(rate, 0.0), 1.0)
    for (lo, c_lo), (hi, c_hi) in zip(HEAT_STOPS, HEAT_STOPS[1:], strict=False):
        if rate <= hi:
            t = (rate - lo) / (hi - lo)
            rgb = tuple(round(a + (b - a) * t) for a, b in zip(c_lo, c_hi, strict=True))
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#{:02x}{:02x}{:02x}".format(*HEAT_STOPS[-1][1])


def heat_text_colour(rate: float | None) -> str:
    return "#ffffff" if rate is not None and rate > 0.55 else TEXT


def heat_legend(*, title: str, width: int = 320) -> SafeString:
    """A horizontal 0–100% colour bar for the heat map."""
    steps = 10
    cell = (width - 40) / steps
    body = [_text(0, 14, title, size=12)]
    for i in range(steps):
        rate = (i + 0.5) / steps
        body.append(
            f'<rect x="{20 + i * cell:.1f}" y="22" width="{cell:.1f}" height="14" '
            f'fill="{heat_colour(rate)}" stroke="#ffffff" stroke-width="0.5"/>'
        )
    for i in range(0, steps + 1, 5):
        body.append(_text(20 + i * cell, 50, f"{i * 10}%", size=11, anchor="middle"))
    return _svg(width, 56, title, title, body)


def grouped_bar_chart(
    *,
    title: str,
    categories: list[str],
    series: list[tuple[str, str, list[float | None]]],
    max_value: float,
    value_format=lambda v: f"{v:.0%}",
    ticks: list[float] | None = None,
    label_width: int = 190,
    width: int = 640,
    bar_height: int = 14,
    reference: tuple[float, str] | None = None,
) -> SafeString:
    """Horizontal bars: for each category one bar per series (label, colour, values).

    A value of None draws no bar and writes "—". ``reference`` draws a dashed line at a value
    with its label (for example the typical 50% occupancy).
    """
    plot_left = label_width
    plot_right = width - 56
    plot_width = plot_right - plot_left
    legend_height = 22
    group_height = bar_height * len(series) + 10
    top = legend_height + 8
    height = top + group_height * len(categories) + (42 if reference else 26)
    ticks = ticks if ticks is not None else [max_value * i / 4 for i in range(5)]

    def x_of(value: float) -> float:
        return plot_left + plot_width * (value / max_value if max_value else 0)

    body = []
    legend_x = plot_left
    for label, colour, _values in series:
        body.append(
            f'<rect x="{legend_x}" y="4" width="12" height="12" fill="{colour}"/>'
        )
        body.append(_text(legend_x + 16, 15, label, size=11))
        legend_x += 28 + 12 * len(label)
    grid_bottom = top + group_height * len(categories)
    for tick in ticks:
        x = x_of(tick)
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{grid_bottom}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(x, grid_bottom + 16, value_format(tick), size=11, anchor="middle"))
    for index, category in enumerate(categories):
        y0 = top + index * group_height + 5
        body.append(
            _text(plot_left - 8, y0 + group_height / 2, category, size=12, anchor="end")
        )
        for s_index, (label, colour, values) in enumerate(series):
            value = values[index]
            y = y0 + s_index * bar_height
            if value is None:
                body.append(_text(plot_left + 4, y + bar_height - 3, "—", size=11))
                continue
            w = max(x_of(value) - plot_left, 0)
            body.append(
                f'<rect x="{plot_left}" y="{y:.1f}" width="{w:.1f}" '
                f'height="{bar_height - 2}" fill="{colour}">'
                f"<title>{escape(category)} {escape(label)}: {escape(value_format(value))}"
                "</title></rect>"
            )
            body.append(
                _text(plot_left + w + 4, y + bar_height - 3, value_format(value), size=11)
            )
    if reference is not None:
        value, label = reference
        x = x_of(value)
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{grid_bottom}" '
            f'stroke="#dc3545" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
        body.append(_text(x, grid_bottom + 32, label, size=10, anchor="middle", fill="#dc3545"))
    return _svg(width, height, title, _series_description(categories, series, value_format), body)


def column_chart(
    *,
    title: str,
    categories: list[str],
    series: list[tuple[str, str, list[float | None]]],
    max_value: float = 1.0,
    value_format=lambda v: f"{v:.0%}",
    width: int = 640,
    height: int = 240,
) -> SafeString:
    """Vertical bars per category (for example per time of day), one bar per series."""
    left, right, top, bottom = 44, 8, 28, 36
    plot_w = width - left - right
    plot_h = height - top - bottom
    group_w = plot_w / max(len(categories), 1)
    bar_w = max((group_w - 6) / max(len(series), 1), 2)
    body = []
    legend_x = left
    for label, colour, _values in series:
        body.append(f'<rect x="{legend_x}" y="4" width="12" height="12" fill="{colour}"/>')
        body.append(_text(legend_x + 16, 15, label, size=11))
        legend_x += 28 + 12 * len(label)
    for i in range(5):
        value = max_value * i / 4
        y = top + plot_h - plot_h * i / 4
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(left - 4, y + 4, value_format(value), size=10, anchor="end"))
    for c_index, category in enumerate(categories):
        x0 = left + c_index * group_w + 3
        for s_index, (label, colour, values) in enumerate(series):
            value = values[c_index]
            if value is None:
                continue
            h = plot_h * (value / max_value if max_value else 0)
            x = x0 + s_index * bar_w
            body.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 1:.1f}" '
                f'height="{h:.1f}" fill="{colour}"><title>{escape(category)} {escape(label)}: '
                f"{escape(value_format(value))}</title></rect>"
            )
        body.append(
            _text(x0 + (group_w - 6) / 2, top + plot_h + 16, category, size=11, anchor="middle")
        )
    return _svg(width, height, title, _series_description(categories, series, value_format), body)


def distribution_chart(
    *,
    title: str,
    rows: list[tuple[str, list[int]]],
    answer_labels: list[str],
    label_width: int = 230,
    width: int = 640,
) -> SafeString:
    """100% stacked bars: for each item the share of answers 1..5 (counts per answer)."""
    plot_left, plot_right = label_width, width - 10
    plot_w = plot_right - plot_left
    row_h = 22
    top = 28
    height = top + row_h * len(rows) + 24
    body = []
    legend_x = plot_left
    for index, label in enumerate(answer_labels):
        body.append(
            f'<rect x="{legend_x}" y="4" width="12" height="12" fill="{SCORE_COLOURS[index]}"/>'
        )
        body.append(_text(legend_x + 15, 15, label, size=10))
        legend_x += 22 + 11 * len(label)
    for r_index, (label, counts) in enumerate(rows):
        y = top + r_index * row_h
        total = sum(counts)
        body.append(_text(plot_left - 8, y + 14, label, size=12, anchor="end"))
        x = plot_left
        for a_index, count in enumerate(counts):
            if not total or not count:
                continue
            w = plot_w * count / total
            body.append(
                f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" '
                f'fill="{SCORE_COLOURS[a_index]}"><title>{escape(label)} '
                f"{a_index + 1}: {count}</title></rect>"
            )
            if w >= 22:
                body.append(
                    _text(x + w / 2, y + 15, f"{count / total:.0%}", size=9, anchor="middle")
                )
            x += w
    for i in range(5):
        x = plot_left + plot_w * i / 4
        body.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + row_h * len(rows)}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
        )
        body.append(_text(x, top + row_h * len(rows) + 16, f"{i * 25}%", size=10, anchor="middle"))
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{i + 1}={c}" for i, c in enumerate(counts))
        for label, counts in rows
    )
    return _svg(width, height, title, desc, body)


def crop_to_items(
    svg: str,
    floor,
    items,
    *,
    pad_mm: int = 700,
    px_per_mm: float | None = None,
    aspect: float | None = None,
) -> str:
    """Narrow a floor plan's viewBox to the part holding ``items`` (with a margin).

    The studied desks are often a corner of a large floor; cropping makes them large enough
    to tap on a tablet and to read in the report. Rotated items count with their longer side.
    ``px_per_mm`` gives the drawing a natural width (the page still caps it at 100%).
    ``aspect`` (width / height of the figure it fills) widens the narrower side, within the
    floor, so the part shown fills the figure with its surroundings instead of blank paper.
    Everything is clipped to the part shown: WeasyPrint does not clip an SVG to its viewBox,
    and walls or rooms outside it would otherwise be drawn across the page.
    """
    if not items:
        return svg
    left = min(i.x_mm - max(0, max(i.width_mm, i.depth_mm) - i.width_mm) for i in items)
    top = min(i.y_mm - max(0, max(i.width_mm, i.depth_mm) - i.depth_mm) for i in items)
    right = max(i.x_mm + max(i.width_mm, i.depth_mm) for i in items)
    bottom = max(i.y_mm + max(i.width_mm, i.depth_mm) for i in items)
    x0, y0 = max(0, left - pad_mm), max(0, top - pad_mm)
    x1 = min(floor.width_mm, right + pad_mm)
    y1 = min(floor.depth_mm, bottom + pad_mm)
    if aspect:
        x0, x1 = _widen(x0, x1, (y1 - y0) * aspect, floor.width_mm)
        y0, y1 = _widen(y0, y1, (x1 - x0) / aspect, floor.depth_mm)
    old = f'viewBox="0 0 {floor.width_mm} {floor.depth_mm}"'
    new = f'viewBox="{x0} {y0} {x1 - x0} {y1 - y0}"'
    if px_per_mm:
        new += f' width="{round((x1 - x0) * px_per_mm)}"'
    clip_id = f"crop-{floor.pk}-{x0}-{y0}"
    clip = (
        f'<defs><clipPath id="{clip_id}"><rect x="{x0}" y="{y0}" width="{x1 - x0}" '
        f'height="{y1 - y0}"/></clipPath></defs><g clip-path="url(#{clip_id})">'
    )
    svg = svg.replace(old, new, 1)
    # The clip group opens after the drawing's <title>, which stays its first child.
    head, sep, body = svg.partition("</title>")
    body = body[: body.rindex("</svg>")]
    return f"{head}{sep}{clip}{body}</g></svg>"


def _widen(lo: int, hi: int, wanted: float, limit: int) -> tuple[int, int]:
    """Grow [lo, hi] about its centre to ``wanted`` long, shifted to stay within 0..limit."""
    wanted = min(round(wanted), limit)
    if hi - lo >= wanted:
        return lo, hi
    lo = max(0, round((lo + hi - wanted) / 2))
    hi = lo + wanted
    if hi > limit:
        lo, hi = limit - wanted, limit
    return lo, hi
