"""Vector charts of the compilation as SVG text: pure functions of labels and numbers.

The same SVG is inlined in the web page and in the PDF (WeasyPrint draws SVG as vectors).
Every chart has axes with ticks and labels, the values written out, and a <title> and
<desc> for screen readers. Labels are names people typed (themes, units), so every text is
escaped here (`_text`, `_open`) and attributes hold only numbers and constants: that is what
lets the templates insert a chart with `| safe`.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

FONT = "DejaVu Sans, Arial, sans-serif"
INK, MUTED, GRID = "#1b1f24", "#4b5563", "#d0d7de"
CURRENT, PREVIOUS = "#00558c", "#9bb8d3"
SERIES = ("#00558c", "#c2410c", "#15803d", "#7e22ce", "#b45309", "#0f766e", "#be185d", "#4b5563")
CHAR_WIDTH = 0.56
"""Average glyph width of the font, in ems: enough to size label columns without measuring text."""


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `maximum`: steps of 1, 2 or 5 times a power of ten."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if step < 1:
        step = 1
    top = math.ceil(maximum / step) * step
    return [round(i * step, 10) for i in range(int(round(top / step)) + 1)]


def _number(value: float) -> str:
    text = f"{value:,.1f}" if value != int(value) else f"{int(value):,}"
    return text.replace(",", "\u00a0").replace(".", ",")


def _shorten(text: str, size: float, width: float) -> str:
    limit = max(4, int(width / (size * CHAR_WIDTH)))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text(x: float, y: float, content: str, *, size: float = 11, anchor: str = "start", fill: str = INK,
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-family={quoteattr(FONT)} font-size="{size}" '
            f'text-anchor="{anchor}" fill="{fill}" font-weight="{weight}">{escape(content)}</text>')


def _open(width: float, height: float, title: str, description: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" class="chart">',
            f"<title>{escape(title)}</title>", f"<desc>{escape(description)}</desc>"]


def bar_chart(title: str, rows: Sequence[tuple[str, float]], previous: Sequence[float] | None = None, *,
              axis_label: str = "", current_label: str = "", previous_label: str = "", width: float = 640) -> str:
    """Horizontal bars, one per row, with an optional thinner bar of the previous period under each."""
    size, bar, gap = 11.0, 14.0, 8.0
    pair = bar + (7.0 if previous is not None else 0.0)
    label_width = min(width * 0.38, max((len(label) for label, _ in rows), default=4) * size * CHAR_WIDTH + 8)
    left, right, top = label_width + 6, 46.0, 24.0 if previous is not None else 6.0
    plot = width - left - right
    height = top + len(rows) * (pair + gap) + 40
    values = [v for _, v in rows] + list(previous or [])
    ticks = nice_ticks(max(values, default=0))
    scale = plot / ticks[-1]
    described = "; ".join(f"{label}: {_number(value)}" for label, value in rows)
    parts = _open(width, height, title, described)
    if previous is not None:
        parts += [f'<rect x="{left:.1f}" y="4" width="10" height="10" fill="{CURRENT}"/>',
                  _text(left + 14, 13, current_label, size=10),
                  f'<rect x="{left + 24 + len(current_label) * 10 * CHAR_WIDTH:.1f}" y="4" width="10" height="7" fill="{PREVIOUS}"/>',
                  _text(left + 38 + len(current_label) * 10 * CHAR_WIDTH, 13, previous_label, size=10)]
    bottom = top + len(rows) * (pair + gap)
    for tick in ticks:
        x = left + tick * scale
        parts.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="{GRID}" stroke-width="0.6"/>')
        parts.append(_text(x, bottom + 13, _number(tick), size=9.5, anchor="middle", fill=MUTED))
    for index, (label, value) in enumerate(rows):
        y = top + index * (pair + gap) + gap / 2
        parts.append(_text(left - 6, y + bar - 3, _shorten(label, size, label_width), size=size, anchor="end"))
        parts.append(f'<rect class="bar" x="{left:.1f}" y="{y:.1f}" width="{value * scale:.2f}" height="{bar}" '
                     f'fill="{CURRENT}"/>')
        parts.append(_text(left + value * scale + 4, y + bar - 3, _number(value), size=10))
        if previous is not None:
            before = previous[index]
            parts.append(f'<rect class="previous" x="{left:.1f}" y="{y + bar:.1f}" width="{before * scale:.2f}" '
                         f'height="6" fill="{PREVIOUS}"/>')
    parts.append(f'<line x1="{left:.1f}" y1="{top:.1f}" x2="{left:.1f}" y2="{bottom:.1f}" stroke="{INK}" stroke-width="1"/>')
    parts.append(f'<line x1="{left:.1f}" y1="{bottom:.1f}" x2="{left + plot:.1f}" y2="{bottom:.1f}" stroke="{INK}" stroke-width="1"/>')
    if axis_label:
        parts.append(_text(left + plot / 2, bottom + 30, axis_label, size=10, anchor="middle", fill=MUTED))
    parts.append("</svg>")
    return "".join(parts)


def line_chart(title: str, periods: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *,
               axis_label: str = "", width: float = 640, height: float = 260) -> str:
    """Lines over the half-years (x) for each named series, with a legend under the chart."""
    size = 10.0
    left, right, top = 44.0, 16.0, 12.0
    legend_rows = math.ceil(len(series) / 2)
    plot_h = height - top - 46 - legend_rows * 16
    plot_w = width - left - right
    ticks = nice_ticks(max((v for _, values in series for v in values), default=0))
    scale = plot_h / ticks[-1]
    step = plot_w / max(1, len(periods) - 1)
    bottom = top + plot_h
    described = "; ".join(f"{name}: " + ", ".join(f"{p} {_number(v)}" for p, v in zip(periods, values))
                          for name, values in series)
    parts = _open(width, height, title, described)
    for tick in ticks:
        y = bottom - tick * scale
        parts.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.6"/>')
        parts.append(_text(left - 5, y + 3.5, _number(tick), size=9.5, anchor="end", fill=MUTED))
    for index, period in enumerate(periods):
        x = left + index * step if len(periods) > 1 else left + plot_w / 2
        last = len(periods) > 1 and index == len(periods) - 1  # centred, the last label would run off the edge
        parts.append(_text(x, bottom + 14, period, size=9, anchor="end" if last else "middle", fill=MUTED))
    for number, (name, values) in enumerate(series):
        colour = SERIES[number % len(SERIES)]
        points = [(left + i * step if len(periods) > 1 else left + plot_w / 2, bottom - v * scale)
                  for i, v in enumerate(values)]
        parts.append(f'<polyline class="series" fill="none" stroke="{colour}" stroke-width="2" points="'
                     + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="{colour}"/>' for x, y in points]
        lx = left + (number % 2) * plot_w / 2
        ly = bottom + 34 + (number // 2) * 16
        parts.append(f'<rect x="{lx:.1f}" y="{ly - 8:.1f}" width="12" height="3" fill="{colour}"/>')
        parts.append(_text(lx + 16, ly - 3, _shorten(name, size, plot_w / 2 - 20), size=size))
    parts.append(f'<line x1="{left:.1f}" y1="{top:.1f}" x2="{left:.1f}" y2="{bottom:.1f}" stroke="{INK}" stroke-width="1"/>')
    parts.append(f'<line x1="{left:.1f}" y1="{bottom:.1f}" x2="{left + plot_w:.1f}" y2="{bottom:.1f}" stroke="{INK}" stroke-width="1"/>')
    if axis_label:
        parts.append(f'<text x="12" y="{top + plot_h / 2:.1f}" font-family={quoteattr(FONT)} font-size="9.5" '
                     f'fill="{MUTED}" text-anchor="middle" transform="rotate(-90 12 {top + plot_h / 2:.1f})">'
                     f"{escape(axis_label)}</text>")
    parts.append("</svg>")
    return "".join(parts)
