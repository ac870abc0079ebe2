"""HTTP content negotiation (RFC 9110): which of the offered media types a client's ``Accept`` prefers."""

from __future__ import annotations

from vetgraph.rdf.formats import HTML_MEDIA_TYPE


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first (RFC 9110)."""
    ranges = []
    for part in (header or "*/*").split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        quality = 1.0
        for parameter in pieces[1:]:
            if parameter.startswith("q="):
                try:
                    quality = float(parameter[2:])
                except ValueError:
                    quality = 0.0
        ranges.append((pieces[0].lower(), quality))
    return sorted(ranges, key=lambda r: -r[1])


def negotiate(header: str | None, offered: list[str]) -> str | None:
    """The offered media type the client prefers (ties go to the order of ``offered``), or None.

    For each offered type the most specific matching range gives its quality
    (``text/turtle`` over ``text/*`` over ``*/*``), as RFC 9110 says.
    """
    ranges = parse_accept(header)
    best: tuple[float, str] | None = None
    for media_type in offered:
        matches = [(specificity, q) for r, q in ranges if (specificity := _specificity(r, media_type)) is not None]
        if not matches:
            continue
        _, quality = max(matches)
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, media_type)
    return best[1] if best else None


def _specificity(media_range: str, media_type: str) -> int | None:
    if media_range == media_type or (media_range == "application/xhtml+xml" and media_type == HTML_MEDIA_TYPE):
        return 2
    if media_range == media_type.split("/")[0] + "/*":
        return 1
    if media_range == "*/*":
        return 0
    return None
