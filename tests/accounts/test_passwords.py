"""Finding 2 (passwords) and 3 (registration): reset by a single-use expiring emailed link,
change when signed in, guessable passwords refused, Argon2id with rehash of old scrypt hashes,
and registration that never reveals whether an address has an account."""
import re

import pytest
from werkzeug.security import generate_password_hash

from app.accounts.models import User
from tests import factories
from tests.conftest import PASSWORD, login

NEW = "lantern orbit meadow quarry"


def _link(sent_emails, path):
    return re.search(rf"http://localhost({path}/\S+)", sent_emails[-1].get_content()).group(1)


def test_reset_by_emailed_link_works_once(client, officer, sent_emails, db):
    page = client.post("/reset-password", data={"email": officer.email.upper()},
                       follow_redirects=True).get_data(as_text=True)
    assert "Check your email" in page
    link = _link(sent_emails, "/reset-password")
    assert client.get(link).status_code == 200
    done = client.post(link, data={"password": NEW, "confirm": NEW})
    assert done.status_code == 302 and done.headers["Location"] == "/sign-in"
    assert "has changed" in sent_emails[-1]["Subject"]  # the owner is told
    assert client.get(link).status_code == 404  # single use
    assert "Enter a correct" in client.post("/sign-in", data={"email": officer.email, "password": PASSWORD}).get_data(as_text=True)
    login(client, officer, NEW)


def test_an_older_reset_link_dies_with_the_first_use(client, officer, sent_emails):
    client.post("/reset-password", data={"email": officer.email})
    first = _link(sent_emails, "/reset-password")
    client.post("/reset-password", data={"email": officer.email})
    second = _link(sent_emails, "/reset-password")
    assert client.post(second, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert client.get(first).status_code == 404


def test_reset_links_expire(app, client, officer, sent_emails):
    client.post("/reset-password", data={"email": officer.email})
    link = _link(sent_emails, "/reset-password")
    old = app.config["PASSWORD_RESET_VALID_MINUTES"]
    app.config["PASSWORD_RESET_VALID_MINUTES"] = -1  # every link is older than that
    try:
        assert client.get(link).status_code == 404
    finally:
        app.config["PASSWORD_RESET_VALID_MINUTES"] = old


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, db, sent_emails):
    page = client.post("/reset-password", data={"email": "nobody@example.org"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Check your email" in page and sent_emails == []


def test_a_tampered_reset_link_is_refused(client, officer, sent_emails):
    client.post("/reset-password", data={"email": officer.email})
    link = _link(sent_emails, "/reset-password")
    assert client.get(link[:-3] + "abc").status_code == 404


def test_change_password_asks_for_the_current_one(client, officer):
    login(client, officer)
    page = client.post("/account/password", data={"current": "not my password", "password": NEW, "confirm": NEW})
    assert "Your current password is not correct" in page.get_data(as_text=True)
    assert client.post("/account/password", data={"current": PASSWORD, "password": NEW, "confirm": NEW}).status_code == 302
    client.post("/sign-out")
    login(client, officer, NEW)


def test_change_password_needs_sign_in(client, db):
    assert client.get("/account/password").status_code == 302


@pytest.mark.parametrize("weak", ["password1234", "qwertyuiop123", "Northbrook2026!", "letmein123456", "haveyoursay2026"])
def test_common_and_guessable_passwords_are_refused(client, officer, weak):
    login(client, officer)
    page = client.post("/account/password", data={"current": PASSWORD, "password": weak, "confirm": weak}).get_data(as_text=True)
    assert "There is a problem" in page
    assert "Choose a password that is harder to guess" in page
    assert '<a href="#password">' in page  # the error summary links to the field


def test_a_password_made_of_your_own_details_is_refused(client, officer):
    login(client, officer)
    page = client.post("/account/password", data={"current": PASSWORD, "password": officer.email,
                                                   "confirm": officer.email}).get_data(as_text=True)
    assert "harder to guess" in page


def test_guessable_passwords_refused_at_registration_reset_and_invite(client, officer, sent_emails):
    weak = "password1234"
    page = client.post("/create-account", data={"name": "Ayo", "email": "ayo@example.org", "password": weak, "confirm": weak})
    assert "harder to guess" in page.get_data(as_text=True) and 'value="ayo@example.org"' in page.get_data(as_text=True)
    client.post("/reset-password", data={"email": officer.email})
    assert "harder to guess" in client.post(_link(sent_emails, "/reset-password"),
                                            data={"password": weak, "confirm": weak}).get_data(as_text=True)


def test_new_hashes_are_argon2id(officer):
    assert officer.password_hash.startswith("$argon2id$")


def test_an_old_scrypt_hash_still_works_and_is_upgraded(client, db):
    person = factories.user(role="officer")
    person.password_hash = generate_password_hash(PASSWORD)  # as stored before this change
    db.session.commit()
    assert person.password_hash.startswith("scrypt:")
    login(client, person)
    db.session.expire_all()
    assert db.session.get(User, person.id).password_hash.startswith("$argon2id$")
    client.post("/sign-out")
    login(client, person)


# --- Registration ------------------------------------------------------------------------

def _register(client, email, password="twelve chars ok", name="Ayo"):
    return client.post("/create-account", data={"name": name, "email": email, "password": password,
                                                 "confirm": password}, follow_redirects=True).get_data(as_text=True)


def _page_text(page):
    """What a visitor reads in the page body."""
    main = page[page.index("<main"):page.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_registration_does_not_reveal_staff_addresses(client, officer, sent_emails, db):
    known = _register(client, officer.email)
    unknown = _register(client, "new.person@example.org")
    assert "There is already an account" not in known
    assert _page_text(known) == _page_text(unknown)
    to_staff = [m for m in sent_emails if m["To"] == officer.email]
    assert len(to_staff) == 1 and "already has one" in to_staff[0].get_content()
    assert db.session.get(User, officer.id).name != "Ayo"  # nothing changed on the real account


def test_a_new_account_works_once_the_address_is_confirmed(client, db, sent_emails):
    _register(client, "ayo@example.org")
    link = _link(sent_emails, "/create-account/confirm")
    page = client.post("/sign-in", data={"email": "ayo@example.org", "password": "twelve chars ok"}).get_data(as_text=True)
    assert "Confirm your email address before you sign in" in page
    assert client.get(link).status_code == 302
    assert client.get("/account").status_code == 200
    assert client.get(link).status_code == 404  # used


def test_someone_else_cannot_pre_register_your_address(client, db, sent_emails):
    _register(client, "victim@example.org", password="attacker chose this one")
    _register(client, "victim@example.org", password="victim chose this one", name="Victim")
    client.get(_link(sent_emails, "/create-account/confirm"))  # the owner's link, in the owner's inbox
    person = User.query.filter_by(email="victim@example.org").one()
    assert person.name == "Victim" and person.check_password("victim chose this one")
    assert not person.check_password("attacker chose this one")
