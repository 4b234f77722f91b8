"""The tracker's charts: the council against the national figure with 95% confidence intervals,
by ward, and over time. Built on app/common/charts.py (same style; always beside a data table)."""
import pygal

from app.common.charts import _STYLE, _render, grouped_bar_chart
from app.tracker.indicators import INDICATORS


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
                                legend_at_bottom=True, truncate_label=60, range=(0, 100),
                                value_formatter=_fmt)
    series = {
        "This council (line: 95% confidence interval)": [_with_ci(overall[i.code]) for i in INDICATORS],
        "National": [float(benchmarks[i.code].percent) if i.code in benchmarks else None for i in INDICATORS],
    }
    return _render(chart, title, [i.title for i in INDICATORS], series)


def ward_chart(title, breakdown):
    labels = [label for label, _ in breakdown.rows]
    series = {i.title: [est[i.code].percent if not est[i.code].suppressed else None
                        for _, est in breakdown.rows] for i in INDICATORS}
    return grouped_bar_chart(title, labels, series)


def over_time_chart(title, history):
    chart = pygal.Line(style=_STYLE, disable_xml_declaration=True, js=[], width=720, height=380,
                       explicit_size=False, legend_at_bottom=True, range=(0, 100), value_formatter=_fmt,
                       truncate_label=30, dots_size=4)
    series = {i.title: [est[i.code].percent for _, est in history] for i in INDICATORS}
    return _render(chart, title, [r.name for r, _ in history], series)
