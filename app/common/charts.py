"""Server-side SVG charts (pygal), always shown with a data table so no one depends on the picture.

Drawing one takes pygal tens of milliseconds, so each is drawn once per process for the data it
shows and kept (up to CHART_CACHE_SIZE): a page whose figures haven't changed reuses the SVG,
and changed figures are a different key, so a chart is never stale.
"""
import copy
import functools
import threading
from collections import OrderedDict

import pygal
from pygal.style import Style

from markupsafe import Markup

_STYLE = Style(
    background="white", plot_background="white", foreground="#0b0c0c", foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f", colors=("#1d70b8", "#00703c", "#d4351c", "#f47738", "#4c2c92", "#505a5f"),
    font_family="arial, sans-serif", label_font_size=14, major_label_font_size=14, value_font_size=14,
    title_font_size=16, legend_font_size=14,
)


CHART_CACHE_SIZE = 256
_drawn: OrderedDict = OrderedDict()
_drawn_lock = threading.Lock()


def _drawn_once(draw):
    @functools.wraps(draw)
    def cached(*args, **kwargs):
        # repr() spells out every label and value, so equal keys mean identical charts.
        key = (draw.__name__, repr(args), repr(sorted(kwargs.items())))
        with _drawn_lock:
            if key in _drawn:
                _drawn.move_to_end(key)
                return _drawn[key]
        svg = draw(*args, **kwargs)
        with _drawn_lock:
            _drawn[key] = svg
            while len(_drawn) > CHART_CACHE_SIZE:
                _drawn.popitem(last=False)
        return svg
    return cached


@_drawn_once
def bar_chart(title: str, labels: list[str], values: list[float | None], *, percent=False,
              horizontal=True, height=None) -> Markup:
    """An inline SVG bar chart. Values of None (suppressed small numbers) are drawn as gaps."""
    chart_cls = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = chart_cls(style=_STYLE, show_legend=False, disable_xml_declaration=True, js=[],
                      width=720, height=height or max(220, 42 * len(labels) + 80),
                      print_values=True, explicit_size=False, truncate_label=60,
                      value_formatter=(lambda v: f"{v:.0f}%") if percent else (lambda v: f"{v:g}"))
    return _render(chart, title, labels, {title: values})


def _style_for(series, colours: dict[str, str] | None):
    """The house style, with a fixed colour for each named series (pygal otherwise colours series
    by position, so a series would change colour when another is absent)."""
    if not colours:
        return _STYLE
    style = copy.copy(_STYLE)
    spare = iter(_STYLE.colors)
    style.colors = tuple(colours.get(name) or next(spare, "#505a5f") for name in series)
    return style


@_drawn_once
def stacked_bar_chart(title: str, labels: list[str], series: dict[str, list[float | None]],
                      colours: dict[str, str] | None = None, standalone=False) -> Markup | str:
    """colours: series name -> colour, e.g. to match each status's tag. standalone: an SVG
    document to serve as an image, not markup to put in a page."""
    chart = pygal.StackedBar(style=_style_for(series, colours), disable_xml_declaration=not standalone, js=[],
                             width=720, height=360, explicit_size=False, legend_at_bottom=True)
    if standalone:
        chart.title, chart.x_labels = title, labels
        for name, values in series.items():
            chart.add(name, values)
        return chart.render(is_unicode=True)
    return _render(chart, title, labels, series)


@_drawn_once
def grouped_bar_chart(title: str, labels: list[str], series: dict[str, list[float | None]], *,
                      percent=True) -> Markup:
    """Side-by-side horizontal bars (e.g. panel % against population %). None values are gaps."""
    chart = pygal.HorizontalBar(style=_STYLE, disable_xml_declaration=True, js=[], width=720,
                                height=max(260, 30 * len(labels) * max(1, len(series)) + 120),
                                explicit_size=False, legend_at_bottom=True, truncate_label=60,
                                print_values=False,
                                value_formatter=(lambda v: f"{v:.0f}%") if percent else (lambda v: f"{v:g}"))
    return _render(chart, title, labels, series)


def _render(chart, title, labels, series) -> Markup:
    chart.title = title
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    # The SVG is decorative beside its table: screen readers read the table instead.
    svg = chart.render(is_unicode=True).replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return Markup(f'<div class="app-chart">{svg}</div>')


def chart_image(src: str, width: int = 720, height: int = 360) -> Markup:
    """A chart served as its own image (drawn once, cached with an ETag) rather than inline SVG.
    Decorative like the inline charts: the table beside it carries the figures."""
    return Markup('<div class="app-chart"><img src="{}" alt="" width="{}" height="{}" '
                  'style="max-width:100%;height:auto"></div>').format(src, width, height)
