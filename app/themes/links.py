"""Links between themes and the council's actions: engine suggestions, officers' decisions.

Suggestions are redone after every run; an officer's confirm or reject is never undone by
them (a rejected pair is not suggested again, a confirmed one stays confirmed).
"""
from sqlalchemy import select

from app.actions.models import Action
from app.consultations.models import Answer
from app.extensions import db
from app.themes import engine
from app.themes.models import Theme, ThemeActionLink
from app.themes.services import question_themes


def all_actions() -> list[Action]:
    return list(db.session.scalars(select(Action).order_by(Action.plan_id, Action.position, Action.id)))


def suggest_for_question(question_id: int) -> int:
    """(Re)compute suggestions for the question's current themes; returns how many are stored."""
    actions = all_actions()
    themes = [t for t in question_themes(question_id) if not t.not_relevant]
    if not actions or not themes:
        return 0
    example_ids = {a for t in themes for a in t.examples or []}
    texts = dict(db.session.execute(select(Answer.id, Answer.text).where(Answer.id.in_(example_ids))).all()) \
        if example_ids else {}
    described = [{"label": t.display_label, "keywords": list(t.keywords or []),
                  "examples": [texts[a] for a in t.examples or [] if texts.get(a)]} for t in themes]
    suggestions = engine.suggest_links(described, [a.text_for_matching() for a in actions])
    stored = 0
    for theme, pairs in zip(themes, suggestions):
        wanted = {actions[index].id: score for index, score in pairs}
        for link in list(theme.action_links):
            if link.status == "suggested" and link.action_id not in wanted:
                theme.action_links.remove(link)
            elif link.action_id in wanted:
                link.score = wanted.pop(link.action_id)
                stored += link.status == "suggested"
        for action_id, score in wanted.items():
            theme.action_links.append(ThemeActionLink(action_id=action_id, score=score, status="suggested"))
            stored += 1
    db.session.flush()
    return stored


def decide(link: ThemeActionLink, decision: str, user) -> None:
    if decision == "confirm":
        link.confirm(user)
    elif decision == "reject":
        link.reject(user)
    else:
        raise ValueError(decision)
    db.session.flush()


def add_link(theme: Theme, action: Action, user) -> ThemeActionLink:
    """An officer links a theme to an action by hand (confirmed at once)."""
    link = db.session.scalars(select(ThemeActionLink).where(
        ThemeActionLink.theme_id == theme.id, ThemeActionLink.action_id == action.id)).first()
    if link is None:
        link = ThemeActionLink(theme=theme, action=action, score=None)
        db.session.add(link)
    link.confirm(user)
    db.session.flush()
    return link


def is_covered(theme: Theme) -> bool:
    """Covered when an officer confirmed a link or the engine found a good enough action."""
    return any(link.status in ("confirmed", "suggested") for link in theme.action_links)


def visible_links(theme: Theme) -> list[ThemeActionLink]:
    order = {"confirmed": 0, "suggested": 1, "rejected": 2}
    return sorted(theme.action_links, key=lambda l: (order.get(l.status, 3), -(l.score or 0), l.id))

