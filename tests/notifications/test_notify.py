"""GOV.UK Notify as a delivery channel, against a local stub of its HTTP API (tests/notify_stub.py):
each kind of message reaches Notify with its template and placeholders; Notify's errors keep the
message for a retry and never fail the resident's request; letters go from the CLI."""
import logging
import re
import uuid

import pytest

from app.common.transaction import commit
from app.consultations.models import Response
from app.extensions import db
from app.notifications.models import OutboundEmail
from app.notifications.services import send_email, send_letter, send_sms
from tests import factories
from tests.consultations.conftest import answers_for
from tests.notify_stub import template_for
from tests.panel.conftest import join_data, ward  # noqa: F401 - the ward fixture (postcode NB1 2AB)


def only(stub, channel):
    messages = stub.of(channel)
    assert len(messages) == 1, stub.received
    return messages[0]


def test_password_reset_goes_to_notify_with_its_template_and_placeholders(client, notify):
    user = factories.user(role="resident", email="rita@example.org", name="Rita Resident")
    assert client.post("/reset-password", data={"email": "rita@example.org"}).status_code in (200, 302)
    sent = only(notify, "email")
    assert sent["email_address"] == "rita@example.org"
    assert sent["template_id"] == template_for("email", "password_reset")
    fields = sent["personalisation"]
    assert fields["name"] == user.name and fields["minutes"] == 60
    assert fields["link"].startswith("http://localhost/reset-password/")
    assert fields["subject"].startswith("Reset your password") and fields["link"] in fields["body"]
    assert sent["reference"].startswith("outbox-")
    assert OutboundEmail.query.count() == 0  # sent, so forgotten


def test_panel_confirm_and_response_confirmation_go_to_notify(client, notify, ward):
    assert client.post("/panel/join", data=join_data()).status_code == 302
    consultation = factories.consultation(status="open")
    data = answers_for(consultation, keep_informed="y", contact_email="sam@example.org")
    assert client.post(f"/consultations/{consultation.id}/respond", data=data).status_code == 302
    by_template = {m["template_id"]: m for m in notify.of("email")}
    panel = by_template[template_for("email", "panel_confirm")]
    assert panel["email_address"] == "ada@example.org" and panel["personalisation"]["name"] == "Ada Lovelace"
    assert "/panel/confirm/" in panel["personalisation"]["link"] and panel["personalisation"]["hours"] == 72
    response = by_template[template_for("email", "response_confirmation")]["personalisation"]
    assert response["reference"] == Response.query.one().reference
    assert response["consultation"] == consultation.title and "/my-response/" in response["link"]


@pytest.mark.parametrize("kind", ["staff_invite", "surgery_reminder", "panel_invitation", "default"])
def test_each_kind_uses_its_own_template_or_the_default(app, notify, kind):
    templates = dict(app.config["NOTIFY_TEMPLATES"])
    send_email("x@example.org", "Subject", "Body", kind=kind, personalisation={"name": "Xi"})
    commit()
    sent = only(notify, "email")
    assert sent["template_id"] == template_for("email", kind)
    assert sent["personalisation"] == {"subject": "Subject", "body": "Body", "name": "Xi"}
    if kind == "default":
        return
    # Without its own template, a kind uses the channel's default (((subject)) and ((body))).
    app.config["NOTIFY_TEMPLATES"] = {k: v for k, v in templates.items() if k != f"email:{kind}"}
    notify.reset()
    send_email("x@example.org", "Subject", "Body", kind=kind)
    commit()
    assert only(notify, "email")["template_id"] == template_for("email", "default")


def test_unsubscribe_header_becomes_notifys_one_click_unsubscribe(notify):
    send_email("x@example.org", "News", "Body", headers={"List-Unsubscribe": "<http://localhost/u/abc>"},
               kind="action_update")
    commit()
    assert only(notify, "email")["one_click_unsubscribe_url"] == "http://localhost/u/abc"


def test_smtp_stays_the_default(app, db, sent_emails, notify):
    app.config["MAIL_BACKEND"] = "memory"  # what MAIL_BACKEND=smtp does, without a server
    send_email("x@example.org", "Hello", "Body", kind="password_reset")
    commit()
    assert notify.received == [] and [m["To"] for m in sent_emails] == ["x@example.org"]


@pytest.mark.parametrize("status", [400, 403, 429, 500])
def test_a_notify_error_keeps_the_message_logs_it_masked_and_the_cli_retries_it(app, notify, status, caplog):
    notify.fail_next(status)
    send_sms("+447911123456", "surgery_reminder", "Reminder", personalisation={"name": "Ann"})
    with caplog.at_level(logging.WARNING):
        commit()  # the action that queued it has succeeded: no exception reaches the caller
    record = OutboundEmail.query.one()
    assert record.status == "failed" and record.attempts == 1 and str(status) in record.last_error
    assert notify.received == []
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("app."))
    assert f"sms {record.id} (surgery_reminder) to *******456 failed, kept to retry: {status}" in logged
    assert "7911123456" not in caplog.text  # the number never reaches the logs
    result = app.test_cli_runner().invoke(args=["send-emails"])
    assert "Tried 1 email" in result.output
    assert only(notify, "sms")["phone_number"] == "+447911123456"
    db.session.expire_all()
    assert OutboundEmail.query.count() == 0


def test_a_token_signed_with_another_key_is_refused_and_the_message_kept(app, notify):
    from tests.notify_stub import SERVICE_ID

    # The right service, the wrong secret: the stub checks the JWT's signature as Notify does.
    app.config["NOTIFY_API_KEY"] = f"council_test-{SERVICE_ID}-{uuid.uuid4()}"
    send_email("x@example.org", "Hello", "Body")
    commit()
    record = OutboundEmail.query.one()
    assert record.status == "failed" and "403" in record.last_error and notify.received == []


def test_notify_errors_never_500_a_residents_request(client, notify):
    notify.fail_next(500, 500)
    factories.user(role="resident", email="rita@example.org")
    response = client.post("/reset-password", data={"email": "rita@example.org"})
    assert response.status_code in (200, 302)
    assert OutboundEmail.query.one().status == "failed"


def test_a_missing_template_keeps_the_message_and_says_which_setting(app, notify, caplog):
    app.config["NOTIFY_TEMPLATES"] = {}
    send_email("x@example.org", "Hello", "Body", kind="panel_confirm")
    with caplog.at_level(logging.WARNING):
        commit()
    assert "NOTIFY_TEMPLATE_EMAIL_PANEL_CONFIRM" in OutboundEmail.query.one().last_error
    assert "x***@example.org" in caplog.text and "x@example.org" not in caplog.text


def test_a_letter_from_the_cli_reaches_notify(app, notify, tmp_path):
    body = tmp_path / "letter.txt"
    body.write_text("Your bin day is changing to Tuesday.", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=[
        "send-letter", "--subject", "Bin collections", "--body-file", str(body), "--kind", "default",
        "--address", "Ann Resident", "--address", "1 High Street", "--address", "Northbrook", "--address", "NB1 2AB"])
    assert result.exit_code == 0, result.output
    assert "Letter sent to GOV.UK Notify" in result.output
    letter = only(notify, "letter")
    assert letter["template_id"] == template_for("letter", "default")
    fields = letter["personalisation"]
    assert [fields[f"address_line_{n}"] for n in range(1, 5)] == ["Ann Resident", "1 High Street", "Northbrook",
                                                                   "NB1 2AB"]
    assert fields["subject"] == "Bin collections" and fields["body"] == "Your bin day is changing to Tuesday."
    assert OutboundEmail.query.count() == 0


def test_a_letter_needs_an_address_and_notify(app, notify, tmp_path):
    body = tmp_path / "letter.txt"
    body.write_text("Hello", encoding="utf-8")
    short = app.test_cli_runner().invoke(args=["send-letter", "--subject", "S", "--body-file", str(body),
                                               "--address", "Ann", "--address", "NB1 2AB"])
    assert short.exit_code != 0 and "3 to 7 address lines" in short.output
    app.config["NOTIFY_API_KEY"] = None
    off = app.test_cli_runner().invoke(args=["send-letter", "--subject", "S", "--body-file", str(body),
                                             "--address", "Ann", "--address", "1 High St", "--address", "NB1 2AB"])
    assert off.exit_code != 0 and "NOTIFY_API_KEY" in off.output
    assert notify.received == [] and OutboundEmail.query.count() == 0


def test_a_letter_notify_refuses_is_kept_for_a_retry(notify):
    notify.fail_next(429)
    send_letter(["Ann Resident", "1 High Street", "NB1 2AB"], "default", "Subject", "Body")
    commit()
    assert OutboundEmail.query.one().status == "failed"


def test_forgetting_a_number_erases_its_unsent_texts(db, notify):
    from app.notifications.services import forget_phone

    notify.fail_next(500)
    send_sms("+447911123456", "panel_invitation", "Hello")
    commit()
    assert forget_phone("+447911123456") == 1
    commit()
    assert OutboundEmail.query.count() == 0


def test_phone_numbers_are_masked_in_text():
    from app.common.masking import mask_phone, mask_phones_in

    assert mask_phone("+447911123456") == "*******456"
    assert mask_phones_in("to +447911123456 or 07911 123 456, not ref 2026-12") == \
        "to *******456 or *******456, not ref 2026-12"
    assert re.search(r"\d{6}", mask_phones_in("call (01632) 960001 now")) is None


def test_the_app_refuses_to_start_with_a_mistyped_key_or_notify_without_one():
    from app import create_app
    from tests.conftest import Settings
    from tests.notify_stub import API_KEY

    class Mistyped(Settings):
        NOTIFY_API_KEY = "just-the-secret-part"

    class NoKey(Settings):
        MAIL_BACKEND = "notify"

    class Good(Settings):
        MAIL_BACKEND, NOTIFY_API_KEY = "notify", API_KEY

    with pytest.raises(RuntimeError, match="name-serviceid-secret"):
        create_app(Mistyped)
    with pytest.raises(RuntimeError, match="needs NOTIFY_API_KEY"):
        create_app(NoKey)
    assert create_app(Good).config["NOTIFY_API_KEY"] == API_KEY


def test_templates_are_read_from_environment_variables(monkeypatch):
    import config

    monkeypatch.setenv("NOTIFY_TEMPLATE_SMS_SURGERY_REMINDER", " 0b9e1f6a-0000-4000-8000-000000000001 ")
    monkeypatch.setenv("NOTIFY_TEMPLATE_EMAIL_DEFAULT", "0b9e1f6a-0000-4000-8000-000000000002")
    monkeypatch.setenv("NOTIFY_TEMPLATE_FAX_THING", "ignored")
    monkeypatch.setenv("NOTIFY_TEMPLATE_LETTER_", "ignored")
    assert config._notify_templates() == {"sms:surgery_reminder": "0b9e1f6a-0000-4000-8000-000000000001",
                                          "email:default": "0b9e1f6a-0000-4000-8000-000000000002"}


def test_the_other_kinds_reach_notify_with_their_templates(app, notify, ward):
    """Through the real services, the kinds not covered by a journey above or in tests/panel and
    tests/surgeries test_texts.py: each template id, and the placeholders its template can use."""
    from app.accounts import services as accounts
    from app.accounts.second_factor import _tell
    from app.panel import membership
    from app.surgeries import bookings
    from tests.panel.conftest import member
    from tests.surgeries.conftest import make_booking, make_surgery

    accounts.invite_staff("Olu Officer", "olu@example.org", "officer")
    accounts.register_resident("Rae Resident", "rae@example.org", "a long enough passphrase 42")
    commit()
    accounts.register_resident("Rae Resident", "olu@example.org", "a long enough passphrase 42")
    user = factories.user(role="resident", email="pat@example.org", name="Pat")
    accounts.reset_password(user, "another long passphrase 43")
    _tell(user, "You signed in with a recovery code.")
    person = member(name="Mo Member", email="mo@example.org")
    membership.sign_up(join_data(email="mo@example.org"))
    membership.send_manage_link("mo@example.org")
    host = factories.user(role="councillor", ward=ward)
    surgery = make_surgery(host, ward)
    booking = make_booking(surgery.slots[0], email="bo@example.org")
    bookings.move(booking, surgery.slots[1])
    bookings.cancel(booking)
    commit()
    sent = {}
    for message in notify.of("email"):
        sent.setdefault(message["template_id"], message["personalisation"])
    expected = {"staff_invite": {"name", "role", "link", "hours"},
                "account_confirm_email": {"name", "link", "hours"}, "account_exists": {"link"},
                "password_changed": {"name", "link"}, "second_factor_changed": {"name", "what", "link"},
                "panel_already_member": {"name", "link", "days"}, "panel_manage_link": {"name", "link", "days"},
                "surgery_booking_moved": {"name", "when", "where", "how", "message", "link"},
                "surgery_booking_cancelled": {"name", "when", "where", "how", "message", "link"}}
    for kind, placeholders in expected.items():
        fields = sent.get(template_for("email", kind))
        assert fields is not None, kind
        assert set(fields) == placeholders | {"subject", "body"}, kind
        assert all(str(value) for value in fields.values()), kind  # nothing left blank
    assert sent[template_for("email", "panel_manage_link")]["name"] == person.name


def test_a_message_that_keeps_failing_is_given_up_on_and_can_be_tried_again(app, notify, caplog):
    """Not retried every 15 minutes for ever: after MAIL_MAX_ATTEMPTS it stops, with an error logged."""
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    notify.fail_next(400, 400, 400)
    send_sms("+447911123456", "surgery_reminder", "Reminder", personalisation={"name": "Ann"})
    commit()  # attempt 1
    with caplog.at_level(logging.ERROR):
        app.test_cli_runner().invoke(args=["send-emails"])  # attempt 2: given up
    db.session.expire_all()
    record = OutboundEmail.query.one()
    assert record.status == "gave_up" and record.attempts == 2
    assert "failed 2 times, given up" in caplog.text and "7911123456" not in caplog.text
    assert "Tried 0 email" in app.test_cli_runner().invoke(args=["send-emails"]).output
    assert notify.received == []
    result = app.test_cli_runner().invoke(args=["send-emails", "--retry-given-up"])  # the 3rd 400 is used up here
    assert "Tried 1 email" in result.output
    db.session.expire_all()
    assert OutboundEmail.query.one().attempts == 1 and notify.received == []
    app.test_cli_runner().invoke(args=["send-emails"])  # the template is fixed: it goes
    assert only(notify, "sms")["phone_number"] == "+447911123456"
