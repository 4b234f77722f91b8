"""Password reset and change in a real browser, checked with axe-core."""
from app.accounts.passwords import make_user_link_token
from app.accounts.services import RESET_PURPOSE
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in

NEW = "lantern orbit meadow quarry"


def test_forgotten_password_journey(page, db):
    officer = factories.user(role="officer")
    page.goto("/sign-in")
    page.get_by_role("link", name="Forgotten your password?").click()
    assert_accessible(page, "reset request")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    assert_accessible(page, "check your email")
    # The link the email carries (the live server's outbox is in its own process memory).
    page.goto(f"/reset-password/{make_user_link_token(RESET_PURPOSE, officer)}")
    page.get_by_label("Create a password").fill("password1234")
    page.get_by_label("Confirm password").fill("password1234")
    page.get_by_role("button", name="Save password").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "harder to guess" in summary.inner_text()
    assert_accessible(page, "weak password refused")
    page.get_by_label("Create a password").fill(NEW)
    page.get_by_label("Confirm password").fill(NEW)
    page.get_by_role("button", name="Save password").click()
    page.get_by_text("Your password has been changed. Sign in with your new password.").wait_for()
    sign_in(page, officer, NEW)


def test_change_password_journey(page, db):
    resident = factories.user(role="resident")
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(resident.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Change your password").click()
    page.get_by_label("Current password").fill("not my password at all")
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("Confirm new password").fill(NEW)
    page.get_by_role("button", name="Change password").click()
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page, "change password with errors")
    page.get_by_label("Current password").fill(factories.PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("Confirm new password").fill(NEW)
    page.get_by_role("button", name="Change password").click()
    page.get_by_text("Your password has been changed.").wait_for()
    assert_accessible(page, "account after change")
