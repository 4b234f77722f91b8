"""Mass mailings an officer starts wait MAIL_HOLD_MINUTES: they can be cancelled (recorded in the
history and the audit log) or sent at once; `flask send-emails` sends them when the hold ends."""
import html
from datetime import timedelta

import pytest

from app.audit.models import AuditEvent
from app.common.timeutil import utcnow
from app.consultations.models import ConsultationEvent
from app.extensions import db
from app.notifications.models import OutboundEmail
from app.notifications.services import retry_failed
from tests.actions import factories as af
from tests.conftest import login
from tests import factories


@pytest.fixture()
def held(app, db):
    app.config["MAIL_HOLD_MINUTES"] = 10
    yield
    app.config["MAIL_HOLD_MINUTES"] = 0


@pytest.fixture()
def published(officer_client, held, sent_emails):
    af.plan()
    consultation, themes = af.consultation_with_themes(keep_informed=("ann@example.org", "bob@example.org"))
    for theme in themes:
        officer_client.post(f"/staff/you-said-we-did/{consultation.id}/responses/new",
                            data={"themes": [theme.id], "kind": "we_did", "text": f"We dealt with {theme.label}."})
    url = f"/staff/you-said-we-did/{consultation.id}/publish"
    asked = html.unescape(officer_client.post(url).get_data(as_text=True))
    assert "10 minutes later: until then you can cancel the emails under Held mailings" in asked
    done = officer_client.post(url, data={"confirmed": "yes"}, follow_redirects=True)
    assert "go in 10 minutes: you can still cancel them" in html.unescape(done.get_data(as_text=True))
    return consultation


def _text(response):
    return html.unescape(response.get_data(as_text=True))


def _history(consultation):
    return [e.action for e in ConsultationEvent.query.filter_by(consultation_id=consultation.id)
            .order_by(ConsultationEvent.id)]


def test_published_emails_wait_and_are_listed(officer_client, published, sent_emails):
    assert sent_emails == []
    page = _text(officer_client.get("/staff/mailings"))
    assert f"You said, we did: {published.title}" in page and ">2<" in page.replace(" ", "")
    assert retry_failed() == 0 and sent_emails == []  # the hold is not over: the cron run leaves them


def test_the_cron_run_sends_them_when_the_hold_is_over(app, published, sent_emails):
    OutboundEmail.query.update({"send_after": utcnow() - timedelta(seconds=1)})
    db.session.commit()
    assert retry_failed() == 2
    db.session.commit()
    assert sorted(m["To"] for m in sent_emails) == ["ann@example.org", "bob@example.org"]
    assert OutboundEmail.query.count() == 0


def test_cancelling_asks_first_then_stops_them_and_republishing_emails_after_all(
        officer_client, published, sent_emails):
    key = OutboundEmail.query.first().batch
    asked = _text(officer_client.get(f"/staff/mailings/{key}/cancel"))
    assert "This will stop 2 messages" in asked and OutboundEmail.query.count() == 2
    done = officer_client.post(f"/staff/mailings/{key}/cancel", data={}, follow_redirects=True)
    assert "Cancelled. 2 messages will not be sent." in _text(done)
    assert OutboundEmail.query.count() == 0 and sent_emails == []
    assert "ysyw_emails_cancelled" in _history(published)
    assert AuditEvent.query.filter_by(event="mailing.cancelled").count() == 1
    again = _text(officer_client.get(f"/staff/mailings/{key}/cancel", follow_redirects=True))
    assert "already gone or was cancelled" in again

    # Residents were never told, so withdrawing and publishing again emails them after all.
    officer_client.post(f"/staff/you-said-we-did/{published.id}/withdraw", data={"reason": "Typo"})
    asked = _text(officer_client.post(f"/staff/you-said-we-did/{published.id}/publish"))
    assert "email 2 residents" in asked
    officer_client.post(f"/staff/you-said-we-did/{published.id}/publish", data={"confirmed": "yes"})
    assert OutboundEmail.query.count() == 2


def test_withdrawing_within_the_hold_cancels_the_emails(officer_client, published, sent_emails):
    officer_client.post(f"/staff/you-said-we-did/{published.id}/withdraw", data={"reason": "Wrong estate"})
    assert OutboundEmail.query.count() == 0 and sent_emails == []
    assert _history(published)[-2:] == ["ysyw_withdrawn", "ysyw_emails_cancelled"]


def test_send_now_sends_at_once(officer_client, published, sent_emails):
    key = OutboundEmail.query.first().batch
    done = officer_client.post(f"/staff/mailings/{key}/send-now", follow_redirects=True)
    assert "Sending 2 messages now." in _text(done)
    assert len(sent_emails) == 2 and OutboundEmail.query.count() == 0
    assert AuditEvent.query.filter_by(event="mailing.sent_now").count() == 1


def test_transactional_emails_are_never_held(app, held, db, sent_emails):
    from app.common.transaction import commit
    from app.notifications.services import send_email

    send_email("someone@example.org", "Your reference", "Thanks")
    commit()
    assert len(sent_emails) == 1


def test_councillors_cannot_see_or_cancel_held_mailings(app, published):
    other = app.test_client()
    login(other, factories.user(role="councillor"))
    key = OutboundEmail.query.first().batch
    assert other.get("/staff/mailings").status_code == 403
    assert other.post(f"/staff/mailings/{key}/cancel").status_code == 403
    assert OutboundEmail.query.count() == 2


def test_send_emails_held_sends_only_what_is_due(app, published, sent_emails):
    runner = app.test_cli_runner()
    assert "Sent 0 held message(s)." in runner.invoke(args=["send-emails", "--held"]).output
    OutboundEmail.query.update({"send_after": utcnow() - timedelta(seconds=1)})
    db.session.commit()
    assert "Sent 2 held message(s)." in runner.invoke(args=["send-emails", "--held"]).output
    assert len(sent_emails) == 2
