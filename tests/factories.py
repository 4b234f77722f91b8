"""Small builders for test data. They add and flush, and commit so live servers see the rows."""
import itertools
from datetime import timedelta

from app.accounts.models import User
from app.common.timeutil import utcnow
from app.consultations.models import Consultation, Question, QuestionOption
from app.extensions import db
from app.wards.models import Ward

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def user(role="officer", email=None, name=None, password=PASSWORD, **fields):
    n = next(_seq)
    person = User(email=email or f"{role}{n}@example.org", name=name or f"{role.title()} {n}", role=role, **fields)
    person.set_password(password)
    db.session.add(person)
    db.session.commit()
    return person


def ward(name=None):
    n = next(_seq)
    w = Ward(name=name or f"Ward {n}", slug=f"ward-{n}")
    db.session.add(w)
    db.session.commit()
    return w


def consultation(status="open", title=None, questions=None, **fields):
    """A consultation in the given state with a default question set.

    questions: list of dicts {kind, text, required, options} (defaults to one of each kind).
    """
    now = utcnow()
    n = next(_seq)
    windows = {
        "draft": (now - timedelta(days=1), now + timedelta(days=30), None),
        "scheduled": (now + timedelta(days=2), now + timedelta(days=30), now),
        "open": (now - timedelta(days=1), now + timedelta(days=30), now),
        "closed": (now - timedelta(days=30), now - timedelta(days=1), now - timedelta(days=31)),
        "published": (now - timedelta(days=30), now - timedelta(days=1), now - timedelta(days=31)),
    }
    opens, closes, launched = windows[status]
    c = Consultation(title=title or f"Consultation {n}", summary="A summary.", body="Some body text.",
                     opens_at=opens, closes_at=closes, launched_at=launched, **fields)
    if status == "published":
        c.results_published_at = now
    for position, spec in enumerate(questions if questions is not None else DEFAULT_QUESTIONS):
        q = Question(kind=spec["kind"], text=spec["text"], hint=spec.get("hint", ""),
                     required=spec.get("required", False), position=position, settings=spec.get("settings", {}))
        for i, label in enumerate(spec.get("options", [])):
            q.options.append(QuestionOption(label=label, position=i))
        c.questions.append(q)
    db.session.add(c)
    db.session.commit()
    return c


DEFAULT_QUESTIONS = [
    {"kind": "single_choice", "text": "How often do you visit a park?", "required": True,
     "options": ["Every day", "Every week", "Less often"]},
    {"kind": "agreement", "text": "We should open parks later in the evening.", "required": False},
    {"kind": "multiple_choice", "text": "What matters most?", "options": ["Toilets", "Lighting", "Play areas"]},
    {"kind": "free_text", "text": "What one change would you make?", "required": True},
]
