"""A community group registers to host a conversation, is approved, opens its kit and sends the
record of what was said (a fake photo is refused beside the field first); an officer accepts it.
Every page passes axe-core."""
from datetime import date, timedelta

from playwright.sync_api import expect

from app.common.transaction import commit
from app.conversations import services
from app.conversations.models import ConversationHost, ConversationRecord
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in
from tests.conversations.helpers import FAKE_JPEG


def test_host_registers_is_approved_and_sends_a_record(page, db):
    officer = factories.user(role="officer")
    consultation = factories.consultation(status="open", title="Parks for everyone")

    page.goto("/conversations/host")
    assert_accessible(page, "host registration")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your name")
    assert_accessible(page, "registration errors")
    page.get_by_label("Your name").fill("Grace Okafor")
    page.get_by_label("Name of your group or organisation").fill("Millbrook Tenants")
    page.get_by_label("Tenants' or residents' association").check()
    page.get_by_label("Email address").fill("grace@example.org")
    page.get_by_label("What will your group talk about?").select_option(label="Consultation: Parks for everyone")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()

    host = ConversationHost.query.one()
    services.decide_host(host, officer, "approve")
    commit()
    page.goto(f"/conversations/host/{services.host_token(host)}")
    assert_accessible(page, "host home")
    page.get_by_role("link", name="Open your conversation kit").click()
    expect(page.get_by_role("heading", name="2. Privacy notice to read out")).to_be_visible()
    assert_accessible(page, "kit")
    page.go_back()

    page.get_by_role("link", name="Tell us what was said").click()
    held = date.today() - timedelta(days=1)
    page.locator("#held_on-day").fill(str(held.day))
    page.locator("#held_on-month").fill(str(held.month))
    page.locator("#held_on-year").fill(str(held.year))
    page.get_by_label("Where it took place").fill("Millbrook community room")
    page.get_by_label("How many people took part?").fill("14")
    page.get_by_label("Aged 65 to 74").fill("4")
    page.get_by_label("What the group said about question 4").fill("Open the toilets all year and fix the lights")
    page.get_by_label("Each person's own words about question 4 (optional)").fill("More benches\n\nLights by the pond")
    page.get_by_label("Photos of the flipcharts (optional)").set_input_files(
        {"name": "flipchart.jpg", "mimeType": "image/jpeg", "buffer": FAKE_JPEG})
    page.get_by_label("The group agreed to share these photos").check()
    page.get_by_role("button", name="Send to the council").click()
    expect(page.locator("#photos-error")).to_contain_text("flipchart.jpg must be a JPG or PNG photo")
    expect(page.get_by_label("Where it took place")).to_have_value("Millbrook community room")
    assert_accessible(page, "record with a refused photo")
    assert ConversationRecord.query.count() == 0

    page.get_by_role("button", name="Send to the council").click()  # the file input is empty again
    expect(page.get_by_role("heading", name=f"Your record of the conversation on {held:%-d %B %Y}")).to_be_visible()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your record has been sent")
    assert_accessible(page, "host's record")
    record = ConversationRecord.query.one()
    assert record.participants == 14 and len(record.entries) == 3

    page.context.clear_cookies()
    sign_in(page, officer)
    page.goto("/staff/conversations")
    assert_accessible(page, "staff list")
    page.get_by_role("link", name=f"{held:%-d %B %Y}, Millbrook community room").click()
    assert_accessible(page, "staff record")
    page.get_by_label("Accept: its comments join the consultation's results").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Record accepted")
    page.goto(f"/staff/consultations/{consultation.id}/results")
    expect(page.locator("body")).to_contain_text("14 people took part through 1 group conversation")
