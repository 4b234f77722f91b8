"""Links between themes and the council's actions: engine suggestions, officers' decisions.

Suggestions are redone after every run; an officer's confirm or reject is never undone by
them (a rejected pair is not suggested again, a confirmed one stays confirmed).

Only an officer's confirmation links a theme to an action: a theme is "Linked" (covered) when
it has a confirmed link, "Suggested" when the engine proposes actions nobody has confirmed yet,
and otherwise "Not covered". Public pages show confirmed links only, so both sides agree.
Confirmed links are also the linker's examples: what officers of this council linked before
teaches it which words residents use for each action.
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


# Most recent confirmed links given to the linker as examples (enough to learn from, bounded
# so suggesting stays quick on a council with years of history).
MAX_EXAMPLES = 400
# Example comments read from each confirmed theme.
EXAMPLE_COMMENTS = 5


def action_for_linking(action: Action) -> dict:
    """An action as the linker reads it: what it is, how progress is measured, its milestones."""
    return {"title": action.title, "description": action.description, "objective": action.objective,
            "measures": action.how_we_will_know, "milestones": [m.title for m in action.milestones]}


def describe_themes(themes: list[Theme]) -> list[dict]:
    """Themes as the linker reads them: label, key terms and the texts of their best examples."""
    example_ids = {a for t in themes for a in (t.examples or [])[:EXAMPLE_COMMENTS]}
    texts = dict(db.session.execute(select(Answer.id, Answer.text).where(Answer.id.in_(example_ids))).all()) \
        if example_ids else {}
    return [{"label": t.display_label, "keywords": list(t.keywords or []),
             "examples": [texts[a] for a in (t.examples or [])[:EXAMPLE_COMMENTS] if texts.get(a)]} for t in themes]


def confirmed_examples(actions: list[Action]) -> list[tuple[dict, int]]:
    """This council's confirmed links, newest first, as (theme as the linker reads it, index of
    the action in ``actions``). One install serves one council, so every confirmed link counts."""
    position = {a.id: i for i, a in enumerate(actions)}
    rows = db.session.scalars(select(ThemeActionLink).join(Theme, ThemeActionLink.theme_id == Theme.id)
                              .where(ThemeActionLink.status == "confirmed", Theme.merged_into_id.is_(None),
                                     Theme.not_relevant.is_(False))
                              .order_by(ThemeActionLink.decided_at.desc(), ThemeActionLink.id.desc())
                              .limit(MAX_EXAMPLES)).all()
    rows = [link for link in rows if link.action_id in position]
    described = describe_themes([link.theme for link in rows])
    return [(d, position[link.action_id]) for d, link in zip(described, rows)]


def suggest_for_question(question_id: int) -> int:
    """(Re)compute suggestions for the question's current themes; returns how many are stored."""
    actions = all_actions()
    themes = [t for t in question_themes(question_id) if not t.not_relevant]
    if not actions or not themes:
        return 0
    suggestions = engine.suggest_links(describe_themes(themes), [action_for_linking(a) for a in actions],
                                       examples=confirmed_examples(actions))
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
    """Covered only when an officer confirmed a link: a suggestion is not yet a decision."""
    return coverage(theme) == "linked"


def coverage(theme: Theme) -> str:
    """"linked" (an officer confirmed a link), "suggested" (only the engine's suggestions) or
    "not_covered"."""
    statuses = {link.status for link in theme.action_links}
    if "confirmed" in statuses:
        return "linked"
    return "suggested" if "suggested" in statuses else "not_covered"


def confirmed_actions(theme: Theme) -> list[Action]:
    """The actions an officer confirmed this theme informs, in plan order."""
    return [link.action for link in sorted(theme.action_links, key=lambda l: (l.action.plan_id, l.action.position, l.action_id))
            if link.status == "confirmed"]


def visible_links(theme: Theme) -> list[ThemeActionLink]:
    order = {"confirmed": 0, "suggested": 1, "rejected": 2}
    return sorted(theme.action_links, key=lambda l: (order.get(l.status, 3), -(l.score or 0), l.id))

