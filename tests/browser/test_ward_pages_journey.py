"""A resident browses from the home page to their ward's page; the ward's councillor posts an
update on it (with a mistake first), and it appears, escaped, newest first."""
from playwright.sync_api import expect

from app.extensions import db as _db
from app.wards.models import Partner, Postcode, WardUpdate
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in
from tests.surgeries.conftest import make_surgery


def test_resident_browses_to_a_ward_and_councillor_posts_an_update(page, db):
    hollybush = factories.ward(name="Hollybush")
    riverside = factories.ward(name="Riverside")
    helen = factories.user(role="councillor", ward=hollybush, name="Helen Marsh", title="Cabinet Member for Children")
    make_surgery(helen, hollybush, days_ahead=6)
    factories.consultation(title="Hollybush play areas", borough_wide=False, wards=[hollybush])
    factories.consultation(title="Borough budget", borough_wide=True)
    _db.session.add_all([Postcode(postcode="NB2 3QS", ward_id=hollybush.id),
                         Partner(name="Friends of Hollybush Park", description="Volunteers for the park.",
                                 website="https://friends.example.org", wards=[hollybush])])
    _db.session.commit()

    # The resident: home page -> ward index -> postcode -> their ward's page.
    page.goto("/")
    page.get_by_role("link", name="Find your ward's page").click()
    expect(page.get_by_role("heading", name="Your ward", level=1)).to_be_visible()
    assert_accessible(page, "ward index")
    page.get_by_role("button", name="Find ward").click()  # nothing typed
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a postcode")
    assert_accessible(page, "ward index with an error")
    page.get_by_label("Find your ward by postcode").fill("nb2 3qs")
    page.get_by_role("button", name="Find ward").click()
    expect(page.get_by_role("heading", name="Hollybush", level=1)).to_be_visible()
    expect(page.get_by_text("Councillor Helen Marsh")).to_be_visible()
    expect(page.get_by_role("link", name="Hollybush play areas")).to_be_visible()
    expect(page.get_by_role("heading", name="Friends of Hollybush Park")).to_be_visible()
    expect(page.get_by_text("There are no updates for Hollybush yet")).to_be_visible()
    expect(page.get_by_role("link", name="Post an update")).to_have_count(0)
    assert_accessible(page, "ward page")
    page.get_by_role("link", name="All wards").click()
    page.get_by_role("link", name="Riverside").click()
    expect(page.get_by_role("heading", name="Riverside", level=1)).to_be_visible()

    # The councillor: staff home -> ward updates -> post, with an error first.
    sign_in(page, helen)
    page.get_by_role("link", name="Ward updates").click()
    assert_accessible(page, "ward updates index")
    page.get_by_role("link", name="Post an update for Hollybush").click()
    page.get_by_label("Title").fill("Park toilets <b>reopen</b>")
    page.get_by_role("button", name="Post update").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the update")
    expect(page.get_by_label("Title")).to_have_value("Park toilets <b>reopen</b>")
    assert_accessible(page, "update form with an error")
    page.get_by_label("Update", exact=True).fill("Open 8am to 6pm.\n\nAccessible toilet included.")
    page.get_by_label("Link for more information (optional)").fill("https://www.northbrook.example/parks")
    page.get_by_role("button", name="Post update").click()

    expect(page.get_by_text("Your update is on the ward page.")).to_be_visible()
    expect(page.get_by_role("heading", name="Park toilets <b>reopen</b>")).to_be_visible()
    expect(page.get_by_text("Accessible toilet included.")).to_be_visible()
    expect(page.get_by_role("link", name="Post an update for Hollybush")).to_be_visible()
    assert_accessible(page, "ward page with an update")
    assert WardUpdate.query.one().author_id == helen.id

    # Not in someone else's ward.
    page.goto(f"/wards/{riverside.slug}")
    expect(page.get_by_role("heading", name="Riverside", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Post an update")).to_have_count(0)


def test_admin_lists_a_partner_for_two_wards(page, db):
    hollybush, riverside = factories.ward(name="Hollybush"), factories.ward(name="Riverside")
    sign_in(page, factories.user(role="admin"))
    page.get_by_role("link", name="Partner organisations").click()
    assert_accessible(page, "partners list")
    page.get_by_role("link", name="Add a partner").click()
    page.get_by_label("Organisation name").fill("Riverside Community Trust")
    page.get_by_label("Website (optional)").fill("riversidetrust")
    page.get_by_role("button", name="Save partner").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Say what the organisation does")
    expect(summary).to_contain_text("Enter the website starting with https://")
    expect(summary).to_contain_text("Select at least one ward")
    expect(page.get_by_label("Organisation name")).to_have_value("Riverside Community Trust")
    assert_accessible(page, "partner form with errors")
    page.get_by_label("What they do").fill("Runs the Riverside Hub.")
    page.get_by_label("Website (optional)").fill("https://riversidetrust.example.org")
    page.get_by_label("Hollybush").check()
    page.get_by_label("Riverside").check()
    page.get_by_role("button", name="Save partner").click()
    expect(page.get_by_text("Saved Riverside Community Trust.")).to_be_visible()
    for ward in (hollybush, riverside):
        page.goto(f"/wards/{ward.slug}")
        expect(page.get_by_role("heading", name="Riverside Community Trust")).to_be_visible()
