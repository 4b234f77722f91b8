"""Launch, close early, reopen and publish: each is asked first, each is in the history, and an
early close can be undone by reopening with a new closing date."""
import html
from datetime import timedelta

from app.common.timeutil import to_london, utcnow
from app.consultations.models import ConsultationEvent
from app.extensions import db
from tests import factories
from tests.conftest import login


def _page(response):
    return html.unescape(response.get_data(as_text=True))


def _reopen_form(when, time="5pm"):
    local = to_london(when)
    return {"closes_on-day": str(local.day), "closes_on-month": str(local.month),
            "closes_on-year": str(local.year), "closes_time": time}


def test_each_change_is_asked_first_and_says_what_will_happen(officer_client, db):
    draft = factories.consultation(status="draft")
    page = _page(officer_client.get(f"/staff/consultations/{draft.id}/launch"))
    assert "Launch this consultation?" in page and "the whole borough" in page
    assert "Residents can respond from" in page
    db.session.expire_all()
    assert draft.status == "draft"  # asking changes nothing

    open_one = factories.consultation(status="open")
    page = _page(officer_client.get(f"/staff/consultations/{open_one.id}/close"))
    assert "Close this consultation now?" in page and "reopen it later" in page
    closed = factories.consultation(status="closed")
    page = _page(officer_client.get(f"/staff/consultations/{closed.id}/publish"))
    assert "cannot be reopened" in page
    # A page asked for in the wrong state goes back to the overview instead.
    assert officer_client.get(f"/staff/consultations/{draft.id}/close").status_code == 302


def test_close_early_then_reopen_with_a_new_closing_date(officer_client, officer, db, client):
    consultation = factories.consultation(status="open")
    base = f"/staff/consultations/{consultation.id}"
    officer_client.post(f"{base}/close")
    db.session.expire_all()
    assert consultation.status == "closed"
    assert client.get(f"/consultations/{consultation.id}/respond").status_code != 200 or \
        "closed" in _page(client.get(f"/consultations/{consultation.id}/respond")).lower()

    new_close = utcnow() + timedelta(days=14)
    reply = officer_client.post(f"{base}/reopen", data=_reopen_form(new_close))
    assert reply.status_code == 302
    db.session.expire_all()
    assert consultation.status == "open"
    assert to_london(consultation.closes_at).date() == to_london(new_close).date()
    assert to_london(consultation.closes_at).hour == 17

    history = _page(officer_client.get(base))
    assert "Reopened: Now closes on" in history and "Closed early: It was due to close on" in history
    events = ConsultationEvent.query.filter_by(consultation_id=consultation.id) \
        .order_by(ConsultationEvent.id).all()
    assert [e.action for e in events] == ["closed", "reopened"]
    assert {e.actor_id for e in events} == {officer.id} and events[0].actor_name == officer.name


def test_reopen_refuses_a_past_or_malformed_date_and_keeps_what_was_typed(officer_client, db):
    consultation = factories.consultation(status="closed")
    url = f"/staff/consultations/{consultation.id}/reopen"
    before = consultation.closes_at

    reply = officer_client.post(url, data=_reopen_form(utcnow() - timedelta(days=3)))
    page = _page(reply)
    assert reply.status_code == 200
    assert "There is a problem" in page and "must be in the future" in page
    assert 'value="5pm"' in page

    reply = officer_client.post(url, data={"closes_on-day": "31", "closes_on-month": "2",
                                           "closes_on-year": "2030", "closes_time": "teatime"})
    page = _page(reply)
    assert reply.status_code == 200 and "There is a problem" in page
    assert "like 11:59pm or 17:00" in page and 'value="teatime"' in page and 'value="31"' in page

    db.session.expire_all()
    assert consultation.closes_at == before and consultation.status == "closed"
    assert ConsultationEvent.query.count() == 0  # nothing half-saved


def test_only_closed_unpublished_consultations_reopen(officer_client, db):
    future = _reopen_form(utcnow() + timedelta(days=5))
    for status in ("draft", "open", "published"):
        consultation = factories.consultation(status=status)
        reply = officer_client.post(f"/staff/consultations/{consultation.id}/reopen", data=future)
        assert reply.status_code == 302
        db.session.expire_all()
        assert consultation.status == status
    assert ConsultationEvent.query.count() == 0


def test_councillors_cannot_reopen_or_see_the_confirmation(client, db):
    consultation = factories.consultation(status="closed")
    login(client, factories.user(role="councillor"))
    assert client.get(f"/staff/consultations/{consultation.id}/reopen").status_code == 403
    assert client.get(f"/staff/consultations/{consultation.id}/publish").status_code == 403
    assert client.post(f"/staff/consultations/{consultation.id}/reopen",
                       data=_reopen_form(utcnow() + timedelta(days=5))).status_code == 403


def test_launch_publish_and_draft_are_in_the_history(officer_client, db):
    consultation = factories.consultation(status="draft")
    base = f"/staff/consultations/{consultation.id}"
    officer_client.post(f"{base}/launch")
    officer_client.post(f"{base}/draft")
    officer_client.post(f"{base}/launch")
    officer_client.post(f"{base}/close")
    officer_client.post(f"{base}/publish")
    actions = [e.action for e in ConsultationEvent.query.order_by(ConsultationEvent.id)]
    assert actions == ["launched", "returned_to_draft", "launched", "closed", "published"]
    page = _page(officer_client.get(base))
    assert page.index("Results published") < page.index("Launched: Open from")  # newest first
