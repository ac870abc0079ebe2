"""Charts as inline SVG, so that the report needs no script and no network.

Every chart is a ``<figure>`` with a caption, and the SVG carries ``role="img"``
and a text alternative, so it is readable with a screen reader too.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup


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
