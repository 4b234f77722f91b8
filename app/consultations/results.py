"""Results: counts per choice question, free-text answers, channels, "About you" aggregates
(small numbers suppressed) and CSV rows. "About you" data never leaves here row by row."""
from dataclasses import dataclass

from sqlalchemy import func

from app.common import equality
from app.common.timeutil import format_london
from app.consultations import kinds
from app.consultations.kinds import other
from app.consultations.models import AGREEMENT_LABELS, CHANNELS, AboutYou, Answer, Response
from app.extensions import db
from app.wards.models import Ward

NOT_ANSWERED = "Not answered"
# What a breakdown can be split by: About-you column -> heading.
BREAKDOWN_BY = {"age_band": "Age", "sex": "Sex", "ethnic_group": "Ethnic group (high-level)",
                "disability": "Disability", "tenure": "Housing", "ward_id": "Ward"}


@dataclass
class Row:
    label: str
    count: int | None  # None: suppressed ("fewer than N")
    percent: float | None = None


def response_count(consultation) -> int:
    return consultation.responses.count()


def by_channel(consultation) -> list[Row]:
    counts = dict(db.session.query(Response.channel, func.count(Response.id)).filter(
        Response.consultation_id == consultation.id).group_by(Response.channel).all())
    total = sum(counts.values())
    from app.conversations.services import participation_text  # each group counts once, its people said here

    labels = dict(CHANNELS, group=f"{CHANNELS['group']}: {heard}" if (heard := participation_text(consultation.id))
                  else CHANNELS["group"])
    return [Row(labels[key], counts.get(key, 0), _pct(counts.get(key, 0), total)) for key in CHANNELS]


def _pct(count, total):
    return (100.0 * count / total) if total else 0.0


def _option_key(question):
    return Answer.scale_value if question.kind in ("agreement", "place_rating") else Answer.option_id


def question_choices(question) -> list[tuple[int, str]]:
    if question.kind == "agreement":
        return list(AGREEMENT_LABELS.items())
    if question.kind == "place_rating":  # app/places
        from app.places.themes import RATING_LABELS
        return list(RATING_LABELS.items())
    return [(o.id, o.label) for o in question.options]


def choice_results(question) -> tuple[int, list[Row]]:
    """(people who answered, rows per choice). Percentages are of the people who answered, so
    a multiple-choice question can add up to more than 100%."""
    key = _option_key(question)
    counts = dict(db.session.query(key, func.count(Answer.id)).filter(
        Answer.question_id == question.id, key.is_not(None)).group_by(key).all())
    answered = db.session.query(func.count(func.distinct(Answer.response_id))).filter(
        Answer.question_id == question.id).scalar()
    rows = [Row(label, counts.get(value, 0), _pct(counts.get(value, 0), answered))
            for value, label in question_choices(question)]
    if other.has_other(question):
        others = db.session.query(func.count(Answer.id)).filter(
            Answer.question_id == question.id, Answer.option_id.is_(None), Answer.text.is_not(None)).scalar()
        rows.append(Row(other.LABEL, others, _pct(others, answered)))
    return answered, rows


def other_answers(question, limit=200) -> list[str]:
    """What people typed under "Other – please specify", newest first (staff only)."""
    return list(db.session.scalars(db.select(Answer.text).where(
        Answer.question_id == question.id, Answer.option_id.is_(None), Answer.text.is_not(None))
        .order_by(Answer.id.desc()).limit(limit)))


def kind_summaries(consultation, threshold, public=False) -> dict:
    """{question id: summary} for the questions of a registered kind (see kinds/__init__.py)."""
    found = {}
    for question in consultation.questions:
        kind = kinds.kind_for(question)
        if kind is not None and (kind.public or not public):
            found[question.id] = (kind, kind.summary(question, threshold))
    return found


def free_text_answers(question, search: str = "", page: int = 1, per_page: int = 25):
    query = db.session.query(Answer.text, Response.reference, Response.submitted_at, Response.channel).join(
        Response, Response.id == Answer.response_id).filter(Answer.question_id == question.id,
                                                            Answer.text.is_not(None))
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.filter(Answer.text.ilike(f"%{escaped}%", escape="\\"))
    # Query.paginate (not db.paginate, which keeps only the first column of each row).
    return query.order_by(Response.submitted_at.desc(), Answer.id.desc()).paginate(
        page=page, per_page=per_page, error_out=False, count=True)


def _characteristic_values(characteristic) -> list[tuple[str | None, str]]:
    """(stored value, label) columns for a breakdown, ending with prefer-not and not answered."""
    if characteristic == "ward_id":
        values = [(w.id, w.name) for w in Ward.query.order_by(Ward.name)]
        return values + [(None, NOT_ANSWERED)]
    if characteristic == "ethnic_group":
        values = [(group, group) for group in equality.ETHNIC_GROUPS]
    else:
        values = list(equality.CHARACTERISTICS[characteristic][1])
    return values + [(equality.PREFER_NOT, equality.PREFER_NOT_LABEL), (None, NOT_ANSWERED)]


def _group_value(characteristic, value):
    if characteristic == "ethnic_group" and value not in (None, equality.PREFER_NOT):
        return equality.ETHNIC_HIGH_LEVEL.get(value, value)
    return value


@dataclass
class Breakdown:
    columns: list[str]
    rows: list[tuple[str, list[int | None]]]  # choice label, counts per column (None = suppressed)


def breakdown(question, characteristic, threshold) -> Breakdown:
    """Answers to a choice question split by an "About you" characteristic.

    People who skipped "About you" fall under "Not answered". Any count from 1 to
    threshold-1 is suppressed so a small group cannot be picked out.
    """
    if characteristic not in BREAKDOWN_BY:
        raise ValueError(characteristic)
    key = _option_key(question)
    answers = db.session.query(Answer.response_id, key).filter(
        Answer.question_id == question.id, key.is_not(None)).all()
    # "About you" is matched to answers here, with the pseudonymous key, never by a SQL join.
    about = AboutYou.for_responses(question.consultation_id, {response_id for response_id, _v in answers})
    counts = {}
    for response_id, value in answers:
        row = about.get(response_id)
        cell = (value, _group_value(characteristic, getattr(row, characteristic) if row else None))
        counts[cell] = counts.get(cell, 0) + 1
    columns = _characteristic_values(characteristic)
    return Breakdown(
        columns=[label for _v, label in columns],
        rows=[(label, [equality.suppress(counts.get((value, col), 0), threshold) for col, _l in columns])
              for value, label in question_choices(question)])


def about_you_profile(consultation, threshold) -> dict[str, list[Row]]:
    """Who responded: counts per answer for each characteristic, small numbers suppressed."""
    total = response_count(consultation)
    profile = {}
    for characteristic, heading in BREAKDOWN_BY.items():
        column = getattr(AboutYou, characteristic)
        counts = {}
        for value, count in db.session.query(column, func.count(AboutYou.respondent_key)).filter(
                AboutYou.consultation_id == consultation.id).group_by(column).all():
            grouped = _group_value(characteristic, value)
            counts[grouped] = counts.get(grouped, 0) + count
        answered_about = sum(counts.values())
        counts[None] = counts.get(None, 0) + (total - answered_about)
        profile[heading] = [Row(label, equality.suppress(counts.get(value, 0), threshold))
                            for value, label in _characteristic_values(characteristic)]
    return profile


def about_you_rows(consultation, threshold):
    """The aggregate "About you" table for CSV: characteristic, answer, count or 'fewer than N'."""
    header = ["Characteristic", "Answer", "Number of people"]
    rows = []
    for heading, items in about_you_profile(consultation, threshold).items():
        for row in items:
            rows.append([heading, row.label, row.count if row.count is not None else f"fewer than {threshold}"])
    return header, rows


def export_rows(consultation):
    """One row per response; answers only. Deliberately no "About you" and no email addresses."""
    questions = list(consultation.questions)
    labels = {}
    for question in questions:
        labels.update({(question.id, value): label for value, label in question_choices(question)})
    header = ["Reference", "Submitted (UK time)", "Channel", "Collected on"] + [q.text for q in questions]
    answers = {}
    query = db.session.query(Answer.response_id, Answer.question_id, Answer.text, Answer.option_id,
                             Answer.scale_value, Answer.number, Answer.date_value).join(
        Response, Response.id == Answer.response_id).filter(
        Response.consultation_id == consultation.id).order_by(Answer.id)
    registered = {q.id: (q, kinds.kind_for(q)) for q in questions if kinds.kind_for(q) is not None}
    structured = {}  # a registered kind writes its own cell from all of a response's rows
    choice_ids = {q.id for q in questions if q.is_choice}
    for row in query:
        response_id, question_id, text, option_id, scale_value = row[:5]
        if question_id in registered:
            structured.setdefault((response_id, question_id), []).append(row)
            continue
        if text is not None:
            value = other.cell(text) if question_id in choice_ids else text
        else:
            value = labels.get((question_id, option_id if scale_value is None else scale_value), "")
        answers.setdefault((response_id, question_id), []).append(value)
    for (response_id, question_id), found in structured.items():
        question, kind = registered[question_id]
        answers[(response_id, question_id)] = [kind.cell(question, found)]
    rows = []
    for response in consultation.responses.order_by(Response.submitted_at, Response.id):
        rows.append([response.reference, format_london(response.submitted_at, "%Y-%m-%d %H:%M"),
                     CHANNELS.get(response.channel, response.channel),
                     response.collected_on.isoformat() if response.collected_on else ""]
                    + ["; ".join(answers.get((response.id, q.id), [])) for q in questions])
    return header, rows
