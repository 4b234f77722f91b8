"""Issue 14, finding 4: /panel/manage and /panel/join could email one victim 209 and 107 times a
minute, and one machine could make 99 unconfirmed panel rows a minute."""
import re

from app.panel.models import PanelMember, PanelStats
from tests.panel.conftest import join_data, member


def _emails(app):
    return app.extensions.get("sent_emails", [])


def test_the_manage_link_flood_is_capped_at_three_an_hour(limited_app, db):
    app = limited_app()
    member(email="victim@example.org")
    client = app.test_client()
    statuses = [client.post("/panel/manage", data={"email": "victim@example.org"}).status_code for _ in range(209)]
    assert statuses[:3] == [302, 302, 302]
    assert set(statuses[3:]) == {429}
    assert [m["To"] for m in _emails(app)] == ["victim@example.org"] * 3


def test_the_join_flood_sends_one_email_and_keeps_one_row(limited_app, ward):
    app = limited_app()
    client = app.test_client()
    for _ in range(107):
        client.post("/panel/join", data=join_data(email="victim@example.org"))
    assert [m["To"] for m in _emails(app)] == ["victim@example.org"]
    assert PanelMember.query.count() == 1


def test_one_machine_cannot_make_unconfirmed_rows_by_the_hundred(limited_app, ward):
    app = limited_app()
    client = app.test_client()
    for n in range(99):
        client.post("/panel/join", data=join_data(email=f"made-up-{n}@example.org"))
    assert PanelMember.query.count() == 10
    # Someone else, on another connection, can still join.
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.77"
    assert other.post("/panel/join", data=join_data(email="real@example.org")).status_code == 302


def test_a_refused_sign_up_keeps_what_was_typed_and_says_why(limited_app, ward):
    app = limited_app()
    client = app.test_client()
    for n in range(3):
        client.post("/panel/join", data=join_data(email="ada@example.org"))
    refused = client.post("/panel/join", data=join_data(email="ada@example.org", access_needs="A hearing loop"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "govuk-error-summary" in page and "already sent several emails to this address" in page
    assert 'value="Ada Lovelace"' in page and 'value="ada@example.org"' in page and "A hearing loop" in page


def test_a_limit_reveals_nothing_about_membership(limited_app, db):
    """Asking for a non-member's address counts the same, so the refusal can't tell them apart."""
    app = limited_app()
    member(email="member@example.org")
    client = app.test_client()
    pages = {}
    for address in ("member@example.org", "stranger@example.org"):
        for _ in range(3):
            client.post("/panel/manage", data={"email": address})
        refused = client.post("/panel/manage", data={"email": address})
        page = re.sub(r'nonce="[^"]+"', "", refused.get_data(as_text=True).replace(address, "X"))
        pages[address] = (refused.status_code, page)
    assert pages["member@example.org"] == pages["stranger@example.org"]
    assert pages["member@example.org"][0] == 429


def _confirm_link(message):
    body = message.get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/panel/confirm/[^\s]+)", body).group(1)


def test_a_confirm_link_works_once(client, ward, sent_emails):
    client.post("/panel/join", data=join_data())
    link = _confirm_link(sent_emails[-1])
    first = client.post(link).get_data(as_text=True)
    assert "on the Citizens" in first and "/panel/manage/" in first
    for again in (client.post(link), client.get(link)):
        page = again.get_data(as_text=True)
        assert again.status_code == 200 and "already confirmed" in page
        assert "/panel/manage/" not in page and "Ada Lovelace" not in page  # no new link, no name
    assert PanelStats.query.filter_by(event="joined").one().count == 1
