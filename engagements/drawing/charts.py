"""The one chart module: small SVG charts with Japanese labels, as strings built in Python.

Used in the pages and in the WeasyPrint report (survey volumes, occupancy, questionnaire, and
the later stages), so they draw only rects, lines and text with explicit sizes and the body's
font family (no CSS, no script). Each chart carries a title; the occupancy and questionnaire
charts also a <desc> with their figures, and the pages show them as a table as well.
"""

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

# The body's families (static/css/app.css) with the report's fonts (settings) before them.
FONT = ("IPAexGothic, 'Noto Sans CJK JP', system-ui, 'Hiragino Sans', 'Yu Gothic UI', "
        "Meiryo, sans-serif")
COLOURS = ["#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#dc3545", "#20c997", "#6c757d"]


def _number(value) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    return f"{Decimal(str(value or 0)):,.1f}"


def _chart_open(width: int, height: int, title: str) -> list[str]:
    """The opening <svg> of a volume chart, with its title written above the bars."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"'
        f' font-family="{FONT}" font-size="12" class="chart">'
    ]
    if title:
        parts.append(f'<text x="0" y="18" font-size="14" font-weight="bold">{escape(title)}</text>')
    return parts


def hbar_chart(rows: Sequence[tuple[str, object]], *, unit: str = "", title: str = "",
               benchmark: object | None = None, benchmark_label: str = "",
               width: int = 640, colour: str = COLOURS[0]) -> str:
    """A horizontal bar per (label, value), values written at the bar's end.

    ``benchmark`` draws a dashed vertical line (for example 8.4 fm per person).
    """
    bar, gap, label_w, top = 22, 8, 200, 30 if title else 8
    bottom = 28 if benchmark is not None else 8
    height = top + len(rows) * (bar + gap) + bottom
    values = [float(v or 0) for _, v in rows]
    peak = max(values + [float(benchmark or 0), 0.0001])
    plot_w = width - label_w - 70
    parts = _chart_open(width, height, title)
    # the bar length uses the float; the label writes the value as given (a count stays whole)
    for index, ((label, raw), value) in enumerate(zip(rows, values, strict=True)):
        y = top + index * (bar + gap)
        length = plot_w * value / peak
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar / 2}" text-anchor="end"'
            f' dominant-baseline="central">{escape(str(label))}</text>'
            f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar}" fill="{colour}"/>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + bar / 2}"'
            f' dominant-baseline="central">{_number(raw or 0)}{escape(unit)}</text>'
        )
    if benchmark is not None:
        x = label_w + plot_w * float(benchmark) / peak
        y_end = height - bottom + 4
        anchor = "end" if x > width - 120 else ("start" if x < 120 else "middle")
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{y_end}" stroke="#dc3545"'
            f' stroke-width="2" stroke-dasharray="5 3"/>'
            f'<text x="{x:.1f}" y="{height - 6}" text-anchor="{anchor}" fill="#dc3545">'
            f"{escape(benchmark_label)} {_number(benchmark)}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar_chart(rows: Sequence[tuple[str, Sequence[object]]], series: Sequence[str], *,
                      unit: str = "", title: str = "", width: int = 640,
                      colours: Sequence[str] = COLOURS) -> str:
    """One horizontal bar per row, split into ``series``; a legend above, totals at the end."""
    bar, gap, label_w = 22, 8, 200
    legend = []  # (x, line) of each series' legend entry, wrapped to the chart's width
    x, line = 0, 0
    for name in series:
        item_w = 28 + 13 * len(str(name))
        if x and x + item_w > width:
            x, line = 0, line + 1
        legend.append((x, line))
        x += item_w
    legend_h = 22 * (line + 1)
    top = (30 if title else 8) + legend_h
    height = top + len(rows) * (bar + gap) + 8
    totals = [sum(float(v or 0) for v in values) for _, values in rows]
    peak = max(totals + [0.0001])
    plot_w = width - label_w - 70
    parts = _chart_open(width, height, title)
    for index, name in enumerate(series):
        colour = colours[index % len(colours)]
        x, line = legend[index]
        legend_y = top - legend_h + 4 + 22 * line
        parts.append(
            f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="{legend_y + 6}" dominant-baseline="central">'
            f"{escape(str(name))}</text>"
        )
    for index, ((label, values), total) in enumerate(zip(rows, totals, strict=True)):
        y = top + index * (bar + gap)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar / 2}" text-anchor="end"'
            f' dominant-baseline="central">{escape(str(label))}</text>'
        )
        x = float(label_w)
        for series_index, value in enumerate(values):
            length = plot_w * float(value or 0) / peak
            if length > 0:
                colour = colours[series_index % len(colours)]
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar}"'
                    f' fill="{colour}"><title>{escape(str(series[series_index]))}'
                    f" {_number(value)}{escape(unit)}</title></rect>"
                )
            x += length
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + bar / 2}" dominant-baseline="central">'
            f"{_number(total)}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


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
