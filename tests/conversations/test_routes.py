"""Real HTTP through the test client: registering, the host's signed-link pages, records with
photo uploads, officers' decisions and staff-only photo serving."""
import io
import os
from datetime import date, timedelta

from PIL import Image

from app.common.timeutil import utcnow
from app.common.transaction import commit
from app.conversations import services
from app.conversations.models import ConversationHost, ConversationPhoto, ConversationRecord
from app.extensions import db
from tests import factories
from tests.conftest import login
from tests.conversations import helpers


def _position(consultation):
    return consultation.questions.index(consultation.free_text_questions[0])


def _record_data(consultation, photos=(), **changes):
    held = date.today() - timedelta(days=2)
    pos = _position(consultation)
    data = {"held_on-day": str(held.day), "held_on-month": str(held.month), "held_on-year": str(held.year),
            "place": "Mill Lane hall", "participants": "12", "age_65_74": "3", "group_tenants": "8",
            f"notes_{pos}": "The group wants the park toilets open later", f"words_{pos}": "More lights\n\nA new bench"}
    if photos:
        data["photos"] = [(io.BytesIO(content), name) for name, content in photos]
        data["photos_agreed"] = "y"
    data.update(changes)
    return data


def _host(officer, consultation=None, **kwargs):
    consultation = consultation or factories.consultation()
    host = helpers.approved_host(consultation, officer, **kwargs)
    return host, services.host_token(host)


def test_registration_keeps_what_was_typed_and_names_problems(client, db, sent_emails):
    consultation = factories.consultation(title="Parks for everyone")
    page = client.get("/conversations/host")
    assert page.status_code == 200 and "Consultation: Parks for everyone" in page.get_data(as_text=True)
    bad = client.post("/conversations/host", data={"name": "", "organisation": "Mill Lane Tenants", "kind": "tenants",
                                                   "email": "not-an-email", "subject": ""})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Enter your name" in text and "Mill Lane Tenants" in text
    assert "Enter an email address in the correct format" in text and "Select what your group will talk about" in text
    assert ConversationHost.query.count() == 0
    ok = client.post("/conversations/host", data={"name": "Ada", "organisation": "Mill Lane Tenants", "kind": "tenants",
                                                  "email": "ada@example.org", "subject": f"c{consultation.id}"})
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/conversations/host/registered")
    assert ConversationHost.query.one().status == "pending"
    assert sent_emails[-1]["To"] == "ada@example.org"


def test_officer_approves_and_host_sends_a_record_with_a_photo(client, officer_client, db, sent_emails, upload_dir):
    consultation = factories.consultation()
    host = services.register_host("Ada", "Mill Lane Tenants", "tenants", "ada@example.org", f"c{consultation.id}")
    commit()
    refused = officer_client.post(f"/staff/conversations/hosts/{host.id}", data={"decision": "decline", "reason": ""})
    assert refused.status_code == 400 and "Enter the reason for declining" in refused.get_data(as_text=True)
    done = officer_client.post(f"/staff/conversations/hosts/{host.id}", data={"decision": "approve"})
    assert done.status_code == 302
    body = sent_emails[-1].get_body(("plain",)).get_content()
    token = body.split("/conversations/host/")[1].split()[0]

    home = client.get(f"/conversations/host/{token}")
    assert home.status_code == 200 and "Open your conversation kit" in home.get_data(as_text=True)
    kit = client.get(f"/conversations/kits/consultation/{consultation.id}").get_data(as_text=True)
    assert "Privacy notice to read out" in kit and consultation.questions[0].text in kit and "Sign-in sheet" in kit

    sent = client.post(f"/conversations/host/{token}/records/new", content_type="multipart/form-data",
                       data=_record_data(consultation, photos=[("flipchart.jpg", helpers.jpeg_with_exif())]))
    assert sent.status_code == 302, sent.get_data(as_text=True)
    record = ConversationRecord.query.one()
    assert record.participants == 12 and record.tallies == {"65_74": 3, "tenants": 8}
    assert [e.kind for e in record.entries] == ["notes", "person", "person"]
    photo = record.photos[0]
    stored = open(os.path.join(upload_dir, photo.stored_name), "rb").read()
    assert b"SecretCameraMaker" not in stored and Image.open(io.BytesIO(stored)).format == "JPEG"

    served = officer_client.get(f"/staff/conversations/photos/{photo.id}")
    assert served.status_code == 200 and served.data == stored
    assert served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("inline; filename=flipchart-")
    assert "no-store" in served.headers["Cache-Control"]

    accepted = officer_client.post(f"/staff/conversations/records/{record.id}", data={"decision": "accept"})
    assert accepted.status_code == 302 and record.status == "accepted"
    results = officer_client.get(f"/staff/consultations/{consultation.id}/results").get_data(as_text=True)
    assert "12 people took part through 1 group conversation" in results


def test_fake_or_oversized_photo_is_refused_beside_the_field_and_nothing_saved(app, client, db, officer,
                                                                               upload_dir, monkeypatch):
    host, token = _host(officer)
    fake = client.post(f"/conversations/host/{token}/records/new", content_type="multipart/form-data",
                       data=_record_data(host.consultation, photos=[("flipchart.jpg", helpers.FAKE_JPEG)]))
    text = fake.get_data(as_text=True)
    assert fake.status_code == 400
    assert "flipchart.jpg must be a JPG or PNG photo" in text and 'id="photos-error"' in text
    assert 'value="Mill Lane hall"' in text  # what was typed is kept
    monkeypatch.setitem(app.config, "CONVERSATION_PHOTO_MAX_MB", 1)
    big = client.post(f"/conversations/host/{token}/records/new", content_type="multipart/form-data",
                      data=_record_data(host.consultation, photos=[("big.png", helpers.big_png(1024 * 1024 + 10))]))
    assert big.status_code == 400 and "big.png is bigger than 1 MB" in big.get_data(as_text=True)
    assert ConversationRecord.query.count() == 0 and ConversationPhoto.query.count() == 0
    assert not upload_dir.exists() or not os.listdir(upload_dir)


def test_photos_need_the_groups_agreement(client, db, officer):
    host, token = _host(officer)
    data = _record_data(host.consultation, photos=[("f.png", helpers.png())])
    del data["photos_agreed"]
    page = client.post(f"/conversations/host/{token}/records/new", content_type="multipart/form-data", data=data)
    assert page.status_code == 400 and "Confirm the group agreed" in page.get_data(as_text=True)
    assert ConversationRecord.query.count() == 0


def test_record_problems_are_named(client, db, officer):
    host, token = _host(officer)
    pos = _position(host.consultation)
    data = _record_data(host.consultation, participants="2", age_65_74="3", **{f"notes_{pos}": "", f"words_{pos}": ""})
    data["held_on-year"] = str(date.today().year + 1)
    text = client.post(f"/conversations/host/{token}/records/new", data=data).get_data(as_text=True)
    assert "The date of the conversation must be today or in the past" in text
    assert "The age tallies add up to 3, more than the 2 people who took part" in text
    assert "Enter what was said for at least one question" in text


def test_closed_consultation_refuses_records_with_a_clear_message(client, db, officer):
    host, token = _host(officer)
    host.consultation.closes_at = utcnow() - timedelta(hours=1)
    host.consultation.opens_at = utcnow() - timedelta(days=5)
    commit()
    page = client.post(f"/conversations/host/{token}/records/new", data=_record_data(host.consultation))
    text = page.get_data(as_text=True)
    assert page.status_code == 409 and "closed on" in text and "can&#39;t take new or changed records" in text
    assert ConversationRecord.query.count() == 0
    assert "Tell us what was said</a>" not in client.get(f"/conversations/host/{token}").get_data(as_text=True)


def test_a_host_sees_only_their_own_records(client, db, officer):
    consultation = factories.consultation()
    host_a, token_a = _host(officer, consultation)
    host_b, token_b = _host(officer, consultation, email="b@example.org", organisation="St Mary's youth club")
    assert client.post(f"/conversations/host/{token_b}/records/new", data=_record_data(consultation)).status_code == 302
    record_b = ConversationRecord.query.one()
    assert client.get(f"/conversations/host/{token_a}/records/{record_b.id}").status_code == 404
    assert client.get(f"/conversations/host/{token_a}/records/{record_b.id}/edit").status_code == 404
    assert client.post(f"/conversations/host/{token_a}/records/{record_b.id}/edit",
                       data=_record_data(consultation, place="Hijacked")).status_code == 404
    assert "St Mary" not in client.get(f"/conversations/host/{token_a}").get_data(as_text=True)
    bad = client.get(f"/conversations/host/{token_a}x")
    assert bad.status_code == 404 and "This link does not work" in bad.get_data(as_text=True)
    assert ConversationRecord.query.one().place == "Mill Lane hall"


def test_host_edits_until_accepted(client, db, officer):
    host, token = _host(officer)
    client.post(f"/conversations/host/{token}/records/new", data=_record_data(host.consultation))
    record = ConversationRecord.query.one()
    form = client.get(f"/conversations/host/{token}/records/{record.id}/edit").get_data(as_text=True)
    assert 'value="Mill Lane hall"' in form and "More lights" in form  # the record filled in
    changed = client.post(f"/conversations/host/{token}/records/{record.id}/edit",
                          data=_record_data(host.consultation, place="St Mary's hall"))
    assert changed.status_code == 302 and record.place == "St Mary's hall"
    services.decide_record(record, officer, "accept")
    commit()
    late = client.post(f"/conversations/host/{token}/records/{record.id}/edit",
                       data=_record_data(host.consultation, place="Changed after"))
    assert late.status_code == 302 and db.session.get(ConversationRecord, record.id).place == "St Mary's hall"


def test_photos_are_for_staff_only(app, client, db, officer):
    host, token = _host(officer)
    client.post(f"/conversations/host/{token}/records/new", content_type="multipart/form-data",
                data=_record_data(host.consultation, photos=[("f.png", helpers.png())]))
    photo = ConversationPhoto.query.one()
    url = f"/staff/conversations/photos/{photo.id}"
    assert client.get(url).status_code == 302  # anonymous (the host too): sent to sign in
    for role in ("councillor", "resident"):
        other = app.test_client()
        login(other, factories.user(role=role))
        assert other.get(url).status_code == 403
    staff = app.test_client()
    login(staff, officer)
    assert staff.get(url).headers["Content-Type"] == "image/png"
    assert url not in client.get(f"/conversations/host/{token}/records/{photo.record_id}").get_data(as_text=True)


def test_a_photo_bigger_than_other_forms_may_send_passes_the_csrf_check(db, officer, tmp_path):
    """MAX_CONTENT_LENGTH (2 MB) still guards every other form; a record's form has room for its
    photos before the CSRF check reads the body."""
    import re

    from app import create_app
    from tests.conftest import LiveSettings

    csrf_app = create_app(LiveSettings)
    csrf_app.config["UPLOAD_DIR"] = str(tmp_path)
    host, token = _host(officer)
    client = csrf_app.test_client()
    page = client.get(f"/conversations/host/{token}/records/new").get_data(as_text=True)
    data = _record_data(host.consultation, photos=[("big.png", helpers.big_png(3 * 1024 * 1024))],
                        csrf_token=re.search(r'name="csrf_token" value="([^"]+)"', page).group(1))
    sent = client.post(f"/conversations/host/{token}/records/new", content_type="multipart/form-data", data=data)
    assert sent.status_code == 302, sent.status_code
    assert client.post("/conversations/host", data={"name": "x" * (3 * 1024 * 1024)}).status_code == 413


def test_a_host_can_talk_about_a_topic_instead(client, officer_client, db, officer):
    from app.consultations.models import Topic

    topic = Topic(name="Community safety", slug="community-safety")
    db.session.add(topic)
    commit()
    host = services.register_host("Sam", "Youth forum", "community", "sam@example.org", f"t{topic.id}")
    services.decide_host(host, officer, "approve")
    commit()
    token = services.host_token(host)
    kit = client.get(f"/conversations/kits/topic/{topic.id}").get_data(as_text=True)
    assert "What is good about community safety where you live?" in kit
    held = date.today() - timedelta(days=1)
    sent = client.post(f"/conversations/host/{token}/records/new", data={
        "held_on-day": str(held.day), "held_on-month": str(held.month), "held_on-year": str(held.year),
        "place": "Youth centre", "participants": "7", "notes_1": "Better lighting on the way home"})
    assert sent.status_code == 302
    record = ConversationRecord.query.one()
    assert officer_client.get(f"/staff/conversations/records/{record.id}").status_code == 200
    officer_client.post(f"/staff/conversations/records/{record.id}", data={"decision": "accept"})
    assert record.status == "accepted" and record.response_id is None  # kept for officers, no consultation
