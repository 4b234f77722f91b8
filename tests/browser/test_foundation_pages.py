"""The shared layout and sign-in pages in a real browser, checked with axe-core."""
from tests.browser.conftest import assert_accessible, sign_in
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
    # Sign out is a button in the header (a POST with its CSRF token) that looks like a link.
    if menu.is_visible() and page.get_by_role("button", name="Sign out").is_hidden():
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You have signed out.").wait_for()
    assert_accessible(page, "home after signing out")
    page.goto("/staff/")
    page.get_by_role("heading", name="Sign in").wait_for()


def test_sign_out_link_from_elsewhere_only_asks(page, db):
    officer = factories.user(role="officer")
    sign_in(page, officer)
    page.goto("/sign-out")
    page.get_by_role("heading", name="Sign out").wait_for()
    assert_accessible(page, "sign-out confirmation")
    page.goto("/staff/")
    page.get_by_role("heading", name="Staff home").wait_for()  # still signed in
