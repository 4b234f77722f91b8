"""Panel members who chose text messages: a UK mobile checked on joining, invitations by text
through GOV.UK Notify (a local stub, tests/notify_stub.py), and text only offered with Notify."""
import re

from app.common.transaction import commit
from app.extensions import db
from app.notifications.models import OutboundEmail
from app.notifications.phones import MOBILE_ERROR
from app.panel import mailouts, membership
from app.panel.models import Draw, PanelMember
from tests import factories
from tests.notify_stub import template_for
from tests.panel.conftest import join_data, member


def test_text_is_not_offered_without_notify(client, ward):
    page = client.get("/panel/join").get_data(as_text=True)
    assert 'value="text"' not in page and 'value="email"' in page
    page = client.post("/panel/join", data=join_data(contact_method="text", mobile="07911 123456")).get_data(as_text=True)
    assert "Select how you would prefer us to contact you" in page
    assert PanelMember.query.count() == 0


def test_the_mobile_is_revealed_under_text_and_checked(client, ward, notify):
    page = client.get("/panel/join").get_data(as_text=True)
    # GOV.UK conditional reveal: the mobile box sits under the "Text message" radio; without
    # JavaScript it is simply shown.
    assert re.search(r'value="text"[^>]*data-aria-controls="conditional-contact_method-3"', page)
    assert re.search(r'id="conditional-contact_method-3"[^>]*>\s*<div class="govuk-form-group">\s*'
                     r'<label class="govuk-label" for="mobile">', page)
    for typed, message in (("", "Enter a UK mobile number so we can text you, or choose email"),
                           ("01632 960 001", MOBILE_ERROR), ("+33 6 12 34 56 78", MOBILE_ERROR),
                           ("07911 12345", MOBILE_ERROR), ("not a number", MOBILE_ERROR)):
        response = client.post("/panel/join", data=join_data(contact_method="text", mobile=typed))
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and message in page, typed
        assert 'href="#mobile"' in page  # the summary links to the box beside the message
        assert f'name="mobile" type="tel" value="{typed}"' in page  # what they typed is kept
    assert PanelMember.query.count() == 0 and OutboundEmail.query.count() == 0
    response = client.post("/panel/join", data=join_data(contact_method="text", mobile="+44 (0)7911 123 456"))
    assert response.status_code == 302
    joined = PanelMember.query.one()
    assert joined.contact_method == "text" and joined.mobile == "+447911123456" and joined.texts


def test_a_mobile_typed_but_email_chosen_is_not_kept(client, ward, notify):
    assert client.post("/panel/join", data=join_data(contact_method="email", mobile="07911 123456")).status_code == 302
    assert PanelMember.query.one().mobile is None


def test_invitations_go_by_text_to_those_who_chose_it(officer_client, notify):
    texter = member(name="Tex Ter", contact_method="text")
    texter.mobile = "+447911123456"
    emailer = member(name="Em Ailer")
    db.session.commit()
    officer_client.post("/staff/panel/draws/new", data={"title": "Budget jury", "size": "2", "seed": "5"})
    draw = Draw.query.one()
    response = officer_client.post(f"/staff/panel/draws/{draw.id}/invite", data={"details": "Town hall, 6pm"})
    assert response.status_code in (200, 302)
    texts, emails = notify.of("sms"), notify.of("email")
    assert [t["phone_number"] for t in texts] == ["+447911123456"]
    assert texts[0]["template_id"] == template_for("sms", "panel_invitation")
    fields = texts[0]["personalisation"]
    assert fields["name"] == "Tex Ter" and fields["event"] == "Budget jury" and fields["details"] == "Town hall, 6pm"
    assert "/panel/reply/" in fields["reply_link"] and fields["reply_link"] in fields["body"]
    assert [e["email_address"] for e in emails] == [emailer.email]
    assert emails[0]["template_id"] == template_for("email", "panel_invitation")
    # The reply link in the text works like the emailed one.
    link = re.search(r"http://localhost(/panel/reply/\S+)", fields["reply_link"]).group(1)
    assert officer_client.post(link, data={"reply": "accepted"}).status_code in (200, 302)
    assert {s.reply for s in Draw.query.one().selections if s.member_id == texter.id} == {"accepted"}


def test_without_notify_a_text_chooser_is_emailed_the_invitation_and_skipped_by_mailouts(officer_client, sent_emails):
    texter = member(contact_method="text")
    texter.mobile = "+447911123456"
    db.session.commit()
    officer_client.post("/staff/panel/draws/new", data={"title": "Jury", "size": "1", "seed": "5"})
    draw = Draw.query.one()
    officer_client.post(f"/staff/panel/draws/{draw.id}/invite", data={"details": "Town hall, 6pm"})
    assert [m["To"] for m in sent_emails] == [texter.email]  # an invitation must reach them somehow
    assert mailouts.recipients() == []  # a mail-out is optional: it skips them, as it skips callers


def test_mailouts_text_those_who_chose_it(db, notify):
    texter = member(contact_method="text")
    texter.mobile = "+447911123456"
    emailer = member()
    db.session.commit()
    consultation = factories.consultation(status="open", title="Parks plan")
    mailouts.send_mailout(consultation, {}, None)
    commit()
    text = notify.of("sms")[0]
    assert text["phone_number"] == "+447911123456" and text["template_id"] == template_for("sms", "panel_mailout")
    assert text["personalisation"]["consultation"] == "Parks plan"
    assert [e["email_address"] for e in notify.of("email")] == [emailer.email]


def test_leaving_erases_the_mobile_and_unsent_texts(db, notify):
    texter = member(contact_method="text", email="tex@example.org")
    texter.mobile = "+447911123456"
    db.session.commit()
    notify.fail_next(500)  # Notify is down: the text waits in the outbox
    from app.notifications.services import send_sms

    send_sms(texter.mobile, "panel_invitation", "Hello")
    commit()
    assert OutboundEmail.query.filter_by(channel="sms").count() == 1
    membership.erase(texter)
    commit()
    assert OutboundEmail.query.count() == 0 and PanelMember.query.count() == 0
