"""WebAuthn security keys: register, sign in, remove, reset; and every bad answer refused with a
clear message, never a 500. A software authenticator (soft_authenticator.py) answers with real
signatures, so py_webauthn's checks and ours run for real."""
import json

import pyotp
import pytest

from app.accounts.models import RecoveryCode, SecurityKey, SecurityKeyChallenge, User
from app.accounts.security_keys import EXPIRED, NOT_CHECKED, UNKNOWN_KEY
from app.audit.models import AuditEvent
from app.extensions import db as _db
from tests import factories
from tests.accounts.soft_authenticator import SoftAuthenticator
from tests.conftest import PASSWORD, login


@pytest.fixture(autouse=True)
def _required_roles(app, monkeypatch):
    monkeypatch.setitem(app.config, "TOTP_REQUIRED_ROLES", ("admin", "officer"))


def _registered(client, user, name="Blue key", authenticator=None):
    """Sign `user` in, register a key through the real endpoints, sign out; returns the key."""
    authenticator = authenticator or SoftAuthenticator()
    login(client, user)
    options = client.post("/account/security-keys/options").get_json()
    response = client.post("/account/security-keys", data={"password": PASSWORD, "name": name, "credential": authenticator.register(options)})
    assert response.status_code in (200, 302), response.get_data(as_text=True)
    client.post("/sign-out")
    return authenticator


def _to_key_step(client, user):
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/sign-in/code")


def _sign_in_options(client):
    response = client.post("/sign-in/security-key/options")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    return response.get_json()


@pytest.fixture()
def officer_with_app(db):
    return factories.user(role="officer", totp_secret=pyotp.random_base32())


def test_register_a_key_then_sign_in_with_it(client, officer_with_app, sent_emails):
    officer = officer_with_app
    login(client, officer)
    page = client.get("/account").get_data(as_text=True)
    assert "Add a security key" in page
    options = client.post("/account/security-keys/options").get_json()
    assert options["rp"]["id"] == "localhost" and options["user"]["name"] == officer.email
    authenticator = SoftAuthenticator()
    response = client.post("/account/security-keys", data={"password": PASSWORD, "name": " Blue key ", "credential": authenticator.register(options)})
    assert response.status_code == 302  # has an app already: no new recovery codes
    key = SecurityKey.query.filter_by(user_id=officer.id).one()
    assert (key.name, key.credential_id, key.transports, key.sign_count) == ("Blue key", authenticator.id, "usb,nfc", 0)
    assert AuditEvent.query.filter_by(event="second_factor.key_added").count() == 1
    assert "Blue key" in sent_emails[-1].get_content()
    assert "Blue key" in client.get("/account/security-keys").get_data(as_text=True)
    client.post("/sign-out")

    _to_key_step(client, officer)
    page = client.get("/sign-in/code").get_data(as_text=True)
    assert "Use your security key" in page and "js/security-key.js" in page and "Enter a code below instead" in page
    options = _sign_in_options(client)
    assert [c["id"] for c in options["allowCredentials"]] == [authenticator.id]
    response = client.post("/sign-in/security-key", data={"credential": authenticator.sign_in(options)})
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    _db.session.refresh(key)
    assert key.sign_count == 1 and key.last_used_at is not None
    success = AuditEvent.query.filter_by(event="sign_in.success").order_by(AuditEvent.id.desc()).first()
    assert success.detail["second_factor"] == "security key"


@pytest.mark.parametrize("garbage", [
    "", "{not json", "[]", "null", '"a string"', '{"id": 5}', json.dumps({"id": "x", "rawId": "!!", "type": "public-key",
     "response": {"clientDataJSON": "%%%", "authenticatorData": "", "signature": ""}}), "x" * 30000])
def test_garbage_answers_at_sign_in_are_refused_clearly(client, officer_with_app, garbage):
    _registered(client, officer_with_app)
    _to_key_step(client, officer_with_app)
    _sign_in_options(client)
    response = client.post("/sign-in/security-key", data={"credential": garbage})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.startswith("<!DOCTYPE html>") and "<title>Error: Confirm it’s you" in page
    assert "There is a problem" in page and (NOT_CHECKED in page or UNKNOWN_KEY in page)
    assert client.get("/staff/").status_code == 302  # still not signed in


@pytest.mark.parametrize("garbage", ["{not json", "[]", '{"id": "x"}', json.dumps({
    "id": "AA", "rawId": "AA", "type": "public-key", "response": {"clientDataJSON": "AA", "attestationObject": "AA"}})])
def test_garbage_answers_when_adding_a_key_are_refused_clearly(client, officer_with_app, garbage):
    login(client, officer_with_app)
    client.post("/account/security-keys/options")
    response = client.post("/account/security-keys", data={"password": PASSWORD, "name": "Key", "credential": garbage})
    assert response.status_code == 200 and "There is a problem" in response.get_data(as_text=True)
    assert SecurityKey.query.count() == 0


def test_adding_a_key_needs_a_name_and_an_answer(client, officer_with_app):
    login(client, officer_with_app)
    page = client.post("/account/security-keys", data={"name": "", "credential": ""}).get_data(as_text=True)
    assert "Enter a name for your security key" in page and "Enter your password" in page
    page = client.post("/account/security-keys", data={"password": PASSWORD, "name": "Key", "credential": ""}).get_data(as_text=True)
    assert "touch your key when your browser asks" in page


def test_adding_a_key_asks_for_the_password_again(client, officer_with_app):
    """ASVS 3.7.1: a session alone (say, a borrowed browser) cannot plant a key."""
    login(client, officer_with_app)
    authenticator = SoftAuthenticator()
    answer = authenticator.register(client.post("/account/security-keys/options").get_json())
    response = client.post("/account/security-keys", data={"password": "not my password", "name": "Theirs",
                                                            "credential": answer})
    assert "Your password is not correct" in response.get_data(as_text=True)
    assert SecurityKey.query.count() == 0
    assert AuditEvent.query.filter_by(event="second_factor.key_added", outcome="failure").count() == 1
    # The right password with the same answer works: the challenge was not used up by the refusal.
    response = client.post("/account/security-keys", data={"password": PASSWORD, "name": "Mine", "credential": answer})
    assert response.status_code == 302 and SecurityKey.query.count() == 1


def test_an_answer_to_another_challenge_is_refused(client, officer_with_app):
    authenticator = _registered(client, officer_with_app)
    _to_key_step(client, officer_with_app)
    options = _sign_in_options(client)
    forged = dict(options, challenge="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    page = client.post("/sign-in/security-key", data={"credential": authenticator.sign_in(forged)}).get_data(as_text=True)
    assert NOT_CHECKED in page
    failure = AuditEvent.query.filter_by(event="second_factor.failure").order_by(AuditEvent.id.desc()).first()
    assert failure.detail["reason"] == "answer not verified"


def test_a_challenge_works_once_even_with_the_old_cookie_replayed(client, officer_with_app):
    authenticator = _registered(client, officer_with_app)
    _to_key_step(client, officer_with_app)
    options = _sign_in_options(client)
    old_cookie = client.get_cookie("session").value  # holds the challenge and the half-signed-in state
    answer = authenticator.sign_in(options)
    assert client.post("/sign-in/security-key", data={"credential": answer}).status_code == 302
    client.set_cookie("session", old_cookie)
    page = client.post("/sign-in/security-key", data={"credential": answer}).get_data(as_text=True)
    assert EXPIRED in page
    # And without a fresh challenge at all (none in the session):
    assert EXPIRED in client.post("/sign-in/security-key", data={"credential": answer}).get_data(as_text=True)


def test_an_unknown_key_gets_a_clear_message(client, officer_with_app):
    _registered(client, officer_with_app)
    stranger = SoftAuthenticator()
    _to_key_step(client, officer_with_app)
    options = _sign_in_options(client)
    page = client.post("/sign-in/security-key", data={"credential": stranger.sign_in(options)}).get_data(as_text=True)
    assert UNKNOWN_KEY in page


def test_someone_elses_key_does_not_open_this_account(client, officer_with_app):
    other = factories.user(role="officer", totp_secret=pyotp.random_base32())
    theirs = _registered(client, other)
    _registered(client, officer_with_app)
    _to_key_step(client, officer_with_app)
    options = _sign_in_options(client)
    page = client.post("/sign-in/security-key", data={"credential": theirs.sign_in(options)}).get_data(as_text=True)
    assert UNKNOWN_KEY in page


def test_wrong_origin_or_rp_id_is_refused(client, officer_with_app):
    authenticator = _registered(client, officer_with_app)
    for kwargs in ({"origin": "http://evil.example"}, {"rp_id": "evil.example"}):
        _to_key_step(client, officer_with_app)
        options = _sign_in_options(client)
        page = client.post("/sign-in/security-key", data={"credential": authenticator.sign_in(options, **kwargs)})
        assert NOT_CHECKED in page.get_data(as_text=True)


def test_a_counter_that_does_not_rise_is_refused_and_reported(client, officer_with_app, sent_emails):
    authenticator = _registered(client, officer_with_app)
    _to_key_step(client, officer_with_app)
    assert client.post("/sign-in/security-key", data={"credential": authenticator.sign_in(_sign_in_options(client))}
                       ).status_code == 302
    client.post("/sign-out")
    _to_key_step(client, officer_with_app)
    clone = authenticator.sign_in(_sign_in_options(client), count_up=False)  # a copy still at the old count
    page = client.post("/sign-in/security-key", data={"credential": clone}).get_data(as_text=True)
    assert NOT_CHECKED in page
    assert "copied" in sent_emails[-1].get_content()


def test_options_need_the_half_signed_in_state_and_a_key(client, officer_with_app):
    response = client.post("/sign-in/security-key/options")
    assert response.status_code == 401 and "Sign in again" in response.get_json()["error"]
    _to_key_step(client, officer_with_app)  # has an app, no key
    response = client.post("/sign-in/security-key/options")
    assert response.status_code == 400 and "no security key" in response.get_json()["error"]
    assert client.post("/account/security-keys/options").status_code == 302  # not signed in: to sign-in


def test_the_account_pages_need_a_signed_in_member_of_staff(client):
    for url in ("/account/security-keys", "/account/security-keys/options", "/account/security-keys",
                "/account/security-keys/1/remove"):
        response = client.post(url) if url != "/account/security-keys" else client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], url
    assert client.post("/sign-in/security-key").headers["Location"].endswith("/sign-in")


def test_residents_have_no_security_key_pages(client):
    resident = factories.user(role="resident")
    login(client, resident)
    assert client.get("/account/security-keys").status_code == 404
    assert client.post("/account/security-keys/options").status_code == 404


def test_a_key_alone_meets_the_compulsory_second_factor(client, sent_emails):
    """A councillor (second factor optional) adds a key as their first factor: recovery codes are
    shown once. Made an officer (compulsory), the key counts: no authenticator app is demanded."""
    councillor = factories.user(role="councillor")
    login(client, councillor)
    options = client.post("/account/security-keys/options").get_json()
    authenticator = SoftAuthenticator()
    response = client.post("/account/security-keys", data={"password": PASSWORD, "name": "Laptop", "credential": authenticator.register(options)})
    page = response.get_data(as_text=True)
    assert "Save your recovery codes" in page and response.headers["Cache-Control"] == "no-store"
    assert RecoveryCode.query.filter_by(user_id=councillor.id).count() == 10
    assert "Add an authenticator app" in client.get("/account").get_data(as_text=True)
    client.post("/sign-out")
    councillor.role = "officer"
    _db.session.commit()

    _to_key_step(client, councillor)  # to the code page, not to set up an app
    page = client.get("/sign-in/code").get_data(as_text=True)
    assert "Enter a recovery code" in page and "I cannot use my authenticator app" not in page
    # A six-digit code means nothing without an app: told to use a recovery code or the key.
    assert "Enter one of your recovery codes" in client.post("/sign-in/code", data={"code": "123456"}).get_data(as_text=True)
    response = client.post("/sign-in/security-key", data={"credential": authenticator.sign_in(_sign_in_options(client))})
    assert response.headers["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_removing_keys(client, officer_with_app, sent_emails):
    officer = officer_with_app
    mine = _registered(client, officer, name="Old key")
    _key_sign_in(client, officer, mine)
    key = SecurityKey.query.one()
    other = factories.user(role="officer", totp_secret=pyotp.random_base32())
    assert client.post(f"/account/security-keys/{key.id + 1000}/remove").status_code == 404
    response = client.post(f"/account/security-keys/{key.id}/remove", follow_redirects=True)
    assert "Security key ‘Old key’ removed" in response.get_data(as_text=True)
    assert SecurityKey.query.count() == 0
    assert AuditEvent.query.filter_by(event="second_factor.key_removed").count() == 1
    assert "Old key" in sent_emails[-1].get_content()
    # Nobody removes another person's key (this browser is still signed in as the officer).
    their_key = SecurityKey(user_id=other.id, name="Theirs", credential_id="their-id", public_key=b"k")
    _db.session.add(their_key)
    _db.session.commit()
    assert client.post(f"/account/security-keys/{their_key.id}/remove").status_code == 404
    assert SecurityKey.query.count() == 1


def test_the_only_factor_of_an_officer_cannot_be_removed(client):
    councillor = factories.user(role="councillor")
    authenticator = _registered(client, councillor)
    councillor.role = "officer"
    _db.session.commit()
    _key_sign_in(client, councillor, authenticator)
    key = SecurityKey.query.one()
    page = client.post(f"/account/security-keys/{key.id}/remove", follow_redirects=True).get_data(as_text=True)
    assert "You cannot remove your only second factor" in page
    assert SecurityKey.query.count() == 1


def test_a_councillor_removing_their_only_key_loses_its_recovery_codes(client):
    councillor = factories.user(role="councillor")
    authenticator = _registered(client, councillor)
    assert RecoveryCode.query.count() == 10
    _key_sign_in(client, councillor, authenticator)
    key = SecurityKey.query.one()
    client.post(f"/account/security-keys/{key.id}/remove")
    assert SecurityKey.query.count() == 0 and RecoveryCode.query.count() == 0
    assert not _db.session.get(User, councillor.id).has_second_factor


def test_an_admin_reset_removes_keys_too(client, officer_with_app):
    officer = officer_with_app
    _registered(client, officer)
    admin = factories.user(role="admin", totp_secret=pyotp.random_base32())
    login(client, admin)
    assert "1 security key: Blue key" in client.get(f"/staff/admin/users/{officer.id}").get_data(as_text=True)
    client.post(f"/staff/admin/users/{officer.id}", data={"reset-confirm": "y", "reset-submit": "1"})
    assert SecurityKey.query.count() == 0 and SecurityKeyChallenge.query.count() == 0
    event = AuditEvent.query.filter_by(event="second_factor.reset").one()
    assert event.detail == {"security_keys_removed": 1}


def _key_sign_in(client, user, authenticator):
    _to_key_step(client, user)
    response = client.post("/sign-in/security-key", data={"credential": authenticator.sign_in(_sign_in_options(client))})
    assert response.headers["Location"] == "/staff/", response.get_data(as_text=True)


def test_wrong_answers_are_throttled_like_wrong_codes(app, client, officer_with_app):
    _registered(client, officer_with_app)
    _to_key_step(client, officer_with_app)
    messages = []
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1):
        _sign_in_options(client)
        messages.append(client.post("/sign-in/security-key", data={"credential": "{}"}).get_data(as_text=True))
    assert NOT_CHECKED in messages[0] and "Too many codes tried" in messages[-1]
