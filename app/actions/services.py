"""Action plans: editing actions, status, progress updates, milestones, and what residents said.

Services flush; the route or CLI command commits.
"""
from datetime import date

from app.accounts.models import User
from app.actions.models import Action, ActionPlan, Milestone, ProgressUpdate
from app.common.timeutil import to_london, utcnow
from app.extensions import db

# Themes and residents' words become public only with the consultation's results (publishing
# "You said, we did" publishes them), never merely because it has closed.
QUOTABLE_STATUSES = ("published",)
MAX_QUOTE_CHARS = 400


def redact(text: str) -> str:
    """Remove personal details from a resident's words before they are shown publicly."""
    from app.themes.engine import redact as themes_redact

    return themes_redact(text)


def today_london() -> date:
    return to_london(utcnow()).date()


class ActionError(ValueError):
    """A problem the user can fix, with the form field it belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


# --- Plans and actions ---------------------------------------------------------------------

def all_plans():
    return ActionPlan.query.order_by(ActionPlan.created_at.desc(), ActionPlan.id.desc()).all()


def councillors():
    return User.query.filter_by(role="councillor", active=True).order_by(User.name).all()


def councillor_by_name(name: str):
    name = " ".join((name or "").split()).lower()
    if not name:
        return None
    for person in User.query.filter_by(role="councillor").all():
        plain = person.name.lower()
        if name in (plain, f"cllr {plain}", f"councillor {plain}"):
            return person
    return None


def update_action(action: Action, **fields):
    holder_id = fields.pop("portfolio_holder_id", None)
    if holder_id:
        holder = db.session.get(User, holder_id)
        if holder is None or holder.role != "councillor":
            raise ActionError("portfolio_holder_id", "Select a councillor as the portfolio holder")
        action.portfolio_holder = holder
    else:
        action.portfolio_holder = None
    for name, value in fields.items():
        setattr(action, name, (value or "").strip())
    db.session.flush()
    return action


def change_status(action: Action, status: str, reason: str | None, user=None) -> bool:
    """Set the status; tells residents following a linked "You said, we did" page if it changed."""
    try:
        changed = action.set_status(status, reason)
    except ValueError as exc:
        field = "reason" if status == "cant_proceed" else "status"
        raise ActionError(field, str(exc)) from exc
    db.session.flush()
    if changed:
        from app.actions.notify import notify_action_status

        notify_action_status(action)
    return changed


def add_update(action: Action, on: date, text: str, percent: int | None, user=None) -> ProgressUpdate:
    update = ProgressUpdate(action=action, update_date=on, text=text.strip(), percent=percent,
                            author=user if getattr(user, "is_authenticated", False) else None)
    db.session.add(update)
    db.session.flush()
    return update


def add_milestone(action: Action, title: str, target: date | None, period_text: str = "") -> Milestone:
    milestone = Milestone(action=action, title=title.strip(), target_date=target, period_text=period_text)
    db.session.add(milestone)
    db.session.flush()
    return milestone


def set_milestone_met(milestone: Milestone, on: date | None):
    """Mark met on a date, or (on=None) not met after all."""
    milestone.completed_on = on
    db.session.flush()


# --- What residents told us ----------------------------------------------------------------

def quotes_for_theme(theme, limit: int = 3) -> list[str]:
    """Up to `limit` redacted example comments, best first."""
    from app.consultations.models import Answer

    ids = [i for i in (theme.examples or []) if isinstance(i, int)][: limit * 2]
    if not ids:
        return []
    answers = {a.id: a for a in Answer.query.filter(Answer.id.in_(ids)).all()}
    quotes = []
    for answer_id in ids:
        answer = answers.get(answer_id)
        if answer is None or not (answer.text or "").strip():
            continue
        text = redact(answer.text.strip())
        if len(text) > MAX_QUOTE_CHARS:
            text = text[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
        quotes.append(text)
        if len(quotes) == limit:
            break
    return quotes


def published_ysyw_ids(consultation_ids) -> set[int]:
    """Which of these consultations have a published "You said, we did" page to link to."""
    from app.actions.models import YouSaidWeDid

    ids = {i for i in consultation_ids if i is not None}
    if not ids:
        return set()
    rows = db.session.query(YouSaidWeDid.consultation_id).filter(
        YouSaidWeDid.consultation_id.in_(ids), YouSaidWeDid.published_at.is_not(None))
    return {i for (i,) in rows}


def themes_for_action(action: Action) -> list[dict]:
    """Confirmed theme links to this action, from consultations whose results are published."""
    from app.themes.models import Theme, ThemeActionLink

    links = (ThemeActionLink.query.filter_by(action_id=action.id, status="confirmed")
             .join(Theme).order_by(Theme.size.desc()).all())
    told = []
    for link in links:
        theme = link.theme
        consultation = theme.question.consultation
        if not theme.is_active or consultation.status not in QUOTABLE_STATUSES:
            continue
        told.append({"theme": theme, "consultation": consultation, "quotes": quotes_for_theme(theme)})
    with_page = published_ysyw_ids(item["consultation"].id for item in told)
    for item in told:
        item["ysyw_published"] = item["consultation"].id in with_page
    return told

