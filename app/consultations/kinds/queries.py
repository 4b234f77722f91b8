"""The few queries the kinds share."""
from sqlalchemy import select

from app.consultations.models import Answer
from app.extensions import db


def answer_values(question):
    """Every answer row to a question (response_id, option_id, scale_value, text, number, date_value)."""
    return db.session.execute(select(Answer.response_id, Answer.option_id, Answer.scale_value, Answer.text,
                                     Answer.number, Answer.date_value)
                              .where(Answer.question_id == question.id).order_by(Answer.id)).all()


def by_response(rows) -> dict[int, list]:
    grouped = {}
    for row in rows:
        grouped.setdefault(row.response_id, []).append(row)
    return grouped
