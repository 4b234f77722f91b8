"""The shared layout and sign-in pages in a real browser, checked with axe-core."""
from tests.browser.conftest import assert_accessible
from tests import factories
from tests.conftest import PASSWORD


def test_home_and_sign_in_are_accessible_and_sign_in_works(page, db):
    officer = factories.user(role="officer")
    page.goto("/")
    assert_accessible(page, "home")
    # On a phone the service navigation sits behind the "Menu" button.
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_role("button", name="Sign in").click()
    # Empty form: error summary with links to the fields, errors beside the fields.
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Enter your email address" in summary.inner_text()
    assert_accessible(page, "sign-in with errors")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Staff home").wait_for()
    assert_accessible(page, "staff home")
