"""Finding 2 (sessions): each session is a server-side record, ended by sign-out, password change
and deactivation, and by idle and absolute timeouts whatever the cookie says."""
import re
from datetime import timedelta

from sqlalchemy import text

from app.common.timeutil import utcnow
from tests import factories
from tests.conftest import PASSWORD, login


def _cookie(client):
    return client.get_cookie("session").value


def _replay(app, cookie):
    """A second browser holding a copy of the cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def _age_sessions(db, **ages):
    sets = ", ".join(f"{column} = :{column}" for column in ages)
    db.session.execute(text(f"UPDATE user_sessions SET {sets}"), {k: utcnow() - v for k, v in ages.items()})
    db.session.commit()


def _browser(base):
    import requests

    browser = requests.Session()
    browser.base = base
    return browser


def _csrf(browser, path):
    page = browser.get(browser.base + path, timeout=30).text
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_a_cookie_copied_before_sign_out_no_longer_works(live_server, officer):
    """Over real HTTP: the copy is replayed from another browser after the owner signs out."""
    email = officer.email
    owner = _browser(live_server)
    owner.post(live_server + "/sign-in", data={"csrf_token": _csrf(owner, "/sign-in"), "email": email,
                                               "password": PASSWORD}, timeout=30)
    copied = owner.cookies.get("session")
    thief = _browser(live_server)
    thief.cookies.set("session", copied)
    assert thief.get(live_server + "/staff/", allow_redirects=False, timeout=30).status_code == 200
    owner.post(live_server + "/sign-out", data={"csrf_token": _csrf(owner, "/sign-out")}, timeout=30)
    assert thief.get(live_server + "/staff/", allow_redirects=False, timeout=30).status_code == 302


def test_sign_out_ends_only_that_session(app, officer):
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, officer)
    login(phone, officer)
    laptop.post("/sign-out")
    assert phone.get("/staff/").status_code == 200


def test_staff_idle_timeout(client, officer, db):
    login(client, officer)
    _age_sessions(db, last_seen_at=timedelta(minutes=29))
    assert client.get("/staff/").status_code == 200  # and that use counts as activity
    _age_sessions(db, last_seen_at=timedelta(minutes=31))
    response = client.get("/staff/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_staff_absolute_timeout_even_when_active(client, officer, db):
    login(client, officer)
    _age_sessions(db, created_at=timedelta(hours=11, minutes=50))
    assert client.get("/staff/").status_code == 200
    _age_sessions(db, created_at=timedelta(hours=12, minutes=1), last_seen_at=timedelta(minutes=1))
    assert client.get("/staff/").status_code == 302


def test_a_month_old_staff_cookie_does_not_work(client, officer, db):
    login(client, officer)
    _age_sessions(db, created_at=timedelta(days=30), last_seen_at=timedelta(days=30))
    assert client.get("/staff/").status_code == 302


def test_residents_stay_signed_in_for_seven_days(client, db):
    resident = factories.user(role="resident")
    login(client, resident)
    _age_sessions(db, created_at=timedelta(days=6), last_seen_at=timedelta(days=6))
    assert client.get("/account").status_code == 200
    _age_sessions(db, created_at=timedelta(days=7, minutes=1), last_seen_at=timedelta(minutes=1))
    assert client.get("/account").status_code == 302


def test_timeouts_are_settings(client, officer, db, app):
    old = app.config["STAFF_SESSION_IDLE_MINUTES"]
    app.config["STAFF_SESSION_IDLE_MINUTES"] = 5
    try:
        login(client, officer)
        _age_sessions(db, last_seen_at=timedelta(minutes=6))
        assert client.get("/staff/").status_code == 302
    finally:
        app.config["STAFF_SESSION_IDLE_MINUTES"] = old


def test_activity_is_noted(client, officer, db):
    login(client, officer)
    _age_sessions(db, last_seen_at=timedelta(minutes=20))
    client.get("/staff/")
    from app.accounts.models import UserSession

    db.session.expire_all()
    seen = UserSession.query.one().last_seen_at
    assert utcnow() - seen < timedelta(minutes=1)


def test_password_change_ends_every_other_session(app, officer):
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, officer)
    login(phone, officer)
    response = laptop.post("/account/password", data={
        "current": PASSWORD, "password": "lantern orbit meadow quarry", "confirm": "lantern orbit meadow quarry"})
    assert response.status_code == 302
    assert phone.get("/staff/").status_code == 302
    assert laptop.get("/staff/").status_code == 200  # the browser that changed it stays signed in


def test_deactivation_ends_a_copied_cookie_too(app, admin_client, db):
    officer = factories.user(role="officer")
    victim = app.test_client()
    login(victim, officer)
    copied = _cookie(victim)
    admin_client.post(f"/staff/admin/users/{officer.id}", data={"active-submit": "1"})
    assert _replay(app, copied).get("/staff/").status_code == 302


def test_a_forged_session_for_a_real_user_id_is_refused(client, officer):
    """The cookie names a session by its secret: knowing the user's id is not enough."""
    with client.session_transaction() as session:
        session["_user_id"] = f"{officer.id}:1"
        session["_fresh"] = True
    assert client.get("/staff/").status_code == 302


def test_dead_sessions_and_stale_counts_are_purged(app, client, officer, db):
    from app.accounts.models import UserSession
    from app.accounts.throttle import LoginThrottle

    login(client, officer)
    client.post("/sign-out")
    login(client, officer)  # still live: kept
    client.post("/sign-in", data={"email": "nobody@example.org", "password": "wrong password!"})
    db.session.execute(text("UPDATE login_throttles SET last_attempt_at = :t"), {"t": utcnow() - timedelta(days=2)})
    db.session.commit()
    counts = LoginThrottle.query.count()  # the account, this browser as a known device, the address, nobody
    runner = app.test_cli_runner()
    assert f"Removed 1 session(s) and {counts} sign-in count(s)." in runner.invoke(args=["accounts", "purge"]).output
    assert "Removed 0 session(s) and 0 sign-in count(s)." in runner.invoke(args=["accounts", "purge"]).output
    db.session.expire_all()
    assert UserSession.query.count() == 1 and LoginThrottle.query.count() == 0
    assert client.get("/staff/").status_code == 200


def test_signing_in_again_ends_the_browsers_earlier_session(app, client, officer):
    login(client, officer)
    copied = client.get_cookie("session").value
    login(client, officer)
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/staff/").status_code == 302
    assert client.get("/staff/").status_code == 200
