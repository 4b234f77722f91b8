"""Staff second factor (issue 14, "Staff sign-in"): TOTP after the password, compulsory set-up
for the required roles, single-use codes and recovery codes, throttling and the admin's reset.

The test settings require no role (so the rest of the suite signs in with a password); every test
here sets the production default, admin and officer.
"""
import re
import time

import pyotp
import pytest

from app.accounts.models import RecoveryCode, User, UserSession
from app.audit.models import AuditEvent
from tests import factories
from tests.conftest import PASSWORD, login


@pytest.fixture(autouse=True)
def _required_roles(app, monkeypatch):
    monkeypatch.setitem(app.config, "TOTP_REQUIRED_ROLES", ("admin", "officer"))


def _password(client, user):
    return client.post("/sign-in", data={"email": user.email, "password": PASSWORD})


def _events(name):
    return AuditEvent.query.filter_by(event=name).all()


def _wrong_code(secret):
    totp, now = pyotp.TOTP(secret), time.time()
    valid = {totp.at(now, counter_offset=k) for k in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def _set_up(client, user):
    """Password, then the set-up page: read the key as a person typing it would, confirm a code."""
    response = _password(client, user)
    assert response.headers["Location"].endswith("/sign-in/set-up-second-factor")
    page = client.get("/sign-in/set-up-second-factor").get_data(as_text=True)
    assert '<svg role="img"' in page
    secret = re.search(r'<code class="app-secret-key">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    done = client.post("/sign-in/set-up-second-factor", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", done.get_data(as_text=True))
    return secret, codes


def _staff_get_rules(app):
    return sorted(r.rule for r in app.url_map.iter_rules()
                  if r.rule.startswith("/staff") and not r.arguments and "GET" in r.methods)


def test_set_up_flow_stores_secret_and_hashed_single_use_recovery_codes(app, client, db):
    officer = factories.user(role="officer")
    secret, codes = _set_up(client, officer)
    db.session.refresh(officer)
    assert officer.totp_secret == secret and officer.totp_enabled_at is not None
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = RecoveryCode.query.filter_by(user_id=officer.id).all()
    assert len(stored) == 10 and all(code.replace("-", "") not in row.code_hash for row in stored for code in codes)
    assert client.get("/staff/").status_code == 200  # set-up signs them in
    assert len(_events("second_factor.set_up")) == 1


def test_required_roles_cannot_reach_any_staff_page_before_set_up(app, client, db):
    admin = factories.user(role="admin")
    _password(client, admin)
    # Half signed in: not signed in for anything, and every staff page leads back to set-up.
    assert client.get("/account").headers["Location"].startswith("/sign-in")
    for rule in _staff_get_rules(app):
        response = client.get(rule)
        assert response.status_code == 302, rule
        assert response.headers["Location"].endswith("/sign-in/code"), rule
    assert client.get("/sign-in/code").headers["Location"].endswith("/sign-in/set-up-second-factor")
    assert UserSession.query.filter_by(user_id=admin.id).count() == 0
    db.session.expire_all()
    assert [e.outcome for e in _events("sign_in.password_accepted")] == ["success"]
    assert not _events("sign_in.success")


def test_a_session_from_before_the_requirement_is_sent_to_set_up(app, client, db, monkeypatch):
    officer = factories.user(role="officer")
    monkeypatch.setitem(app.config, "TOTP_REQUIRED_ROLES", ())
    login(client, officer)
    monkeypatch.setitem(app.config, "TOTP_REQUIRED_ROLES", ("admin", "officer"))
    for rule in _staff_get_rules(app):
        response = client.get(rule)
        assert response.headers.get("Location", "").endswith("/sign-in/set-up-second-factor"), rule


def test_councillors_may_sign_in_without_a_second_factor(client, db):
    councillor = factories.user(role="councillor")
    assert _password(client, councillor).headers["Location"].endswith("/staff/")
    assert client.get("/staff/").status_code == 200


def test_sign_in_with_code_then_a_reused_or_wrong_code_is_refused(app, client, db, sent_emails):
    secret = pyotp.random_base32()
    officer = factories.user(role="officer", totp_secret=secret)
    assert _password(client, officer).headers["Location"].endswith("/sign-in/code")
    assert client.get("/staff/").headers["Location"].endswith("/sign-in/code")  # not yet signed in
    code = pyotp.TOTP(secret).now()
    assert client.post("/sign-in/code", data={"code": code}).headers["Location"].endswith("/staff/")
    assert client.get("/staff/").status_code == 200
    client.post("/sign-out")

    _password(client, officer)
    reused = client.post("/sign-in/code", data={"code": code})
    assert reused.status_code == 200 and "already been used" in reused.get_data(as_text=True)
    wrong = client.post("/sign-in/code", data={"code": _wrong_code(secret)})
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 200 and "There is a problem" in page and "Enter the correct code" in page
    assert 'href="#code"' in page and 'value="' in page  # GOV.UK error summary links to the field
    assert client.get("/staff/").headers["Location"].endswith("/sign-in/code")
    assert len(_events("second_factor.failure")) == 2
    assert [m for m in sent_emails if "already been used" in m.get_content()]  # the holder is told
    assert _events("second_factor.failure")[0].outcome == "failure"


def test_recovery_code_works_once(app, client, db):
    officer = factories.user(role="officer")
    _, codes = _set_up(client, officer)
    client.post("/sign-out")
    _password(client, officer)
    assert client.post("/sign-in/code", data={"code": codes[3].upper()}).headers["Location"].endswith("/staff/")
    assert len(_events("second_factor.recovery_code_used")) == 1
    client.post("/sign-out")
    _password(client, officer)
    again = client.post("/sign-in/code", data={"code": codes[3]})
    assert again.status_code == 200 and "Enter the correct code" in again.get_data(as_text=True)
    assert RecoveryCode.query.filter(RecoveryCode.user_id == officer.id, RecoveryCode.used_at.is_not(None)).count() == 1


def test_new_recovery_codes_need_a_current_code_and_replace_the_old(app, client, db):
    secret = pyotp.random_base32()
    officer = factories.user(role="officer", totp_secret=secret)
    _password(client, officer)
    client.post("/sign-in/code", data={"code": _previous_step_code(secret)})
    refused = client.post("/account/second-factor/recovery-codes", data={"code": _wrong_code(secret)})
    assert refused.status_code == 200 and "Enter the correct code" in refused.get_data(as_text=True)
    made = client.post("/account/second-factor/recovery-codes", data={"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", made.get_data(as_text=True))
    assert len(codes) == 10 and RecoveryCode.query.filter_by(user_id=officer.id).count() == 10
    assert len(_events("second_factor.recovery_codes_renewed")) == 1


def _previous_step_code(secret):
    """A code from one step ago: still accepted (±1 step), leaving the current one unused."""
    return pyotp.TOTP(secret).at(time.time(), counter_offset=-1)


def test_wrong_codes_are_throttled_and_a_new_password_does_not_reset_the_count(app, client, db):
    secret = pyotp.random_base32()
    officer = factories.user(role="officer", totp_secret=secret)
    _password(client, officer)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/sign-in/code", data={"code": _wrong_code(secret)})
    _password(client, officer)  # the right password again gives no fresh guesses
    refused = client.post("/sign-in/code", data={"code": pyotp.TOTP(secret).now()})
    assert "Too many codes tried" in refused.get_data(as_text=True)
    assert len(_events("second_factor.throttled")) == 1
    assert client.get("/staff/").status_code == 302


def test_admin_reset_is_confirmed_logged_and_ends_every_session(app, db, sent_emails):
    secret = pyotp.random_base32()
    officer = factories.user(role="officer", totp_secret=secret)
    admin = factories.user(role="admin", totp_secret=pyotp.random_base32())
    officer_client, admin_client = app.test_client(), app.test_client()
    login(officer_client, officer)
    login(admin_client, admin)
    assert officer_client.get("/staff/").status_code == 200

    page = admin_client.get(f"/staff/admin/users/{officer.id}").get_data(as_text=True)
    assert "Reset second factor" in page
    unconfirmed = admin_client.post(f"/staff/admin/users/{officer.id}", data={"reset-submit": "1"})
    assert unconfirmed.status_code == 200 and "must set up their second factor again" in unconfirmed.get_data(as_text=True)
    assert db.session.get(User, officer.id).totp_secret == secret

    done = admin_client.post(f"/staff/admin/users/{officer.id}", data={"reset-submit": "1", "reset-confirm": "y"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, officer.id).totp_secret is None
    assert RecoveryCode.query.filter_by(user_id=officer.id).count() == 0
    assert officer_client.get("/staff/").headers["Location"].startswith("/sign-in")  # signed out everywhere
    event = _events("second_factor.reset")[0]
    assert event.actor_id == admin.id and event.subject == f"user:{officer.id}"
    assert any(m["To"] == officer.email and "reset your second factor" in m.get_content() for m in sent_emails)
    assert _password(officer_client, officer).headers["Location"].endswith("/sign-in/set-up-second-factor")


def test_the_page_asked_for_survives_the_code_step_but_never_another_site(app, client, db):
    secret = pyotp.random_base32()
    officer = factories.user(role="officer", totp_secret=secret)
    client.post("/sign-in?next=/staff/consultations", data={"email": officer.email, "password": PASSWORD})
    done = client.post("/sign-in/code", data={"code": _previous_step_code(secret)})
    assert done.headers["Location"] == "/staff/consultations"
    client.post("/sign-out")
    client.post("/sign-in?next=//evil.example", data={"email": officer.email, "password": PASSWORD})
    done = client.post("/sign-in/code", data={"code": pyotp.TOTP(secret).now()})
    assert done.headers["Location"] == "/staff/"


ODD_CODES = ["", " ", "x" * 20_000, "١٢٣٤٥٦", "１２３４５６", "12345", "1234567", "İstanbul ☃ \u202e", "a\x00b",
             "<script>alert(1)</script>", "ééééé-ééééé", ["123456", "654321"]]


@pytest.mark.parametrize("code", ODD_CODES)
def test_odd_codes_get_a_clear_message_never_a_500(app, client, db, code):
    secret = pyotp.random_base32()
    officer = factories.user(role="officer", totp_secret=secret)
    _password(client, officer)
    response = client.post("/sign-in/code", data={"code": code})
    assert response.status_code == 200 and "There is a problem" in response.get_data(as_text=True)
    admin = factories.user(role="admin")
    other = app.test_client()
    _password(other, admin)
    response = other.post("/sign-in/set-up-second-factor", data={"code": code})
    assert response.status_code == 200 and "There is a problem" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id).totp_secret is None


def test_reset_from_the_command_line_when_no_admin_can(app, db):
    admin = factories.user(role="admin", totp_secret=pyotp.random_base32())
    runner = app.test_cli_runner()
    assert "no staff account" in runner.invoke(args=["accounts", "reset-second-factor", "nobody@example.org"]).output
    result = runner.invoke(args=["accounts", "reset-second-factor", admin.email.upper()])
    assert "Second factor reset" in result.output, result.output
    db.session.expire_all()
    assert db.session.get(User, admin.id).totp_secret is None
    event = _events("second_factor.reset")[0]
    assert event.actor_id is None and event.detail == {"by": "flask accounts reset-second-factor"}
