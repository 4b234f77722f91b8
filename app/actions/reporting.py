"""The public progress dashboard and the Overview and Scrutiny report."""
from datetime import date

from dateutil.relativedelta import relativedelta
from flask import url_for

from sqlalchemy.orm import selectinload

from app.actions.models import ACTION_STATUSES, STATUS_CHART_COLOURS, Action, ActionPlan
from app.common.charts import chart_image, stacked_bar_chart

REPORT_MAX_DAYS = 366 * 5


def default_period(today: date) -> tuple[date, date]:
    return today - relativedelta(months=6), today


def check_period(start: date | None, end: date | None) -> dict:
    """Field -> message for a period that can't be reported on."""
    errors = {}
    if start and end and start > end:
        errors["date_from"] = "The start date must be on or before the end date"
    elif start and end and (end - start).days > REPORT_MAX_DAYS:
        errors["date_to"] = "The period must be 5 years or shorter"
    return errors


def plan_dashboard(plan: ActionPlan, today: date) -> dict:
    """The plan's public section, as residents see it once it is published (the staff preview
    shows a draft plan this way too): unpublished actions are left out."""
    actions = [a for a in plan.actions if a.published]
    priorities, counts = _counts(plan)
    # The chart is its own response (progress_chart), drawn once and cached with an ETag: inline,
    # ten plans' charts made the page 350 KB. The table below it has the same figures.
    chart = chart_image(url_for("actions.progress_chart", plan_id=plan.id)) if actions else None
    rows = [{"action": a, "last_update": a.last_update, "overdue": a.overdue_milestones(today)}
            for a in actions]
    totals = {s: sum(counts[p][s] for p in priorities) for s in ACTION_STATUSES}
    return {"plan": plan, "priorities": priorities, "counts": counts, "totals": totals,
            "chart": chart, "rows": rows, "overdue_count": sum(len(r["overdue"]) for r in rows)}


def _counts(plan: ActionPlan):
    """Actions by priority and status, published actions only (what residents see)."""
    actions = [a for a in plan.actions if a.published]
    priorities = list(dict.fromkeys(a.priority for a in actions))
    counts = {p: {s: 0 for s in ACTION_STATUSES} for p in priorities}
    for action in actions:
        counts[action.priority][action.status] += 1
    return priorities, counts


def plan_chart_svg(plan: ActionPlan) -> str | None:
    """The plan's "actions by status" chart as an SVG document, or None if it has no actions."""
    priorities, counts = _counts(plan)
    if not priorities:
        return None
    series = {label: [counts[p][key] or None for p in priorities] for key, label in ACTION_STATUSES.items()
              if any(counts[p][key] for p in priorities)}
    colours = {label: STATUS_CHART_COLOURS[key] for key, label in ACTION_STATUSES.items()}
    return stacked_bar_chart(f"Actions by status: {plan.title}", priorities, series, colours, standalone=True)


def dashboard(today: date) -> list[dict]:
    # Loaded in four queries, not four per action (the page lists every action of every plan).
    plans = ActionPlan.query.filter(ActionPlan.published.is_(True)).order_by(
        ActionPlan.created_at, ActionPlan.id).options(
        selectinload(ActionPlan.actions).selectinload(Action.milestones),
        selectinload(ActionPlan.actions).selectinload(Action.updates)).all()
    return [plan_dashboard(plan, today) for plan in plans]


def _linked(action):
    from app.themes.models import ThemeActionLink

    links = ThemeActionLink.query.filter_by(action_id=action.id, status="confirmed").all()
    themes = [l.theme for l in links if l.theme.is_active]
    consultations = []
    for theme in themes:
        c = theme.question.consultation
        if c not in consultations:
            consultations.append(c)
    return themes, consultations


def scrutiny_report(start: date, end: date, today: date) -> list[dict]:
    """Per action: status, updates in the period, milestones met and missed, themes, consultations.

    Reports on the published record only: a draft plan, or an unpublished action, milestone or
    update, is not yet (or no longer) something the council has said it will do."""
    rows = []
    for plan in ActionPlan.query.order_by(ActionPlan.created_at, ActionPlan.id).all():
        for action in plan.public_actions:
            updates = [u for u in action.public_updates if start <= u.update_date <= end]
            met = [m for m in action.public_milestones if m.completed_on and start <= m.completed_on <= end]
            # Missed: due in the period (and already past) but not met by its target date.
            missed = [m for m in action.public_milestones if m.target_date and start <= m.target_date <= end
                      and m.target_date < today and (m.completed_on is None or m.completed_on > m.target_date)]
            themes, consultations = _linked(action)
            rows.append({"plan": plan, "action": action, "updates": updates, "met": met, "missed": missed,
                         "themes": themes, "consultations": consultations})
    return rows


def report_csv_rows(rows):
    for r in rows:
        a = r["action"]
        yield [r["plan"].title, a.number, a.title, a.priority, a.status_label, a.status_reason or "",
               a.portfolio_holder.name if a.portfolio_holder else "", a.lead_officer,
               " | ".join(f"{u.update_date.isoformat()}: {u.text}" + (f" ({u.percent}%)" if u.percent is not None else "")
                          for u in r["updates"]),
               " | ".join(f"{m.title} ({m.completed_on.isoformat()})" for m in r["met"]),
               " | ".join(f"{m.title} (due {m.target_date.isoformat()})" for m in r["missed"]),
               " | ".join(f"{t.display_label} ({t.size})" for t in r["themes"]),
               " | ".join(c.title for c in r["consultations"])]


REPORT_CSV_HEADER = ["Plan", "Number", "Action", "Priority", "Status", "Reason (can't proceed)",
                     "Portfolio holder", "Lead officer", "Updates in period", "Milestones met",
                     "Milestones missed", "Linked themes (size)", "Consultations"]

