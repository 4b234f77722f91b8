"""Helpers for consultation tests: valid form data built from a consultation's questions."""
import pytest

from app.consultations.models import Response
from tests import factories


def answers_for(consultation, **overrides):
    """Form data answering every question validly; override by question position: q0="..."."""
    data = {}
    for position, question in enumerate(consultation.questions):
        if question.kind == "free_text":
            value = "More benches, please."
        elif question.kind == "agreement":
            value = "4"
        elif question.kind == "multiple_choice":
            value = [str(question.options[0].id), str(question.options[1].id)]
        else:
            value = str(question.options[0].id)
        data[question.field_name] = overrides.pop(f"q{position}", value)
    data.update(overrides)
    return data


def field(consultation, position):
    return consultation.questions[position].field_name


@pytest.fixture()
def open_consultation(db):
    return factories.consultation(status="open", title="Parks for everyone")


def response_count(consultation):
    return Response.query.filter_by(consultation_id=consultation.id).count()
