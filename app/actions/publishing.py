"""Publishing, unpublishing and deleting plans, actions, milestones and progress updates.

Every change is written to the plan's history (PlanEvent) in the same transaction. Services
flush; the route commits. What each change will do is worded here once, for the confirmation
page, so the page and the change can't disagree.
"""
from app.actions.models import Action, ActionPlan, Milestone, PlanEvent, ProgressUpdate, ThemeResponse
from app.extensions import db

MODELS = {"plans": ActionPlan, "actions": Action, "milestones": Milestone, "updates": ProgressUpdate}
VERBS = ("publish", "unpublish", "delete")


class ChangeRefused(ValueError):
    """A delete that would break a public record; the message says what to do instead."""


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def plan_of(item) -> ActionPlan:
    if isinstance(item, ActionPlan):
        return item
    if isinstance(item, Action):
        return item.plan
    return item.action.plan


def describe(item) -> str:
    """The item in words, as it will read in the history after it is gone."""
    if isinstance(item, ActionPlan):
        return f"plan “{item.title}”"
    if isinstance(item, Action):
        return f"action “{item.display_title}”"
    if isinstance(item, Milestone):
        return f"milestone “{item.title}” of action “{item.action.display_title}”"
    day = item.update_date.strftime("%-d %B %Y")
    return f"progress update of {day} on action “{item.action.display_title}”"


def is_public(item) -> bool:
    if isinstance(item, ActionPlan):
        return item.published
    if isinstance(item, Action):
        return item.is_public
    return item.published and item.action.is_public


def record(plan: ActionPlan, user, verb: str, text: str) -> PlanEvent:
    event = PlanEvent(plan=plan, plan_title=plan.title, user_id=getattr(user, "id", None),
                      user_name=getattr(user, "name", "") or "", verb=verb, text=text[:600])
    db.session.add(event)
    db.session.flush()
    return event


# --- What will happen ----------------------------------------------------------------------

def _actions_of(item) -> list[Action]:
    if isinstance(item, ActionPlan):
        return list(item.actions)
    return [item] if isinstance(item, Action) else []


def _linked_responses(actions) -> int:
    """Published "You said, we did" responses that link to any of these actions."""
    from app.actions.models import YouSaidWeDid

    ids = [a.id for a in actions]
    if not ids:
        return 0
    return (ThemeResponse.query.join(YouSaidWeDid)
            .filter(ThemeResponse.action_id.in_(ids), YouSaidWeDid.published_at.is_not(None)).count())


def delete_blockers(item) -> list[str]:
    """Why this can't be deleted: a confirmed theme link or a "You said, we did" response points
    at it (or at one of its actions). Milestones and updates have nothing pointing at them."""
    from app.themes.models import ThemeActionLink

    actions = _actions_of(item)
    if not actions:
        return []
    ids = [a.id for a in actions]
    problems = []
    links = ThemeActionLink.query.filter(ThemeActionLink.action_id.in_(ids),
                                         ThemeActionLink.status == "confirmed").count()
    if links:
        problems.append(f"{plural(links, 'consultation theme is', 'consultation themes are')} confirmed as "
                        "linked to " + ("this action" if isinstance(item, Action) else "actions in this plan")
                        + ". Remove the links on the themes’ pages first, or unpublish instead.")
    responses = ThemeResponse.query.filter(ThemeResponse.action_id.in_(ids)).count()
    if responses:
        problems.append(f"{plural(responses, '“You said, we did” response links', '“You said, we did” responses link')} "
                        "to " + ("this action" if isinstance(item, Action) else "actions in this plan")
                        + ". Change those responses first, or unpublish instead: a hidden action’s "
                        "response is shown without the link.")
    return problems


def consequences(item, verb: str) -> list[str]:
    """Sentences for the confirmation page: what residents will and won't see afterwards."""
    what = describe(item)
    if verb == "publish":
        if isinstance(item, ActionPlan):
            shown = [a for a in item.actions if a.published]
            lines = [f"{plural(len(shown), 'action')} will appear on the public progress page and in the "
                     "open-data API, each with its own public page."]
            milestones = sum(len(a.public_milestones) for a in shown)
            updates = sum(len(a.public_updates) for a in shown)
            if milestones or updates:
                lines.append(f"{plural(milestones, 'milestone')} and {plural(updates, 'progress update')} "
                             "will be public with them.")
            hidden = len(item.actions) - len(shown)
            if hidden:
                lines.append(f"{plural(hidden, 'action')} you unpublished will stay hidden.")
            return lines
        if not plan_of(item).published:
            return [f"The {what} will be marked as published. Residents will see it once the plan is published."]
        if not isinstance(item, (ActionPlan, Action)) and not item.action.published:
            return [f"The {what} will be marked as published. Residents will see it once the action is published."]
        where = ("the public progress page, its own page and the open-data API" if isinstance(item, Action)
                 else "the action’s public page and the open-data API")
        return [f"The {what} will appear on {where}."]
    if verb == "unpublish":
        if isinstance(item, ActionPlan):
            lines = [f"The plan and its {plural(len(item.actions), 'action')} will disappear from the public "
                     "progress page, their public pages and the open-data API. Staff still see them."]
        elif isinstance(item, Action):
            lines = [f"The {what} will disappear from the public progress page, its public page and the "
                     "open-data API. Staff still see it."]
        else:
            lines = [f"The {what} will disappear from the action’s public page and the open-data API. "
                     "Staff still see it."]
        responses = _linked_responses(_actions_of(item))
        if responses:
            lines.append(f"{plural(responses, '“You said, we did” response links', '“You said, we did” responses link')} "
                         "to it. " + ("It stays public" if responses == 1 else "They stay public")
                         + ", without the link to the action.")
        lines.append("You can publish it again at any time.")
        return lines
    lines = [f"The {what} will be deleted. This can’t be undone; the plan’s history keeps its title."]
    if isinstance(item, ActionPlan):
        milestones = sum(len(a.milestones) for a in item.actions)
        updates = sum(len(a.updates) for a in item.actions)
        lines.append(f"Its {plural(len(item.actions), 'action')}, {plural(milestones, 'milestone')} and "
                     f"{plural(updates, 'progress update')} will be deleted with it.")
    elif isinstance(item, Action):
        lines.append(f"Its {plural(len(item.milestones), 'milestone')} and "
                     f"{plural(len(item.updates), 'progress update')} will be deleted with it.")
    if is_public(item):
        lines.append("It is public now: if you may want it back, unpublish it instead.")
    return lines


# --- The changes ---------------------------------------------------------------------------

def publish(item, user) -> bool:
    """Returns False if it was published already (nothing recorded)."""
    if item.published:
        return False
    item.published = True
    if isinstance(item, ActionPlan):
        shown = sum(1 for a in item.actions if a.published)
        record(item, user, "published", f"Published the plan, with {plural(shown, 'action')}")
    else:
        record(plan_of(item), user, "published", f"Published the {describe(item)}")
    return True


def unpublish(item, user) -> bool:
    if not item.published:
        return False
    item.published = False
    text = "Unpublished the plan" if isinstance(item, ActionPlan) else f"Unpublished the {describe(item)}"
    record(plan_of(item), user, "unpublished", text)
    return True


def delete(item, user) -> None:
    """Delete with everything under it, or raise ChangeRefused. Unconfirmed theme suggestions
    for its actions go too (they are the engine's guesses, not decisions)."""
    from app.themes.models import ThemeActionLink

    problems = delete_blockers(item)
    if problems:
        raise ChangeRefused(" ".join(problems))
    plan = plan_of(item)
    text = f"Deleted the {describe(item)}"
    if isinstance(item, ActionPlan):
        text += f", with its {plural(len(item.actions), 'action')}"
    ids = [a.id for a in _actions_of(item)]
    if ids:
        ThemeActionLink.query.filter(ThemeActionLink.action_id.in_(ids)).delete(synchronize_session="fetch")
    if isinstance(item, ActionPlan):
        # The plan's events stay, unlinked, so its deletion can still be read.
        record(plan, user, "deleted", text).plan = None
        for event in list(plan.events):
            event.plan = None
    else:
        record(plan, user, "deleted", text)
    # Deleted outright, not removed from its parent's list first: doing both makes SQLAlchemy's
    # flush fail ("Failed to add object to the flush context") when the list was not loaded.
    parent, collection = _parent(item)
    db.session.delete(item)
    db.session.flush()
    if parent is not None:
        db.session.expire(parent, [collection])  # so the parent's list no longer shows it


def _parent(item):
    if isinstance(item, ActionPlan):
        return None, None
    if isinstance(item, Action):
        return item.plan, "actions"
    return item.action, "milestones" if isinstance(item, Milestone) else "updates"


def deleted_plan_events(limit: int = 20) -> list[PlanEvent]:
    """History of plans that are gone (their events lost the link), newest first."""
    return (PlanEvent.query.filter(PlanEvent.plan_id.is_(None))
            .order_by(PlanEvent.occurred_at.desc(), PlanEvent.id.desc()).limit(limit).all())
