"""Security keys in a real browser: Chromium's virtual authenticator (over CDP) stands in for a
key. Register one from the account pages, sign out, sign in with password + key; axe on each page.
WebAuthn needs a secure context and an rp id that is a domain, so this server is reached as
http://localhost (not 127.0.0.1), with BASE_URL to match."""

import pyotp
import pytest

from app.accounts.models import SecurityKey
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import LiveSettings, serve


@pytest.fixture()
def localhost_server(app, db):
    with serve(LiveSettings, host="localhost") as url:
        yield url


@pytest.fixture()
def context(browser, localhost_server):
    ctx = browser.new_context(base_url=localhost_server, viewport={"width": 390, "height": 844}, bypass_csp=True)
    yield ctx
    ctx.close()


def _virtual_authenticator(context, page):
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True}})
    return cdp, added["authenticatorId"]


def test_register_a_key_then_sign_in_with_password_and_key(context, db):
    page = context.new_page()
    page.set_default_timeout(15000)
    cdp, authenticator = _virtual_authenticator(context, page)
    officer = factories.user(role="officer", totp_secret=pyotp.random_base32())
    sign_in(page, officer)

    page.goto("/account")
    page.get_by_role("link", name="Add a security key").click()
    page.get_by_role("heading", name="Security keys", exact=True).wait_for()
    page.get_by_role("button", name="Add security key").wait_for()  # shown by the script
    assert_accessible(page, "security keys, none yet")
    page.get_by_label("Name this key").fill("Work laptop")
    page.get_by_label("Your password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Add security key").click()
    page.get_by_text("Security key ‘Work laptop’ added").wait_for()
    assert page.get_by_role("cell", name="Work laptop", exact=True).is_visible()
    assert_accessible(page, "security keys, one added")
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]) == 1

    page.goto("/sign-out")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You have signed out.").wait_for()

    page.goto("/sign-in")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Confirm it’s you").wait_for()
    page.get_by_role("button", name="Use your security key").wait_for()
    assert page.get_by_text("Or enter a code").is_visible()  # the app still works instead
    assert not page.get_by_text("Using a security key needs JavaScript").is_visible()
    assert_accessible(page, "second step with a key")
    page.get_by_role("button", name="Use your security key").click()
    page.get_by_role("heading", name="Staff home").wait_for()
    key = SecurityKey.query.filter_by(user_id=officer.id).one()
    db.session.refresh(key)
    assert key.last_used_at is not None
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_without_javascript_the_page_says_so_and_a_code_still_works(browser, localhost_server, db):
    secret = pyotp.random_base32()
    officer = factories.user(role="officer", totp_secret=secret)
    db.session.add(SecurityKey(user_id=officer.id, name="Blue key", credential_id="AAAA", public_key=b"k"))
    db.session.commit()
    context = browser.new_context(base_url=localhost_server, java_script_enabled=False, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto("/sign-in")
        page.get_by_label("Email address").fill(officer.email)
        page.get_by_label("Password").fill(factories.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Using a security key needs JavaScript").wait_for()
        assert not page.get_by_role("button", name="Use your security key").is_visible()
        page.get_by_label("Enter your security code").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("heading", name="Staff home").wait_for()
    finally:
        context.close()
