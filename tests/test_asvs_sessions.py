"""ASVS 3.3.4: people see their signed-in devices and, typing their password again, sign one or
every other out. The browser in use stays signed in; nobody can end someone else's session."""
from app.accounts.models import UserSession
from app.audit.models import AuditEvent
from tests import factories
from tests.conftest import PASSWORD, login


def _signed_in(app, user, count):
    browsers = [app.test_client() for _ in range(count)]
    for browser in browsers:
        login(browser, user)
    return browsers


def _works(browser):
    return browser.get("/account").status_code == 200


def _live_ids(user):
    return sorted(row.id for row in UserSession.query.filter_by(user_id=user.id, ended_at=None))


def test_the_page_lists_each_live_session_and_marks_this_one(app, db):
    person = factories.user(role="resident")
    laptop, phone, tablet = _signed_in(app, person, 3)
    login(tablet, person)  # signing in again ends the tablet's earlier session: not listed
    page = laptop.get("/account/devices")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert text.count('class="govuk-table__row"') == 1 + 3  # header + three live sessions
    assert text.count("This device") == 1
    assert "See your signed-in devices" in laptop.get("/account").get_data(as_text=True)


def test_every_other_device_is_signed_out_after_the_password(app, db):
    person = factories.user(role="resident")
    laptop, phone, tablet = _signed_in(app, person, 3)
    wrong = laptop.post("/account/devices", data={"end": "others", "current": "not my password"})
    assert wrong.status_code == 200 and "Your password is not correct" in wrong.get_data(as_text=True)
    assert _works(phone) and _works(tablet)
    missing = laptop.post("/account/devices", data={"end": "others"})
    assert "Enter your password" in missing.get_data(as_text=True) and _works(phone)

    done = laptop.post("/account/devices", data={"end": "others", "current": PASSWORD})
    assert done.status_code == 302
    assert not _works(phone) and not _works(tablet)
    assert _works(laptop)
    events = AuditEvent.query.filter_by(event="sign_out.other_devices").order_by(AuditEvent.id).all()
    assert [e.outcome for e in events] == ["failure", "success"] and events[-1].detail["sessions"] == 2


def test_one_device_is_signed_out_and_the_others_stay(app, db):
    person = factories.user(role="resident")
    laptop, phone, tablet = _signed_in(app, person, 3)
    before = _live_ids(person)
    phone_id = before[1]  # the sessions began laptop, phone, tablet
    assert laptop.post("/account/devices", data={"end": str(phone_id), "current": PASSWORD}).status_code == 302
    assert not _works(phone) and _works(tablet) and _works(laptop)
    assert _live_ids(person) == [before[0], before[2]]


def test_nobody_ends_someone_elses_session_or_their_own_by_this_page(app, db):
    mine, theirs = factories.user(role="resident"), factories.user(role="resident")
    (laptop,) = _signed_in(app, mine, 1)
    (victim,) = _signed_in(app, theirs, 1)
    for which in (str(_live_ids(theirs)[0]), str(_live_ids(mine)[0]), "999999", "junk"):
        response = laptop.post("/account/devices", data={"end": which, "current": PASSWORD})
        assert response.status_code == 200 and "already signed out" in response.get_data(as_text=True), which
    assert _works(victim) and _works(laptop)


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    assert client.get("/account/devices").status_code == 302
    assert client.post("/account/devices", data={"end": "others", "current": PASSWORD}).status_code == 302


def test_a_stolen_session_cannot_guess_the_password_for_ever(app, db):
    """Password checks here are throttled like sign-in's."""
    person = factories.user(role="resident")
    (thief, owner) = _signed_in(app, person, 2)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        thief.post("/account/devices", data={"end": "others", "current": "guess"})
    refused = thief.post("/account/devices", data={"end": "others", "current": PASSWORD})
    assert "Too many attempts" in refused.get_data(as_text=True)
    assert _works(owner)
