"""Small SVG charts with Japanese labels: pure functions returning SVG strings.

Used in pages and in the WeasyPrint report, so they draw only rects, lines and text with
explicit sizes and fonts (no CSS, no script).
"""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape

FONT = "IPAexGothic, 'Noto Sans CJK JP', sans-serif"
COLOURS = ["#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#dc3545", "#20c997", "#6c757d"]


def _number(value) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    return f"{Decimal(str(value or 0)):,.1f}"


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
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"'
        f' font-family="{FONT}" font-size="12" class="chart">'
    ]
    if title:
        parts.append(f'<text x="0" y="18" font-size="14" font-weight="bold">{escape(title)}</text>')
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
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"'
        f' font-family="{FONT}" font-size="12" class="chart">'
    ]
    if title:
        parts.append(f'<text x="0" y="18" font-size="14" font-weight="bold">{escape(title)}</text>')
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
