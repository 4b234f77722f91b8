"""Staff sign-in with a TOTP code in a real browser at phone width (390 px), checked with axe-core.
The code is computed with pyotp from the officer's secret, as their authenticator app would."""
import time

import pyotp

from tests import factories
from tests.browser.conftest import assert_accessible


def test_sign_in_with_a_security_code(page, db):
    secret = pyotp.random_base32()
    officer = factories.user(role="officer", totp_secret=secret)
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    code_box = page.get_by_label("Enter your security code")
    code_box.wait_for()
    assert code_box.get_attribute("autocomplete") == "one-time-code"
    assert_accessible(page, "security code")

    valid = {pyotp.TOTP(secret).at(time.time(), counter_offset=k) for k in (-1, 0, 1)}
    code_box.fill(next(c for c in ("000000", "111111", "222222") if c not in valid))
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Enter the correct code" in summary.inner_text()
    assert_accessible(page, "wrong security code")
    page.goto("/staff/")  # still not signed in: back to the code step
    page.get_by_label("Enter your security code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Staff home").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than a phone


def test_councillor_sets_up_an_authenticator_app(page, db):
    """Optional for councillors: from their account page, type the key shown, confirm a code,
    see the recovery codes once."""
    from tests.browser.conftest import sign_in

    councillor = factories.user(role="councillor")
    sign_in(page, councillor)
    page.goto("/account")
    page.get_by_role("link", name="Set up a second factor").click()
    page.get_by_role("heading", name="Set up your authenticator app").wait_for()
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    assert_accessible(page, "set-up")
    key = page.locator(".app-secret-key").inner_text().replace(" ", "")
    page.get_by_label("Code from your app").fill(pyotp.TOTP(key).now())
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Save your recovery codes").wait_for()
    assert page.locator(".app-recovery-codes li").count() == 10
    assert_accessible(page, "recovery codes")
    page.get_by_role("link", name="I have saved my recovery codes").click()
    page.get_by_role("heading", name="Staff home").wait_for()
