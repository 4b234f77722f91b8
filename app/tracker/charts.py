"""The tracker's charts: the council against the national figure with 95% confidence intervals,
by ward, and over time. Built on app/common/charts.py (same style; always beside a data table).

pygal draws horizontal bars from the bottom up, so rows are passed in reverse to read top-down
in the same order as the tables."""
import pygal

from app.common.charts import _STYLE, _render
from app.tracker.indicators import INDICATORS

PERCENT_TICKS = [0, 20, 40, 60, 80, 100]


def _with_ci(est):
    if est is None or est.percent is None:
        return None
    return {"value": round(est.percent, 1), "ci": {"low": round(est.low, 1), "high": round(est.high, 1)}}


def _fmt(value):
    return f"{value:.0f}%"


def comparison_chart(title, overall, benchmarks):
    """Horizontal bars per indicator: this council (with its 95% interval) and the national figure."""
    chart = pygal.HorizontalBar(style=_STYLE, disable_xml_declaration=True, js=[], width=720,
                                height=max(300, 70 * len(INDICATORS) + 140), explicit_size=False,
                                legend_at_bottom=True, legend_at_bottom_columns=1, truncate_label=-1,
                                truncate_legend=-1, range=(0, 100),
                                y_labels=PERCENT_TICKS, value_formatter=_fmt)
    ordered = list(reversed(INDICATORS))
    series = {
        "This council, with its 95% confidence interval": [_with_ci(overall[i.code]) for i in ordered],
        "England": [float(benchmarks[i.code].percent) if i.code in benchmarks else None for i in ordered],
    }
    return _render(chart, title, [i.title for i in ordered], series)


def ward_chart(title, breakdown):
    """Side-by-side bars per ward; a suppressed ward is a gap (its table row says why)."""
    rows = list(reversed(breakdown.rows))
    chart = pygal.HorizontalBar(style=_STYLE, disable_xml_declaration=True, js=[], width=720,
                                height=max(300, 26 * len(rows) * len(INDICATORS) + 160), explicit_size=False,
                                legend_at_bottom=True, legend_at_bottom_columns=1, truncate_label=-1,
                                truncate_legend=-1, range=(0, 100), y_labels=PERCENT_TICKS, value_formatter=_fmt)
    series = {i.title: [est[i.code].percent for _, est in rows] for i in INDICATORS}
    return _render(chart, title, [label for label, _ in rows], series)


def over_time_chart(title, history):
    chart = pygal.Line(style=_STYLE, disable_xml_declaration=True, js=[], width=720, height=400,
                       explicit_size=False, legend_at_bottom=True, legend_at_bottom_columns=1,
                       range=(0, 100), y_labels=PERCENT_TICKS, value_formatter=_fmt, truncate_label=-1,
                       truncate_legend=-1, margin_right=70, dots_size=4)
    series = {i.title: [est[i.code].percent for _, est in history] for i in INDICATORS}
    return _render(chart, title, [r.name for r, _ in history], series)
