"""Emails to residents who asked to be kept informed, over a real SMTP server, and unsubscribing."""
import base64
import re
import urllib.request
import zlib
from urllib.parse import urlparse

from app.consultations.models import Response
from app.extensions import db
from tests.actions import factories as af


def _publish(client, consultation, themes, action):
    client.post(f"/staff/you-said-we-did/{consultation.id}/responses/new", data={
        "themes": [t.id for t in themes], "kind": "we_are_doing", "text": "Two-hour slots.",
        "action_id": str(action.id)})
    assert client.post(f"/staff/you-said-we-did/{consultation.id}/publish", data={"confirmed": "yes"}).status_code == 302


def _body(message):
    return message.get_payload(decode=True).decode("utf-8")


def _link(message):
    return re.search(r"To stop these emails: (\S+)", _body(message)).group(1)


def _payload(link):
    """What anyone holding the link can read: the signed token's payload, decoded."""
    token = link.rsplit("/", 1)[1]
    compressed = token.startswith(".")
    raw = base64.urlsafe_b64decode(token.lstrip(".").split(".")[0] + "==")
    return (zlib.decompress(raw) if compressed else raw).decode()


def test_publication_and_status_change_emails_with_one_click_unsubscribe(officer_client, smtp_server):
    action = af.plan().actions[0]
    consultation, themes = af.consultation_with_themes(
        keep_informed=["ana@example.org", "ben@example.org", "ANA@example.org"])
    db.session.execute(db.update(Response).where(Response.contact_email == "ben@example.org")
                       .values(keep_informed=True))
    extra = Response(consultation=consultation, keep_informed=False, contact_email="nope@example.org")
    db.session.add(extra)
    db.session.commit()

    _publish(officer_client, consultation, themes, action)
    assert sorted(m["To"] for m in smtp_server) == ["ana@example.org", "ben@example.org"]
    for message in smtp_server:
        assert message["Subject"] == f"You said, we did: {consultation.title}"
        assert f"/you-said-we-did/{consultation.id}" in _body(message)
        link = _link(message)
        assert message["List-Unsubscribe"] == f"<{link}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "@" not in _payload(link) and message["To"].split("@")[0] not in _payload(link)

    ana = next(m for m in smtp_server if m["To"] == "ana@example.org")
    path = urlparse(_link(ana)).path
    page = officer_client.get(path)
    assert page.status_code == 200 and "Stop emails" in page.get_data(as_text=True)
    assert Response.query.filter_by(contact_email="ana@example.org").count() == 1  # GET changes nothing
    done = officer_client.post(path)
    assert done.status_code == 200 and "will not get any more emails" in done.get_data(as_text=True)
    assert Response.query.filter(db.func.lower(Response.contact_email) == "ana@example.org").count() == 0
    assert officer_client.post(path).status_code == 200  # a second click is harmless

    smtp_server.clear()
    officer_client.post(f"/staff/actions/{action.id}/status", data={
        "status-status": "cant_proceed", "status-reason": "The contractor went into administration."})
    assert [m["To"] for m in smtp_server] == ["ben@example.org"]
    body = _body(smtp_server[0])
    assert "Can't proceed" in body and "The contractor went into administration." in body
    assert f"/actions/{action.id}" in body and smtp_server[0]["List-Unsubscribe-Post"]

    smtp_server.clear()  # saving the same status again sends nothing
    officer_client.post(f"/staff/actions/{action.id}/status", data={
        "status-status": "cant_proceed", "status-reason": "Still stuck."})
    assert smtp_server == []


def test_status_change_of_an_unlinked_action_emails_no_one(officer_client, smtp_server):
    linked, unlinked = af.plan().actions[:2]
    consultation, themes = af.consultation_with_themes(keep_informed=["ana@example.org"])
    _publish(officer_client, consultation, themes, linked)
    smtp_server.clear()
    officer_client.post(f"/staff/actions/{unlinked.id}/status", data={"status-status": "at_risk"})
    assert smtp_server == []


def test_bad_or_tampered_unsubscribe_links(client):
    assert client.get("/unsubscribe/nonsense").status_code == 404
    assert client.post("/unsubscribe/nonsense").status_code == 404
    assert client.post("/unsubscribe/" + "x" * 5000).status_code == 404
    from app.common.signing import make_token

    wrong_purpose = make_token("booking", {"c": 1, "e": "a@example.org"})
    assert client.post(f"/unsubscribe/{wrong_purpose}").status_code == 404
    wrong_shape = make_token("ysyw-unsubscribe", ["a"])
    assert client.post(f"/unsubscribe/{wrong_shape}").status_code == 404


def test_links_sent_before_tokens_became_opaque_still_unsubscribe(client):
    from app.common.signing import make_token

    consultation, _ = af.consultation_with_themes(keep_informed=["ana@example.org"])
    legacy = make_token("ysyw-unsubscribe", {"c": consultation.id, "e": "ana@example.org"})
    assert client.post(f"/unsubscribe/{legacy}").status_code == 200
    assert Response.query.filter_by(contact_email="ana@example.org").count() == 0


def test_an_unsubscribe_link_names_only_a_response_and_stops_that_address_on_that_consultation(client):
    from app.actions.notify import recipients, unsubscribe_token

    consultation, _ = af.consultation_with_themes(keep_informed=["ana@example.org", "ben@example.org", "Ana@Example.org"])
    other, _ = af.consultation_with_themes(title="Another", keep_informed=["ana@example.org"])
    (ana, ana_first), (ben, _) = recipients(consultation.id)
    assert (ana, ben) == ("ana@example.org", "ben@example.org")
    assert client.post(f"/unsubscribe/{unsubscribe_token(ana_first)}").status_code == 200
    assert [e for e, _ in recipients(consultation.id)] == ["ben@example.org"]
    assert [e for e, _ in recipients(other.id)] == ["ana@example.org"]  # only that consultation
    assert client.post(f"/unsubscribe/{unsubscribe_token(ana_first)}").status_code == 200  # again: harmless
    assert client.post(f"/unsubscribe/{unsubscribe_token(99999)}").status_code == 200  # a deleted response


def test_one_click_post_works_without_a_csrf_token(app, live_server):
    """Mail clients POST the List-Unsubscribe link with no CSRF token (RFC 8058); CSRF is on here."""
    from app.actions.notify import unsubscribe_token

    consultation, _ = af.consultation_with_themes(keep_informed=["ana@example.org"])
    first = Response.query.filter_by(contact_email="ana@example.org").one()
    url = f"{live_server}/unsubscribe/{unsubscribe_token(first.id)}"
    request = urllib.request.Request(url, data=b"List-Unsubscribe=One-Click", method="POST")
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
    db.session.expire_all()
    assert Response.query.filter_by(contact_email="ana@example.org").count() == 0


def test_unsubscribe_links_expire_and_say_what_to_do(client, monkeypatch):
    """Issue 14, finding 6: unsubscribe links never expired. Now UNSUBSCRIBE_LINK_MAX_AGE_DAYS
    (365 by default) after the email, a link explains what to do and changes nothing."""
    import itsdangerous.timed

    from app.actions.notify import unsubscribe_token
    from app.common.timeutil import utcnow

    consultation, _ = af.consultation_with_themes(keep_informed=["ana@example.org"])
    response_id = Response.query.filter_by(contact_email="ana@example.org").one().id
    link = f"/unsubscribe/{unsubscribe_token(response_id)}"
    now = utcnow().timestamp()
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + 364 * 86400)
    assert client.get(link).status_code == 200  # still works within the year
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + 366 * 86400)
    for expired in (client.get(link), client.post(link)):
        page = expired.get_data(as_text=True)
        assert expired.status_code == 410 and "This link has expired" in page
        assert "most recent email" in page and "365 days" in page
    assert Response.query.filter_by(contact_email="ana@example.org").count() == 1
    assert client.get("/unsubscribe/nonsense").status_code == 404  # a wrong link is still "does not work"
