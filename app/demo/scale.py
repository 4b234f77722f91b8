"""`flask demo --scale`: the demo borough grown to a council's real size, for bench/speed.py.

Runs after the ordinary demo (so the published "You said, we did" page and its themes exist)
and adds consultations cloned from app/demo/data/consultations.json, action plans cloned from
the demo plan, and responses spread over every consultation that takes them. Themes are not
computed for the clones (the pages the bench reads are the demo's own, which have them).
Responses, answers and "About you" rows go in batches with PostgreSQL's COPY (SQLAlchemy Core
executemany on SQLite), not one ORM object at a time.

Refuses, changing nothing, if the database is already scaled: scaling twice would only make
the figures harder to compare.
"""
import json
import os
import random
from datetime import timedelta

from sqlalchemy import func, insert, select

from app.accounts.models import User
from app.actions.models import Action, ActionPlan, Milestone, ProgressUpdate
from app.common.pseudonym import RESPONSE, pseudonym
from app.common.timeutil import utcnow
from app.consultations import demo as consultations_demo
from app.consultations.models import AboutYou, Answer, Consultation, Response
from app.extensions import db
from app.wards.models import Ward

MARK = "(scaled demo"  # in every title this module writes, so a second run can see the first
BATCH = 5000
# Cloned consultations cycle through these, so lists, results and progress pages all have rows.
STATUSES = ["open", "closed", "published", "open", "closed", "draft"]
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class AlreadyScaled(Exception):
    pass


def scale(data_dir, consultations=50, responses=100_000, plans=10, seed=2026) -> list[str]:
    """Grow the loaded demo to these totals; the caller commits. Raises AlreadyScaled."""
    ensure_not_scaled()
    rng = random.Random(seed)
    lines = [f"Consultations: {_add_consultations(data_dir, consultations, rng)} added"]
    lines.append(f"Action plans: {_add_plans(plans)} added")
    added = _add_responses(data_dir, responses, rng)
    lines.append(f"Responses: {added} added")
    return lines


def ensure_not_scaled():
    done = db.session.scalar(select(func.count(Consultation.id)).where(Consultation.title.contains(MARK)))
    if done:
        raise AlreadyScaled(f"This database is already scaled ({done} scaled consultations). Nothing changed; "
                            "use a fresh database to scale again.")


def _add_consultations(data_dir, total, rng) -> int:
    with open(os.path.join(data_dir, "consultations.json"), encoding="utf-8") as handle:
        specs = json.load(handle)
    officer = db.session.scalar(select(User).where(User.role == "officer").order_by(User.id))
    existing = db.session.scalar(select(func.count(Consultation.id)))
    wanted = max(0, total - existing)
    for n in range(wanted):
        spec = dict(specs[n % len(specs)])
        status = STATUSES[n % len(STATUSES)]
        spec["title"] = f"{spec['title']} {MARK} {n + 1})"
        spec["status"] = "closed" if status == "published" else status
        consultation = consultations_demo._create(spec, officer)
        if status == "published":
            consultation.results_published_at = consultation.closes_at + timedelta(days=rng.randint(1, 10))
    db.session.flush()
    return wanted


def _add_plans(total) -> int:
    """Copies of the first (demo) plan, actions, milestones and updates included."""
    source = db.session.scalar(select(ActionPlan).order_by(ActionPlan.id))
    existing = db.session.scalar(select(func.count(ActionPlan.id)))
    wanted = max(0, total - existing) if source is not None else 0
    for n in range(wanted):
        plan = ActionPlan(title=f"{source.title} {MARK} {n + 1})", summary=source.summary)
        for action in source.actions:
            copy = Action(**{c: getattr(action, c) for c in _columns(Action, "id", "plan_id")})
            copy.milestones = [Milestone(**{c: getattr(m, c) for c in _columns(Milestone, "id", "action_id")})
                               for m in action.milestones]
            copy.updates = [ProgressUpdate(**{c: getattr(u, c) for c in _columns(ProgressUpdate, "id", "action_id")})
                            for u in action.updates]
            plan.actions.append(copy)
        db.session.add(plan)
    db.session.flush()
    return wanted


def _columns(model, *skip):
    return [c.key for c in model.__table__.columns if c.key not in skip]


def _add_responses(data_dir, total, rng) -> int:
    now = utcnow()
    takers = [c for c in db.session.scalars(select(Consultation).order_by(Consultation.id))
              if c.status_at(now) in ("open", "closed", "published")]
    existing = db.session.scalar(select(func.count(Response.id)))
    wanted = max(0, total - existing)
    if not takers or not wanted:
        return 0
    with open(os.path.join(data_dir, "consultations.json"), encoding="utf-8") as handle:
        comments = [c["text"] for spec in json.load(handle) for c in spec.get("comments", [])]
    all_wards = [w.id for w in db.session.scalars(select(Ward))]
    references = set(db.session.scalars(select(Response.reference)))
    share, extra = divmod(wanted, len(takers))
    for index, consultation in enumerate(takers):
        count = share + (1 if index < extra else 0)
        for start in range(0, count, BATCH):
            _insert_batch(consultation, min(BATCH, count - start), rng, comments, all_wards, references, now)
    return wanted


def _reference(rng, taken):
    while True:
        value = "-".join("".join(rng.choice(REFERENCE_ALPHABET) for _ in range(4)) for _ in range(2))
        if value not in taken:
            taken.add(value)
            return value


def _insert_batch(consultation, count, rng, comments, all_wards, references, now):
    end = min(now, consultation.closes_at)
    span = max(1.0, (end - consultation.opens_at).total_seconds())
    rows = [{"consultation_id": consultation.id, "reference": _reference(rng, references),
             "channel": consultations_demo._pick(rng, consultations_demo.CHANNEL_WEIGHTS),
             "keep_informed": False, "submitted_at": consultation.opens_at + timedelta(seconds=rng.uniform(0, span))}
            for _ in range(count)]
    ids = _insert(Response, rows, returning_ids=True)
    answers, about = [], []
    free_text = consultation.free_text_questions[:1]
    wards = [w.id for w in consultation.wards] if not consultation.borough_wide else all_wards
    for response_id in ids:
        for question in consultation.questions:
            row = {"response_id": response_id, "question_id": question.id, "text": None, "option_id": None,
                   "scale_value": None}
            if question.kind == "agreement":
                answers.append({**row, "scale_value": rng.choice([1, 2, 3, 3, 4, 4, 5])})
            elif question.kind == "single_choice":
                answers.append({**row, "option_id": rng.choice(question.options).id})
            elif question.kind == "multiple_choice":
                for option in rng.sample(question.options, rng.randint(1, min(3, len(question.options)))):
                    answers.append({**row, "option_id": option.id})
            elif question in free_text and rng.random() < 0.6:
                answers.append({**row, "text": rng.choice(comments)})
        if rng.random() < 0.7:
            about.append({"respondent_key": pseudonym(RESPONSE, response_id), "consultation_id": consultation.id,
                          "age_band": consultations_demo._pick(rng, consultations_demo.AGE_WEIGHTS),
                          "sex": rng.choice(["female", "male"]), "ethnic_group": None, "disability": None,
                          "tenure": consultations_demo._pick(rng, consultations_demo.TENURE_WEIGHTS),
                          "ward_id": rng.choice(wards) if wards else None})
    _insert(Answer, answers)
    _insert(AboutYou, about)


def _insert(model, rows, returning_ids=False):
    """Insert rows (dicts with the same keys): COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return []
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        if returning_ids:
            return db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), rows).all()
        db.session.execute(insert(model), rows)
        return []
    table = model.__table__.name
    raw = connection.connection.driver_connection  # psycopg 3, inside the session's transaction
    with raw.cursor() as cursor:
        ids = []
        if returning_ids:  # the ids come from the table's own sequence, as an INSERT's would
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           (table, len(rows)))
            ids = [row[0] for row in cursor.fetchall()]
            rows = [{"id": i, **row} for i, row in zip(ids, rows)]
        columns = list(rows[0])
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
    return ids
