"""Joining (double opt-in, no leaks), managing, leaving (erasure) and the retention command."""
import re
from datetime import timedelta

from app.common.timeutil import utcnow
from app.extensions import db
from app.notifications.models import OutboundEmail
from app.panel.models import PanelMember, PanelStats
from tests.panel.conftest import join_data, member


def _link(message, path):
    body = message.get_body(("plain",)).get_content()
    match = re.search(r"http://localhost(" + path + r"[^\s]+)", body)
    assert match, body
    return match.group(1)


def test_good_sign_up_needs_the_emailed_link(client, ward, sent_emails):
    response = client.post("/panel/join", data=join_data())
    assert response.status_code == 302 and response.headers["Location"].endswith("/panel/join/check-your-email")
    person = PanelMember.query.one()
    assert person.status == "unconfirmed" and person.ward_id == ward.id and person.postcode == "NB1 2AB"
    assert person.tenure == "private_rent" and person.household_key == "1highst|NB12AB"
    link = _link(sent_emails[-1], "/panel/confirm/")
    assert "Confirm and join" in client.get(link).get_data(as_text=True)
    assert PanelMember.query.one().status == "unconfirmed"  # viewing the link confirms nothing
    assert "on the Citizens" in client.post(link).get_data(as_text=True)
    db.session.expire_all()
    assert PanelMember.query.one().status == "active"
    assert PanelStats.query.filter_by(event="joined").one().count == 1


def test_equality_answers_are_dropped_without_consent(client, ward):
    client.post("/panel/join", data=join_data(equality_consent="no"))
    person = PanelMember.query.one()
    assert person.equality_consent is False and person.sex is None and person.tenure is None


def test_each_kind_of_bad_input_is_explained_and_kept(client, ward):
    bad = join_data(name="", email="not-an-email", phone="12", postcode="nowhere", age_band="under_16",
                    contact_method="pigeon", panel_consent=None, equality_consent=None, sex="other")
    page = client.post("/panel/join", data=bad).get_data(as_text=True)
    for message in ("Enter your full name", "Enter an email address in the correct format",
                    "Enter a phone number", "Enter a full UK postcode", "Select your age group",
                    "Select how you would prefer us to contact you", "Tick the box to agree to join the panel",
                    "Select whether you want to answer the equality questions", "Select one of the options",
                    "There is a problem"):
        assert message in page, message
    assert 'value="not-an-email"' in page and 'value="nowhere"' in page
    assert PanelMember.query.count() == 0


def test_unknown_postcode_asks_for_the_ward(client, ward, sent_emails):
    page = client.post("/panel/join", data=join_data(postcode="NB9 9ZZ")).get_data(as_text=True)
    assert "Select the ward you live in" in page and "couldn&#39;t find your postcode" in page
    assert PanelMember.query.count() == 0
    for bad in ("abc", "99999"):  # tampered values get the same plain message, never "Invalid Choice"
        page = client.post("/panel/join", data=join_data(postcode="NB9 9ZZ", ward=bad)).get_data(as_text=True)
        assert "Select the ward you live in" in page and "Invalid" not in page
    # A known postcode gives the ward: a stray ward value is ignored.
    assert client.post("/panel/join", data=join_data(ward="abc", email="b@example.org")).status_code == 302
    PanelMember.query.filter_by(email="b@example.org").delete()
    db.session.commit()
    client.post("/panel/join", data=join_data(postcode="NB9 9ZZ", ward=str(ward.id)))
    assert PanelMember.query.one().ward_id == ward.id


def test_oversized_and_malformed_values_never_500(client, ward):
    huge = "x" * 100_000
    for data in (join_data(name=huge, access_needs=huge, address_line=huge, email=huge + "@example.org"),
                 join_data(ward="abc", postcode=huge, topics="zzz"), {"name": ["a", "b"]}, {}):
        response = client.post("/panel/join", data=data)
        assert response.status_code == 200
    assert PanelMember.query.count() == 0
    assert client.post("/panel/manage", data={"email": huge}).status_code == 200


def test_duplicate_sign_up_reveals_nothing_and_emails_the_owner(client, ward, sent_emails):
    member(email="ada@example.org", name="Ada Member")
    first = client.post("/panel/join", data=join_data(), follow_redirects=True).get_data(as_text=True)
    fresh = client.post("/panel/join", data=join_data(email="new@example.org"), follow_redirects=True).get_data(as_text=True)
    assert first == fresh  # the same page whether or not the address is a member
    to_owner = [m for m in sent_emails if m["To"] == "ada@example.org"]
    assert len(to_owner) == 1 and "already" in to_owner[0]["Subject"]
    assert "/panel/manage/" in to_owner[0].get_body(("plain",)).get_content()
    assert PanelMember.query.filter_by(email="ada@example.org").one().name == "Ada Member"


def test_confirmation_link_expires(client, ward, sent_emails, monkeypatch):
    client.post("/panel/join", data=join_data())
    link = _link(sent_emails[-1], "/panel/confirm/")
    import itsdangerous.timed
    later = utcnow().timestamp() + 73 * 3600
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    assert client.post(link).status_code == 404
    assert PanelMember.query.one().status == "unconfirmed"
    assert client.post("/panel/confirm/garbage").status_code == 404
    assert client.get("/panel/confirm/garbage").status_code == 404


def test_manage_link_request_does_not_leak(client, sent_emails):
    member(email="bo@example.org")
    a = client.post("/panel/manage", data={"email": "bo@example.org"}, follow_redirects=True).get_data(as_text=True)
    b = client.post("/panel/manage", data={"email": "nobody@example.org"}, follow_redirects=True).get_data(as_text=True)
    assert a == b and [m["To"] for m in sent_emails] == ["bo@example.org"]


def _manage(client, sent_emails, email):
    client.post("/panel/manage", data={"email": email})
    return _link(sent_emails[-1], "/panel/manage/")


def test_update_pause_and_resume(client, ward, sent_emails):
    person = member(email="cy@example.org", postcode="NB1 2AB", ward=ward)
    link = _manage(client, sent_emails, "cy@example.org")
    assert client.get(link).status_code == 200
    page = client.post(link, data=join_data(name="Cy Renamed", email=None, panel_consent=None)).get_data(as_text=True)
    assert "Your details have been updated" in page
    client.post(link + "/pause", data={"action": "pause"})
    db.session.expire_all()
    assert person.name == "Cy Renamed" and person.status == "paused"
    client.post(link + "/pause", data={"action": "resume"})
    db.session.expire_all()
    assert person.status == "active"
    assert client.get("/panel/manage/not-a-token").status_code == 404


def test_leaving_erases_everything_personal(client, ward, sent_emails, officer):
    from app.panel import draws
    from app.panel.models import Draw, DrawSelection
    person = member(email="dee@example.org", name="Dee Unique-Name", ward=ward)
    draw = draws.create_draw("Jury", 1, {}, 5, True, officer)
    from app.common.transaction import commit
    commit()  # runs the queued lottery here
    assert list(db.session.get(Draw, draw.id).pool_snapshot) == [draws.pool_key(person.id)]
    from app.notifications.services import send_email
    send_email("dee@example.org", "Queued", "body")  # an unsent email to her
    db.session.commit()
    link = _manage(client, sent_emails, "dee@example.org")
    db.session.add(OutboundEmail(to="DEE@example.org", subject="x", body_text="Dee Unique-Name"))
    db.session.commit()
    client.post(link + "/leave")
    db.session.expire_all()
    assert PanelMember.query.count() == 0
    selection = DrawSelection.query.one()
    assert selection.member_id is None and selection.groups == {} and selection.reply == "left"
    assert db.session.get(Draw, draw.id).probabilities == {}
    assert db.session.get(Draw, draw.id).pool_snapshot == {}  # her groups and household hash went too
    assert OutboundEmail.query.filter(db.func.lower(OutboundEmail.to) == "dee@example.org").count() == 0
    # Search every text column of every table for her name or address.
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()).mappings():
            for value in row.values():
                assert "dee@example.org" not in str(value).lower() and "Unique-Name" not in str(value), table.name
    assert PanelStats.query.filter_by(event="left").one().count == 1
    assert client.get(link).status_code == 404


def test_retention_command_erases_old_unconfirmed(app, db):
    old = member(status="unconfirmed", email="old@example.org")
    old.created_at = utcnow() - timedelta(days=31)
    member(status="unconfirmed", email="recent@example.org")
    confirmed = member(email="kept@example.org")
    confirmed.created_at = utcnow() - timedelta(days=400)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["panel", "purge-unconfirmed"])
    assert "Erased 1 " in result.output, result.output
    db.session.expire_all()
    assert {m.email for m in PanelMember.query} == {"recent@example.org", "kept@example.org"}
    assert PanelStats.query.filter_by(event="purged").one().count == 1
    result = app.test_cli_runner().invoke(args=["panel", "purge-unconfirmed", "--days", "0"])
    assert "Erased 1 " in result.output
    assert app.test_cli_runner().invoke(args=["panel", "purge-unconfirmed", "--days", "-3"]).exit_code != 0


def test_first_line_of_address_is_required_with_a_reason(client, ward):
    page = client.post("/panel/join", data=join_data(address_line="")).get_data(as_text=True)
    assert "Enter the first line of your address" in page and "same household" in page
    assert PanelMember.query.count() == 0


def test_phone_or_text_preference_needs_a_phone_number(client, ward, notify):
    for method, field, words in (("phone", "phone", "a phone number so we can call you"),
                                 ("text", "mobile", "a UK mobile number so we can text you")):
        page = client.post("/panel/join", data=join_data(contact_method=method, phone="")).get_data(as_text=True)
        assert f"Enter {words}, or choose email" in page
        assert f'href="#{field}"' in page  # the summary links to the field where the message is
        assert PanelMember.query.count() == 0
    response = client.post("/panel/join", data=join_data(contact_method="phone", phone="07700 900 982"))
    assert response.status_code == 302 and PanelMember.query.one().contact_method == "phone"


def test_two_sign_ups_at_once_with_one_address_show_the_same_page(client, ward, sent_emails):
    """The other request's insert lands between this one's look-up and its insert (injected into
    the same transaction, as the database would see it): no 500, the same page, nothing half-saved."""
    from sqlalchemy import event, insert
    from sqlalchemy.orm import Session
    fired = []

    def other_request_inserts_first(state):
        if state.is_select and not fired and "panel_members" in str(state.statement):
            fired.append(True)
            result = state.invoke_statement()
            state.session.connection().execute(insert(PanelMember.__table__).values(
                email="ada@example.org", name="Other tab", postcode="NB1 2AB", age_band="18_24",
                contact_method="email", access_needs="", panel_consent_at=utcnow(), equality_consent=False,
                status="unconfirmed", created_at=utcnow()))
            return result

    event.listen(Session, "do_orm_execute", other_request_inserts_first)
    try:
        response = client.post("/panel/join", data=join_data())
    finally:
        event.remove(Session, "do_orm_execute", other_request_inserts_first)
    assert fired and response.status_code == 302
    assert response.headers["Location"].endswith("/panel/join/check-your-email")
    assert PanelMember.query.one().name == "Other tab"


def test_monthly_counts_survive_two_requests_at_once(db):
    """Another request makes this month's row between this one's look-up (if any) and its write."""
    from sqlalchemy import event, insert
    from sqlalchemy.orm import Session
    from app.panel.membership import bump_stat
    fired = []

    def other_request(state):
        if fired or "panel_stats" not in str(state.statement):
            return None
        fired.append(True)
        other = insert(PanelStats.__table__).values(month=utcnow().strftime("%Y-%m"), event="joined", count=4)
        if state.is_select:  # a read-then-write would read "no row" and then collide with it
            result = state.invoke_statement()
            state.session.connection().execute(other)
            return result
        state.session.connection().execute(other)
        return None

    event.listen(Session, "do_orm_execute", other_request)
    try:
        bump_stat("joined")
    finally:
        event.remove(Session, "do_orm_execute", other_request)
    bump_stat("left")
    db.session.commit()
    assert fired and {(s.event, s.count) for s in PanelStats.query} == {("joined", 5), ("left", 1)}


def test_equality_consent_time_is_recorded_and_cleared(client, ward, sent_emails):
    client.post("/panel/join", data=join_data())
    person = PanelMember.query.one()
    given = person.equality_consent_at
    assert given is not None and person.equality_consent
    client.post(_link(sent_emails[-1], "/panel/confirm/"))
    link = _manage(client, sent_emails, "ada@example.org")
    client.post(link, data=join_data(email=None, panel_consent=None, name="Ada Again"))
    db.session.expire_all()
    assert PanelMember.query.one().equality_consent_at == given  # still the first time they said yes
    client.post(link, data=join_data(email=None, panel_consent=None, equality_consent="no"))
    db.session.expire_all()
    person = PanelMember.query.one()
    assert person.equality_consent_at is None and person.sex is None
    client.post("/panel/join", data=join_data(email="no@example.org", equality_consent="no"))
    assert PanelMember.query.filter_by(email="no@example.org").one().equality_consent_at is None


def test_links_do_not_carry_the_email_address(client, ward, sent_emails):
    import base64
    from app.common.signing import read_token
    from app.panel.membership import CONFIRM_PURPOSE
    client.post("/panel/join", data=join_data())
    link = _link(sent_emails[-1], "/panel/confirm/")
    token = link.rsplit("/", 1)[1]
    payload = read_token(CONFIRM_PURPOSE, token)
    assert set(payload) == {"m", "h"} and "ada" not in str(payload)
    assert b"ada" not in base64.urlsafe_b64decode(token.split(".")[0] + "==")
    client.post(link)
    db.session.expire_all()
    assert PanelMember.query.one().status == "active"
    manage = _manage(client, sent_emails, "ada@example.org")
    assert "ada" not in str(read_token("panel-manage", manage.rsplit("/", 1)[1]))
    assert client.get(manage).status_code == 200
    # The hash ties the link to the address: a new member in the same row id can't use it.
    PanelMember.query.one().email = "someone-else@example.org"
    db.session.commit()
    assert client.get(manage).status_code == 404
