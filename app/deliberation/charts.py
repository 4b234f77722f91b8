"""The opinion map: an SVG scatter of participants by group, one shape and colour per group (so
colour is never the only difference), with a title and description for screen readers. The
page puts a data table beside it."""
from markupsafe import Markup, escape

COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#b58840"]
SHAPES = ["circle", "square", "triangle", "diamond", "cross"]
SIZE, PAD = 400, 16


def _shape(kind, x, y, colour, r=3.2):
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}"/>'
    if kind == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" fill="{colour}"/>'
    if kind == "triangle":
        return f'<polygon points="{x:.1f},{y - r - 1:.1f} {x - r - 1:.1f},{y + r:.1f} {x + r + 1:.1f},{y + r:.1f}" fill="{colour}"/>'
    if kind == "diamond":
        return f'<polygon points="{x:.1f},{y - r - 1:.1f} {x + r + 1:.1f},{y:.1f} {x:.1f},{y + r + 1:.1f} {x - r - 1:.1f},{y:.1f}" fill="{colour}"/>'
    return (f'<path d="M{x - r:.1f},{y - r:.1f}L{x + r:.1f},{y + r:.1f}M{x - r:.1f},{y + r:.1f}L{x + r:.1f},{y - r:.1f}" '
            f'stroke="{colour}" stroke-width="2"/>')


def legend_symbol(group: int) -> Markup:
    """A small SVG of a group's shape, for the legend and the table."""
    return Markup(f'<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">'
                  f'{_shape(SHAPES[group % 5], 7, 7, COLOURS[group % 5], 4.5)}</svg>')


def opinion_map(data: dict, title: str) -> Markup | None:
    points = data.get("points") or []
    if not points:
        return None
    xs, ys = [p[1] for p in points], [p[2] for p in points]
    low_x, high_x, low_y, high_y = min(xs), max(xs), min(ys), max(ys)
    span_x, span_y = (high_x - low_x) or 1, (high_y - low_y) or 1
    inner = SIZE - 2 * PAD

    def place(x, y):
        return PAD + (x - low_x) / span_x * inner, PAD + (y - low_y) / span_y * inner

    marks = "".join(_shape(SHAPES[g % 5], *place(x, y), COLOURS[g % 5]) for g, x, y in points)
    groups = len(data.get("groups") or [])
    desc = (f"{len(points)} people drawn as dots; people who voted alike are close together. "
            f"{groups} opinion groups, each with its own shape and colour: the table below gives the same "
            "information.")
    return Markup(
        f'<svg viewBox="0 0 {SIZE} {SIZE}" width="100%" style="max-width: {SIZE}px; height: auto; '
        f'border: 1px solid #b1b4b6" role="img" aria-labelledby="map-title map-desc" focusable="false">'
        f'<title id="map-title">{escape(title)}</title><desc id="map-desc">{escape(desc)}</desc>'
        f'<g opacity="0.75">{marks}</g></svg>')
