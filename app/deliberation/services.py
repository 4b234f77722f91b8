"""Statements logic: set-up, votes, residents' statements, moderation and results. Flush, never commit."""
from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.common import equality
from app.common.pseudonym import pseudonyms
from app.common.timeutil import utcnow
from app.deliberation.models import (PARTICIPANT, VOTE_VALUES, Conversation, ConversationResults,
                                     DeliberationAboutYou, Participant, Statement, Vote)
from app.extensions import db

# "About you" questions asked on the statements page (with consent): column -> (heading, choices).
GROUPS = {
    "age_band": ("Age", equality.AGE_BANDS),
    "disability": ("Disability", [("disabled", "Disabled"), ("not_disabled", "Not disabled")]),
    "tenure": ("Housing", equality.TENURES),
}
GROUP_LETTERS = "ABCDE"


class StatementUnavailable(Exception):
    """The statement is not one this conversation shows to voters (unknown, another
    conversation's, waiting for moderation or rejected)."""


class VotingClosed(Exception):
    """The consultation is not open (any more)."""


def conversation_for(consultation_id) -> Conversation | None:
    return db.session.scalar(select(Conversation).where(Conversation.consultation_id == consultation_id))


def _bump(conversation):
    """The results cached for the conversation are out of date (a single UPDATE, so concurrent
    votes never lose a bump, and no ORM change that would empty the public page cache)."""
    db.session.execute(update(Conversation).where(Conversation.id == conversation.id)
                       .values(version=Conversation.version + 1))


def create_conversation(consultation, topic, seed_texts, residents_may_add=True, user=None) -> Conversation:
    conversation = Conversation(consultation_id=consultation.id, topic=topic.strip(),
                                residents_may_add=residents_may_add, created_by_id=getattr(user, "id", None))
    db.session.add(conversation)
    db.session.flush()
    add_seed_statements(conversation, seed_texts, user)
    return conversation


def add_seed_statements(conversation, texts, user=None) -> list[Statement]:
    """An officer's statements: shown to voters at once."""
    now = utcnow()
    added = [Statement(conversation_id=conversation.id, text=text, status="approved", from_resident=False,
                       moderated_at=now, moderated_by_id=getattr(user, "id", None)) for text in texts]
    db.session.add_all(added)
    db.session.flush()
    if added:
        _bump(conversation)
    db.session.expire(conversation, ["statements"])
    return added


def new_participant(conversation) -> Participant:
    participant = Participant(conversation_id=conversation.id)
    db.session.add(participant)
    db.session.flush()
    return participant


def votes_of(participant) -> dict[int, int]:
    """{statement id: stored value} of a participant (empty for None)."""
    if participant is None:
        return {}
    return dict(db.session.execute(select(Vote.statement_id, Vote.value)
                                   .where(Vote.participant_id == participant.id)).all())


def approved_statement(conversation, statement_id) -> Statement:
    statement = db.session.get(Statement, statement_id) if statement_id is not None else None
    if statement is None or statement.conversation_id != conversation.id or statement.status != "approved":
        raise StatementUnavailable()
    return statement


def next_statement(conversation, voted: dict[int, int]) -> Statement | None:
    """The first approved statement this participant has not voted on (seed statements first,
    then residents' in the order they were approved)."""
    for statement in sorted(conversation.approved(), key=lambda s: (s.moderated_at or s.created_at, s.id)):
        if statement.id not in voted:
            return statement
    return None


def record_vote(conversation, participant, statement_id, choice: str) -> Vote:
    """Store or replace a participant's vote. Raises ValueError for an unknown choice,
    StatementUnavailable, or VotingClosed; nothing is changed then."""
    if choice not in VOTE_VALUES:
        raise ValueError(f"unknown vote {choice!r}")
    statement = approved_statement(conversation, statement_id)
    if not conversation.is_open:
        raise VotingClosed()
    vote = db.session.get(Vote, (participant.id, statement.id))
    if vote is None:
        vote = Vote(participant_id=participant.id, statement_id=statement.id)
        db.session.add(vote)
    elif vote.value == VOTE_VALUES[choice]:
        return vote
    vote.value, vote.voted_at = VOTE_VALUES[choice], utcnow()
    db.session.flush()
    _bump(conversation)
    return vote


def submit_statement(conversation, participant, text: str) -> Statement:
    """A resident's statement, redacted, waiting for an officer."""
    from app.themes.engine import redact

    if not conversation.is_open:
        raise VotingClosed()
    statement = Statement(conversation_id=conversation.id, text=redact(text.strip())[:200], status="pending",
                          from_resident=True, submitted_by_id=participant.id)
    db.session.add(statement)
    db.session.flush()
    return statement


def moderate(statement, approve: bool, user):
    was_approved = statement.status == "approved"
    statement.moderate(approve, user)
    db.session.flush()
    if was_approved != approve:
        _bump(statement.conversation)


def about_you_of(participant) -> DeliberationAboutYou | None:
    if participant is None:
        return None
    return db.session.get(DeliberationAboutYou, DeliberationAboutYou.key_for(participant.id))


def save_about_you(conversation, participant, consent: bool, answers: dict):
    """With consent, keep the answers (replacing earlier ones); without, forget any kept."""
    row = about_you_of(participant)
    participant.consented = consent
    if consent and any(answers.values()):
        if row is None:
            row = DeliberationAboutYou(respondent_key=DeliberationAboutYou.key_for(participant.id),
                                       conversation_id=conversation.id)
            db.session.add(row)
        for column in GROUPS:
            setattr(row, column, answers.get(column) or None)
    elif row is not None:
        db.session.delete(row)
    db.session.flush()
    _bump(conversation)


def vote_counts(conversation) -> dict:
    """Participants and votes so far (for the staff page)."""
    row = db.session.execute(
        select(func.count(Vote.statement_id), func.count(func.distinct(Vote.participant_id)))
        .join(Statement, Statement.id == Vote.statement_id)
        .where(Statement.conversation_id == conversation.id)).one()
    return {"votes": row[0], "participants": row[1]}


# --- results -----------------------------------------------------------------------------------

def results(conversation) -> dict:
    """The opinion-group results for the conversation's current version: read from the cache,
    or computed (once per version) and stored."""
    cached = db.session.get(ConversationResults, conversation.id)
    if cached is not None and cached.version == conversation.version:
        return cached.data
    data = compute_results(conversation)
    if cached is not None:
        cached.version, cached.data, cached.computed_at = conversation.version, data, utcnow()
        db.session.flush()
        return data
    try:
        with db.session.begin_nested():  # two first views at once: one stores, the other just shows
            db.session.add(ConversationResults(conversation_id=conversation.id, version=conversation.version,
                                               data=data))
    except IntegrityError:
        pass
    return data


def _matrix(conversation):
    """(vote matrix, participant ids, statements): rows participants, columns approved statements."""
    import numpy as np

    statements = sorted(conversation.approved(), key=lambda s: s.id)
    column = {s.id: i for i, s in enumerate(statements)}
    rows = db.session.execute(select(Vote.participant_id, Vote.statement_id, Vote.value)
                              .where(Vote.statement_id.in_(list(column) or [-1]))).all()
    participants = sorted({r[0] for r in rows})
    row_of = {p: i for i, p in enumerate(participants)}
    X = np.full((len(participants), len(statements)), np.nan, dtype=np.float32)
    if rows:
        data = np.array(rows, dtype=np.int64)
        X[[row_of[p] for p in data[:, 0]], [column[s] for s in data[:, 1]]] = data[:, 2]
    return X, participants, statements


def compute_results(conversation) -> dict:
    import numpy as np

    from nlp.opinion import NotEnoughVotes, summarise

    X, participants, statements = _matrix(conversation)
    seen = ~np.isnan(X)
    tallies = [{"id": s.id, "text": s.text, "from_resident": s.from_resident,
                "agree": int((X[:, i] == 1).sum()), "disagree": int((X[:, i] == -1).sum()),
                "pass": int((X[:, i] == 0).sum()), "votes": int(seen[:, i].sum())}
               for i, s in enumerate(statements)]
    data = {"participants": len(participants), "votes": int(seen.sum()), "statements": tallies,
            "computed_at": utcnow().isoformat(timespec="seconds"), "groups": [], "consensus": [],
            "points": [], "crosstab": []}
    try:
        found = summarise(X)
    except NotEnoughVotes as exc:
        data["not_enough"] = str(exc)
        return data

    def described(stat):
        statement = statements[stat["statement"]]
        return {"id": statement.id, "text": statement.text, "direction": stat["direction"],
                "rate_in": round(stat["rate_in"] * 100), "rate_out": round(stat["rate_out"] * 100),
                "votes_in": stat["votes_in"]}

    data["groups"] = [{"letter": GROUP_LETTERS[g], "size": group["size"],
                       "representative": [described(s) for s in group["representative"]]}
                      for g, group in enumerate(found["groups"])]
    data["consensus"] = [described(s) for s in found["consensus"]]
    data["placed"] = found["participants"]
    data["silhouette"] = found["silhouette"]
    # Positions only (no participant ids): at most 1,500 dots are drawn.
    points = found["points"]
    if len(points) > 1500:
        keep = np.random.default_rng(0).choice(len(points), 1500, replace=False)
        points = [points[i] for i in sorted(keep)]
    data["points"] = [[group, x, y] for _row, group, x, y in points]
    data["points_drawn"] = len(points)
    data["centres"] = _centres(found["points"], len(found["groups"]))
    group_of = {participants[row]: group for row, group, _x, _y in found["points"]}
    data["crosstab"] = _crosstab(conversation, group_of, len(found["groups"]))
    return data


def _centres(points, k):
    sums = [[0.0, 0.0, 0] for _ in range(k)]
    for _row, group, x, y in points:
        sums[group][0] += x
        sums[group][1] += y
        sums[group][2] += 1
    return [[round(sx / n, 2), round(sy / n, 2)] if n else [0, 0] for sx, sy, n in sums]


def _crosstab(conversation, group_of: dict[int, int], k: int) -> list:
    """Groups by "About you" answer, for participants who consented: [{heading, rows: [{label,
    counts: [int or None per group], total}]}], counts under the threshold hidden (None)."""
    limit = int(current_app.config.get("SMALL_NUMBER_THRESHOLD", 10))
    consenting = db.session.scalars(select(Participant.id).where(
        Participant.conversation_id == conversation.id, Participant.consented.is_(True))).all()
    key_to_id = pseudonyms(PARTICIPANT, [p for p in consenting if p in group_of])
    answers = {}
    for row in db.session.scalars(select(DeliberationAboutYou)
                                  .where(DeliberationAboutYou.conversation_id == conversation.id)):
        participant_id = key_to_id.get(row.respondent_key)
        if participant_id is not None:
            answers[participant_id] = row
    tables = []
    for column, (heading, choices) in GROUPS.items():
        rows = []
        for code, label in equality.with_prefer_not(choices):
            counts = [0] * k
            for participant_id, row in answers.items():
                if getattr(row, column) == code:
                    counts[group_of[participant_id]] += 1
            total = sum(counts)
            if total:
                shown = [equality.suppress(c, limit) for c in counts]
                # A total beside a hidden cell would give the hidden count away by subtraction.
                rows.append({"label": label, "counts": shown,
                             "total": None if None in shown else equality.suppress(total, limit)})
        tables.append({"heading": heading, "rows": rows, "answered": len(answers)})
    return tables
