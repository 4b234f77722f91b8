"""Responses that race the closing time: nothing saved, the resident told plainly."""
from datetime import timedelta

from sqlalchemy import event, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.common.timeutil import utcnow
from app.consultations.models import Consultation
from app.extensions import db
from app.wards.models import Ward
from tests.consultations.conftest import answers_for, response_count


def _close_when_wards_are_read(consultation_id):
    """The clock passes closes_at just after respond() checked it: the response form reads the
    ward list next, so at that moment the consultation's closing time is moved into the past, in
    the database and in the request's session (as a fresh read would see it)."""
    fired = []

    def on_execute(state):
        if fired or not state.is_select or Ward.__table__ not in state.statement.get_final_froms():
            return
        fired.append(True)
        past = utcnow() - timedelta(seconds=1)
        with db.engine.begin() as conn:
            conn.execute(update(Consultation.__table__).where(Consultation.id == consultation_id).values(closes_at=past))
        for obj in list(state.session.identity_map.values()):
            if isinstance(obj, Consultation) and obj.id == consultation_id:
                set_committed_value(obj, "closes_at", past)

    return fired, on_execute


def test_consultation_closing_between_check_and_save_saves_nothing(client, open_consultation):
    fired, listener = _close_when_wards_are_read(open_consultation.id)
    event.listen(Session, "do_orm_execute", listener)
    try:
        response = client.post(f"/consultations/{open_consultation.id}/respond", data=answers_for(open_consultation))
    finally:
        event.remove(Session, "do_orm_execute", listener)
    assert fired, "the race was not staged"
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This consultation has closed" in page and "we could not save your answers" in page
    assert response_count(open_consultation) == 0
