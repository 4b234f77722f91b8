"""Browser journey: join the panel (mistakes, then success, texts chosen), confirm from the email."""

from tests.browser.conftest import assert_accessible, sign_in


def test_join_the_panel_with_one_mistake_then_confirm(live_notify, page, app):
    from app.extensions import db
    from app.wards.models import Postcode
    from tests import factories
    ward = factories.ward("Hollybush")
    db.session.add(Postcode(postcode="NB1 2AB", ward_id=ward.id))
    db.session.commit()

    page.goto("/panel/join")
    assert_accessible(page, "join page")
    page.fill("#name", "Grace Hopper")
    page.fill("#email", "grace@example.org")
    page.fill("#address_line", "1 High Street")
    page.fill("#postcode", "NB1 2AB")
    page.check("#age_band-2")
    assert not page.locator("#mobile").is_visible()  # revealed only under "Text message"
    page.check("#contact_method-3")  # text message (offered: Notify is set up), but no mobile given
    assert page.locator("#mobile").is_visible()
    page.check("#equality_consent")
    page.check("#tenure-6")  # private rent (6th option)
    page.click("button:has-text('Join the panel')")  # and forgot to tick the consent box
    page.locator(".govuk-error-summary").wait_for()  # waits for the page after the click
    assert "Tick the box to agree to join the panel" in page.content()
    assert "Enter a UK mobile number so we can text you" in page.locator("#mobile-error").inner_text()
    assert page.locator("#mobile").is_visible()  # the chosen radio's box stays revealed beside its error
    assert page.input_value("#name") == "Grace Hopper"
    assert_accessible(page, "join page with errors")

    page.fill("#mobile", "01632 960 001")  # a landline: can't take texts
    page.click("button:has-text('Join the panel')")
    page.locator("#mobile-error").wait_for()
    assert "Enter a UK mobile number, starting 07" in page.locator("#mobile-error").inner_text()
    assert page.input_value("#mobile") == "01632 960 001"

    page.fill("#mobile", "07911 123 456")
    page.check("#panel_consent")
    page.click("button:has-text('Join the panel')")
    page.wait_for_url("**/check-your-email")
    assert_accessible(page, "check your email")

    # The live server's emails stay in its own app object: build the same signed link here.
    from app.panel.membership import CONFIRM_PURPOSE, member_token
    from app.panel.models import PanelMember
    db.session.expire_all()
    person = PanelMember.query.filter_by(email="grace@example.org").one()
    assert person.status == "unconfirmed" and person.tenure == "private_rent" and person.contact_method == "text"
    assert person.mobile == "+447911123456"
    page.goto("/panel/confirm/" + member_token(CONFIRM_PURPOSE, person))
    assert_accessible(page, "confirm page")
    page.click("button:has-text('Confirm and join')")
    page.get_by_text("You're on the Citizens' Panel").first.wait_for()  # the page after the click
    assert_accessible(page, "confirmed")
    page.goto("/panel/confirm/" + member_token(CONFIRM_PURPOSE, person))  # the link works once
    page.get_by_role("heading", name="You have already confirmed").wait_for()
    assert_accessible(page, "already confirmed")


def test_draw_status_page_reloads_itself_and_is_accessible(page, db):
    """A queued draw's page (the worker hasn't picked it up) passes axe and reloads itself with
    its script, showing the group once the job has run."""
    from app.panel import draws
    from tests import factories
    from tests.panel.conftest import member

    officer = factories.user(role="officer")
    for i in range(8):
        member(age_band="18_24" if i % 2 else "65_74")
    draw = draws.create_draw("Summer jury", 4, {}, 3, True, officer)
    db.session.commit()  # plain commit: the job is not started, so it stays queued
    sign_in(page, officer)

    page.goto(f"/staff/panel/draws/{draw.id}")
    page.get_by_role("heading", name="Drawing the group for Summer jury").wait_for()
    assert_accessible(page, "draw status")
    draws.run_draw(draw.id)
    # No click: the page's own script reloads it and the finished draw appears.
    page.get_by_role("heading", name="Summer jury", exact=True).wait_for(timeout=15000)
    assert "People drawn" in page.content()
    assert_accessible(page, "finished draw")


def test_officer_pages_with_errors_and_previews_are_accessible(page, db, tmp_path):
    """The census upload's single error summary, the mail-out preview and a staff reply error."""
    from app.common.transaction import commit
    from app.panel import draws
    from tests import factories
    from tests.panel.conftest import member

    officer = factories.user(role="officer")
    factories.consultation(status="open", title="Parks plan")
    for i in range(8):
        member(age_band="18_24" if i % 2 else "65_74", contact_method="text" if i == 0 else "email")
    draw = draws.create_draw("Summer jury", 4, {}, 3, True, officer)
    commit()
    sign_in(page, officer)

    bad = tmp_path / "census.csv"
    bad.write_text("characteristic,group,count\nsex,martian,5\n")
    page.goto("/staff/panel/census")
    page.set_input_files("#csv_file", str(bad))
    page.click("button:has-text('Upload and replace')")
    page.locator(".govuk-error-summary").wait_for()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page, "census upload with problems")

    page.goto("/staff/panel/invite")
    page.select_option("#consultation", label="Parks plan")
    page.click("button:has-text('Check who will be emailed')")
    page.get_by_role("heading", name="Check before you send").wait_for()
    assert "fewer than 10 member(s) who match will not be emailed" in page.content()
    assert_accessible(page, "mail-out preview")

    first = draw.selections[0]
    page.goto(f"/staff/panel/draws/{draw.id}")
    page.evaluate(f"document.querySelector('#reply-{first.id} option').value = 'bogus'")
    page.select_option(f"#reply-{first.id}", index=0)
    page.locator(f"#selection-{first.id} button").click()
    page.locator(".govuk-error-summary").wait_for()
    assert page.locator(f"#reply-{first.id}-error").is_visible()
    assert_accessible(page, "draw with a reply error")
