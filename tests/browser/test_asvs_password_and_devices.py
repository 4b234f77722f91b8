"""ASVS 2.1.12 (see what you typed in a password field) and 3.3.4 (your signed-in devices) in a
real browser, checked with axe-core."""
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD


def _sign_in_resident(page, person):
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your account").wait_for()


def test_the_show_button_reveals_and_hides_the_password(page, db):
    page.goto("/sign-in")
    field = page.get_by_label("Password")
    field.fill("a secret phrase")
    assert field.get_attribute("type") == "password"
    page.get_by_role("button", name="Show what you typed").click()
    assert field.get_attribute("type") == "text"
    assert_accessible(page, "password shown")
    page.get_by_role("button", name="Hide what you typed").click()
    assert field.get_attribute("type") == "password"


def test_signing_another_device_out(page, browser, live_server, db):
    person = factories.user(role="resident")
    phone = browser.new_context(base_url=live_server).new_page()
    _sign_in_resident(phone, person)
    _sign_in_resident(page, person)
    page.get_by_role("link", name="See your signed-in devices").click()
    page.get_by_role("heading", name="Your signed-in devices").wait_for()
    assert page.get_by_text("This device").count() == 1
    assert_accessible(page, "devices")
    page.get_by_role("button", name="Sign out").click()  # no password typed
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page, "devices, password missing")
    page.get_by_label("Every other device").check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("1 other device signed out.").wait_for()
    phone.goto("/account")
    phone.get_by_role("heading", name="Sign in").wait_for()
    phone.context.close()
