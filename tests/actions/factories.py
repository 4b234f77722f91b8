"""Builders for action plans and a closed consultation with themes (committed, like tests/factories.py)."""
from datetime import timedelta

from app.actions.models import Action, ActionPlan, Milestone, ProgressUpdate
from app.actions.services import today_london
from app.consultations.models import AboutYou, Answer, Response
from app.extensions import db
from app.themes.models import Theme, ThemeActionLink
from tests import factories

COMMENTS = [
    "Repairs take months. Email me at jo.bloggs@example.com or ring 07700 900123, I live at NB1 2AB.",
    "The lifts in Kestrel House are broken every week and my mum can't get out.",
    "Nobody turns up for the repair appointment and we wait in all day.",
    "The stairwells are dark and people feel unsafe coming home at night.",
    "More lighting and CCTV near the bin stores please.",
    "Mould in the bedroom keeps coming back after they paint over it.",
]


def plan(title="Fairer Plan 2025 to 2029", actions=3, **fields):
    p = ActionPlan(title=title, **fields)
    for i in range(actions):
        p.actions.append(Action(position=i, number=f"1.{i + 1}", title=f"Action {i + 1}",
                                priority="Good homes" if i % 2 == 0 else "Safer estates",
                                objective="Repairs done right", description="Do it well."))
    db.session.add(p)
    db.session.commit()
    return p


def milestone(action, title="A milestone", target=None, completed_on=None):
    m = Milestone(action=action, title=title, target_date=target, completed_on=completed_on)
    db.session.add(m)
    db.session.commit()
    return m


def update(action, on=None, text="Work started.", percent=None):
    u = ProgressUpdate(action=action, update_date=on or today_london(), text=text, percent=percent)
    db.session.add(u)
    db.session.commit()
    return u


def consultation_with_themes(status="closed", title="Housing repairs and estate safety", channels=None,
                             keep_informed=(), themes=(("Slow repairs", 3), ("Unsafe estates", 2), ("Mould", 1)),
                             **fields):
    """A consultation with one free-text question, one response per comment and themes over them.

    keep_informed: email addresses of respondents who ticked "keep me informed".
    """
    c = factories.consultation(status=status, title=title, questions=[
        {"kind": "free_text", "text": "What should we change about repairs and estates?"}], **fields)
    question = c.questions[0]
    channels = channels or ["online", "online", "paper", "online", "event", "phone"]
    answers = []
    for i, text in enumerate(COMMENTS):
        email = keep_informed[i] if i < len(keep_informed) else None
        r = Response(consultation=c, channel=channels[i % len(channels)], keep_informed=bool(email),
                     contact_email=email)
        r.answers.append(Answer(question=question, text=text))
        db.session.add(r)
        db.session.flush()
        db.session.add(AboutYou(response_id=r.id, consultation_id=c.id, age_band="25_34", sex="female",
                                ethnic_group="white_british", disability="not_disabled", tenure="social_council"))
        answers.append(r.answers[0])
    db.session.flush()
    made, start = [], 0
    for label, size in themes:
        examples = [a.id for a in answers[start:start + size]]
        made.append(Theme(question=question, label=label, size=size, examples=examples,
                          keywords=[label.split()[-1].lower()]))
        start += size
    db.session.add_all(made)
    db.session.commit()
    return c, made


def link(theme, action, status="confirmed", score=0.5):
    l = ThemeActionLink(theme=theme, action=action, status=status, score=score)
    db.session.add(l)
    db.session.commit()
    return l


# The app's "today" is London's (as on the pages), not the test machine's local date.
def past(days):
    return today_london() - timedelta(days=days)


def future(days):
    return today_london() + timedelta(days=days)
