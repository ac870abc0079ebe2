"""Charts as inline SVG, so that the report needs no script and no network.

Every chart is a ``<figure>`` with a caption, and the SVG carries ``role="img"``
and a text alternative, so it is readable with a screen reader too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from vetgraph.html import Markup


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    colour: str = "#2f6f9f"


def bar_chart(bars: list[Bar], *, title: str, unit: str = "nämndmål", label_width: int = 330) -> Markup:
    """A horizontal bar chart; zero bars are drawn as a thin line so that gaps show."""
    row, width, bar_space = 26, 760, 760 - label_width - 60
    top = max((b.value for b in bars), default=0) or 1
    height = row * len(bars) + 10
    summary = "; ".join(f"{b.label}: {b.value} {unit}" for b in bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}: {escape(summary)}</title>'
    ]
    for i, bar in enumerate(bars):
        y = 5 + i * row
        length = max(2, round(bar_space * bar.value / top))
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="13">{escape(bar.label)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{length}" height="18" rx="2" fill="{escape(bar.colour)}"/>'
            f'<text x="{label_width + length + 6}" y="{y + 17}" font-size="13">{bar.value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def heat_colour(value: int, maximum: int) -> str:
    """Background for a heat-map cell: white for 0, deepening blue with the count."""
    if value <= 0 or maximum <= 0:
        return "#ffffff"
    share = value / maximum
    # from #dbe9f6 (light) to #08519c (dark)
    start, end = (0xDB, 0xE9, 0xF6), (0x08, 0x51, 0x9C)
    mixed = [round(a + (b - a) * share) for a, b in zip(start, end, strict=True)]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def text_colour(background: str) -> str:
    red, green, blue = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if (0.299 * red + 0.587 * green + 0.114 * blue) > 140 else "#ffffff"


# Each series differs in line style and marker as well as colour, so that the chart reads in black and white.
_SERIES_STYLES = (
    ("#0b4f8a", "", "circle"),
    ("#a3316f", "7 4", "square"),
    ("#2b7a3d", "2 3", "triangle"),
)


def line_chart(
    series: dict[str, list[tuple[int, Decimal]]],
    *,
    target: tuple[int, Decimal],
    baseline: tuple[int, Decimal] | None,
    title: str,
    unit: str,
) -> Markup:
    """Outcomes over the years, one line per series (e.g. total, women, men), with the target marked."""
    width, height, left, right, top, bottom = 600, 250, 62, 92, 34, 30
    years = [year for points in series.values() for year, _ in points] + [target[0]]
    values = [value for points in series.values() for _, value in points] + [target[1]]
    if baseline is not None:
        years.append(baseline[0])
        values.append(baseline[1])
    first, last = min(years), max(years)
    low, high = _axis_range(min(values), max(values))

    def x(year: int) -> float:
        return left + (width - left - right) * ((year - first) / (last - first) if last > first else 0.5)

    def y(value: Decimal) -> float:
        return top + (height - top - bottom) * float((high - value) / (high - low))

    summary = "; ".join(
        f"{name}: " + ", ".join(f"{year} {sv_number(value)}" for year, value in points)
        for name, points in series.items()
    )
    summary = (summary or "inga utfall ännu") + f"; mål {target[0]}: {sv_number(target[1])} {unit}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}: {escape(summary)}</title>'
    ]
    for tick in _ticks(low, high):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#d0d7de"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="12">{sv_number(tick)}</text>'
        )
    for year in range(first, last + 1):
        parts.append(f'<text x="{x(year):.1f}" y="{height - 10}" text-anchor="middle" font-size="12">{year}</text>')
    target_y = y(target[1])
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{target_y:.1f}" y2="{target_y:.1f}" stroke="#1b1b1b" '
        f'stroke-dasharray="1 5" stroke-width="1.5"/>'
        f'<path d="{_marker("diamond", x(target[0]), target_y, 7)}" fill="#1b1b1b"/>'
        f'<text x="{x(target[0]) + 10:.1f}" y="{target_y + 4:.1f}" font-size="12">Mål {escape(sv_number(target[1]))}</text>'
    )
    legend_x = left
    for (name, points), (colour, dash, marker) in zip(series.items(), _SERIES_STYLES, strict=False):
        line = " ".join(f"{x(year):.1f},{y(value):.1f}" for year, value in points)
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        if len(points) > 1:
            parts.append(
                f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attribute}/>'
            )
        for year, value in points:
            parts.append(f'<path d="{_marker(marker, x(year), y(value), 5)}" fill="{colour}"/>')
        parts.append(
            f'<line x1="{legend_x}" x2="{legend_x + 26}" y1="14" y2="14" stroke="{colour}" stroke-width="2.5"{dash_attribute}/>'
            f'<path d="{_marker(marker, legend_x + 13, 14, 5)}" fill="{colour}"/>'
            f'<text x="{legend_x + 32}" y="18" font-size="12">{escape(name)}</text>'
        )
        legend_x += 40 + 8 * len(name)
    parts.append(
        f'<line x1="{legend_x}" x2="{legend_x + 26}" y1="14" y2="14" stroke="#1b1b1b" stroke-dasharray="1 5" stroke-width="1.5"/>'
        f'<text x="{legend_x + 32}" y="18" font-size="12">Mål</text></svg>'
    )
    return Markup("".join(parts))


def _marker(kind: str, cx: float, cy: float, r: float) -> str:
    if kind == "square":
        return f"M{cx - r:.1f},{cy - r:.1f}h{2 * r:.1f}v{2 * r:.1f}h{-2 * r:.1f}z"
    if kind == "triangle":
        return f"M{cx:.1f},{cy - r:.1f}L{cx + r:.1f},{cy + r:.1f}L{cx - r:.1f},{cy + r:.1f}z"
    if kind == "diamond":
        return f"M{cx:.1f},{cy - r:.1f}L{cx + r:.1f},{cy:.1f}L{cx:.1f},{cy + r:.1f}L{cx - r:.1f},{cy:.1f}z"
    return f"M{cx - r:.1f},{cy:.1f}a{r},{r} 0 1,0 {2 * r:.1f},0a{r},{r} 0 1,0 {-2 * r:.1f},0"


def _axis_range(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal]:
    """A value range with some room, from 0 where the values are not far from it."""
    if low >= 0 and low < (high - low) * 2:
        low = Decimal(0)
    span = high - low or abs(high) or Decimal(1)
    return low - (span * Decimal("0.05") if low != 0 else 0), high + span * Decimal("0.1")


def _ticks(low: Decimal, high: Decimal) -> list[Decimal]:
    step = Decimal(10) ** (len(str(int((high - low) / 4) or 1)) - 1)
    for multiple in (1, 2, 5, 10):
        if (high - low) / (step * multiple) <= 5:
            step *= multiple
            break
    first = (low / step).to_integral_value(rounding="ROUND_CEILING") * step
    ticks, tick = [], first
    while tick <= high:
        ticks.append(tick)
        tick += step
    return ticks


def sv_number(value: Decimal) -> str:
    """A number as Swedish writes it: decimal comma, no exponent."""
    text = format(value.normalize() if value == value.to_integral() else value, "f")
    return text.replace(".", ",")
