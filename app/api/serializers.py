"""Allow-listed JSON shapes for the open-data API. Add a field here only if it is public."""
from sqlalchemy import func

from app.actions.services import published_ysyw_ids, quotes_for_theme, today_london
from app.common.timeutil import utcnow
from app.common.urls import absolute_url
from app.consultations.models import Response
from app.extensions import db

# Themes and quotes only once the consultation's results are published; the number of responses
# once it has closed.
THEMES_VISIBLE = ("published",)
COUNT_VISIBLE = ("closed", "published")


def now():
    return utcnow()


def _iso(value):
    return value.isoformat() if value else None


def response_counts(consultation_ids) -> dict:
    """{consultation id: number of responses} in one query, for a page of consultations."""
    if not consultation_ids:
        return {}
    rows = db.session.query(Response.consultation_id, func.count(Response.id)).filter(
        Response.consultation_id.in_(consultation_ids)).group_by(Response.consultation_id)
    return dict(rows.all())


def consultations(items) -> list:
    """A page of consultations with their counts and page links fetched once, not per item."""
    counts = response_counts([c.id for c in items if c.status in COUNT_VISIBLE])
    ysyw_ids = published_ysyw_ids([c.id for c in items if c.status == "published"])
    return [consultation(c, counts, ysyw_ids) for c in items]


def consultation(c, counts=None, ysyw_ids=None) -> dict:
    status = c.status
    if counts is None:
        counts = response_counts([c.id]) if status in COUNT_VISIBLE else {}
    if ysyw_ids is None:
        ysyw_ids = published_ysyw_ids([c.id]) if status == "published" else set()
    return {
        "id": c.id, "title": c.title, "summary": c.summary, "status": status,
        "opens_at": _iso(c.opens_at), "closes_at": _iso(c.closes_at),
        "results_published_at": _iso(c.results_published_at),
        "borough_wide": c.borough_wide,
        "wards": [w.name for w in c.wards], "topics": [t.name for t in c.topics],
        "questions": [{"id": q.id, "kind": q.kind, "text": q.text} for q in c.questions],
        "response_count": counts.get(c.id, 0) if status in COUNT_VISIBLE else None,
        "url": absolute_url("consultations.show", consultation_id=c.id),
        "themes_url": absolute_url("api.consultation_themes", consultation_id=c.id)
        if status in THEMES_VISIBLE else None,
        "you_said_we_did_url": absolute_url("api.you_said_we_did_one", consultation_id=c.id)
        # Publishing the page publishes the results, so only a published consultation can have one.
        if c.id in ysyw_ids else None,
    }


def theme(t) -> dict:
    return {"id": t.id, "question_id": t.question_id, "label": t.display_label, "size": t.size,
            "keywords": [str(k) for k in (t.keywords or [])][:20],
            # One sentence of the theme's most representative comment, redacted when stored.
            "description": t.description or "",
            # Residents' words, only after redaction of personal details.
            "example_quotes": quotes_for_theme(t, 3),
            # Only links an officer confirmed, as on the public action pages; never suggestions.
            "actions": [_action_summary(link.action) for link in t.action_links
                        if link.status == "confirmed" and link.action.is_public]}


def _action_summary(a) -> dict:
    return {"id": a.id, "number": a.number, "title": a.title, "status": a.status,
            "status_label": a.status_label, "url": absolute_url("actions.action_show", action_id=a.id)}


def ysyw_page(page) -> dict:
    from app.actions.ysyw import active_themes, channel_counts

    c = page.consultation
    total, channels = channel_counts(c)
    return {
        "consultation_id": c.id, "title": c.title, "summary": page.summary,
        "published_at": _iso(page.published_at), "response_count": total,
        "channels": [{"channel": label, "responses": n} for label, n in channels],
        "themes": [{"id": t.id, "label": t.display_label, "size": t.size} for t in active_themes(c)],
        "responses": [{"kind": r.kind, "kind_label": r.kind_label, "text": r.text,
                       "theme_ids": [t.id for t in r.themes],
                       # An unpublished action leaves its response public, without the action.
                       "action": _action_summary(r.action) if r.action and r.action.is_public else None}
                      for r in page.responses],
        "url": absolute_url("actions.ysyw_show", consultation_id=c.id),
    }


def plan(p) -> dict:
    return {"id": p.id, "title": p.title, "summary": p.summary, "priorities": p.public_priorities,
            "action_count": len(p.public_actions),
            "actions_url": absolute_url("api.actions", plan=p.id)}


def action(a, detail: bool = False) -> dict:
    today = today_london()
    last = a.last_update
    data = {
        **_action_summary(a), "plan_id": a.plan_id, "priority": a.priority, "objective": a.objective,
        "description": a.description, "how_we_will_know": a.how_we_will_know,
        # Councillors and officers act in a public role; residents never appear here.
        "portfolio_holder": a.portfolio_holder.name if a.portfolio_holder else None,
        "lead_officer": a.lead_officer, "timescale": a.timescale,
        "status_reason": a.status_reason if a.status == "cant_proceed" else None,
        "percent_complete": a.latest_percent, "last_update_on": _iso(last.update_date) if last else None,
        "milestones": [{"title": m.title, "target_date": _iso(m.target_date), "completed_on": _iso(m.completed_on),
                        "overdue": m.is_overdue(today)} for m in a.public_milestones],
    }
    if detail:
        data["updates"] = [{"date": _iso(u.update_date), "text": u.text, "percent": u.percent} for u in a.public_updates]
    return data
