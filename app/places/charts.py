"""The Place Standard compass as an SVG radar chart (pygal, in the house style of
app/common/charts.py, drawn once per set of figures).

Unlike the other charts, which are hidden from screen readers beside their tables, the compass
is an image with a name and a description (role="img", <title>, <desc>) that say in words what
it shows: the themes most in need of improvement. The full figures are in the table beside it.
"""
import hashlib

import pygal
from markupsafe import Markup, escape

from app.common.charts import _STYLE, _drawn_once
from app.places.themes import THEMES

SIZE = (820, 780)
SHORT = {"influence_control": "Influence and control"}


@_drawn_once
def compass_svg(title: str, description: str, series: tuple[tuple[str, tuple], ...], *,
                standalone: bool = False) -> str:
    """series: ((line name, (median per theme in THEMES order, None for none)), ...).
    standalone: an SVG document to serve as an image; otherwise markup for the page."""
    chart = pygal.Radar(style=_STYLE, disable_xml_declaration=not standalone, js=[], width=SIZE[0],
                        height=SIZE[1], range=(0, 7), y_labels=list(range(1, 8)), explicit_size=False,
                        fill=False, dots_size=4, margin=30, legend_at_bottom=True, legend_at_bottom_columns=1,
                        truncate_label=-1, truncate_legend=-1, show_legend=len(series) > 1,
                        value_formatter=lambda v: f"{v:g}")
    # One shortened spoke label: the full name overlaps its neighbour (the table has it in full).
    chart.x_labels = [SHORT.get(t.key, t.name) for t in THEMES]
    for name, values in series:
        chart.add(name, list(values))
    svg = chart.render(is_unicode=True)
    chart_id = "compass-" + hashlib.sha1(repr((title, description, series)).encode()).hexdigest()[:12]
    head = (f'<title id="{chart_id}-title">{escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(description)}</desc>')
    opening_end = svg.index(">", svg.index("<svg")) + 1
    opening = svg[:opening_end].replace(
        "<svg ", f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" ', 1)
    return opening + head + svg[opening_end:]


def compass_markup(title, description, compasses) -> Markup:
    series = tuple((c.label, tuple(c.values())) for c in compasses if not c.suppressed)
    return Markup(f'<div class="app-chart app-compass">{compass_svg(title, description, series)}</div>')


def describe(compasses, with_table=True) -> str:
    """A sentence for the chart's description: which themes score lowest on each line."""
    parts = []
    for c in compasses:
        if c.suppressed:
            continue
        lowest = c.lowest()
        if lowest:
            parts.append(f"{c.label}: lowest-rated themes {', '.join(lowest)}")
    text = "; ".join(parts) if parts else "No ratings yet"
    return (f"Place Standard compass: median rating from 1 to 7 for each of 14 themes; points nearer "
            f"the centre need more improvement. {text}." + (" The table below gives every figure." if with_table else ""))
