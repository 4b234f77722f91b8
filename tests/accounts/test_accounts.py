import re

from app.accounts.models import StaffInvite, User
from tests import factories
from tests.conftest import PASSWORD, login


def test_staff_sign_in_and_out(client, officer):
    response = login(client, officer)
    assert response.headers["Location"].endswith("/staff/")
    assert client.get("/staff/").status_code == 200
    client.post("/sign-out")
    assert client.get("/staff/").status_code == 302


def test_sign_out_by_get_only_asks(client, officer):
    """A link or image on another site cannot sign anyone out: GET shows a button, POST signs out."""
    login(client, officer)
    page = client.get("/sign-out").get_data(as_text=True)
    assert "You are signed in as" in page and 'method="post"' in page
    assert client.get("/staff/").status_code == 200
    home = client.get("/").get_data(as_text=True)
    assert '<button type="submit" class="govuk-service-navigation__link app-link-button">Sign out</button>' in home
    assert 'href="/sign-out"' not in home
    assert client.post("/sign-out").status_code == 302
    assert client.get("/staff/").status_code == 302


def test_sign_out_page_when_signed_out_goes_home(client, db):
    response = client.get("/sign-out")
    assert response.status_code == 302 and response.headers["Location"].endswith("/")


def test_wrong_password_shows_error_and_keeps_email(client, officer):
    response = client.post("/sign-in", data={"email": officer.email, "password": "wrong password!"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page and "Enter a correct email address and password" in page
    assert f'value="{officer.email}"' in page


def test_unknown_email_gets_the_same_message(client):
    page = client.post("/sign-in", data={"email": "nobody@example.org", "password": "x" * 12}).get_data(as_text=True)
    assert "Enter a correct email address and password" in page


def test_repeated_failures_make_the_next_attempt_wait(app, client, officer, db):
    """Was a 15-minute hard lock; now a growing delay (tests/accounts/test_throttle.py has the rest)."""
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/sign-in", data={"email": officer.email, "password": "wrong password!"})
    page = client.post("/sign-in", data={"email": officer.email, "password": PASSWORD}).get_data(as_text=True)
    assert "Too many attempts to sign in. Wait 2 seconds, then try again" in page


def test_session_is_renewed_at_login(client, officer):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, officer)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_unsafe_next_is_ignored(client, officer):
    response = client.post("/sign-in?next=//evil.example/", data={"email": officer.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/staff/")


def test_admin_invites_staff_by_real_smtp(admin_client, smtp_server, db):
    response = admin_client.post("/staff/admin/users/invite", data={
        "name": "New Officer", "email": "New.Officer@Example.org", "role": "officer", "title": ""})
    assert response.status_code == 302
    assert len(smtp_server) == 1
    body = smtp_server[0].get_payload(decode=True).decode() if not smtp_server[0].is_multipart() \
        else smtp_server[0].get_payload()[0].get_payload(decode=True).decode()
    token = re.search(r"/invitation/([\w-]+)", body).group(1)
    user = User.query.filter_by(email="new.officer@example.org").one()
    assert user.password_hash is None

    admin_client.post("/sign-out")
    short = admin_client.post(f"/invitation/{token}", data={"password": "short", "confirm": "short"})
    assert "12 characters or more" in short.get_data(as_text=True)
    ok = admin_client.post(f"/invitation/{token}", data={"password": "a long new password", "confirm": "a long new password"})
    assert ok.status_code == 302
    # One-time: the same link no longer works.
    assert admin_client.get(f"/invitation/{token}").status_code == 404
    assert StaffInvite.query.one().used_at is not None


def test_invite_validation_errors_keep_input(admin_client):
    page = admin_client.post("/staff/admin/users/invite", data={"name": "Someone", "email": "not-an-email"}).get_data(as_text=True)
    assert "Enter an email address in the correct format" in page
    assert "Select a role" in page
    assert 'value="Someone"' in page


def test_admin_changes_role_and_deactivates(admin_client, db):
    other = factories.user(role="officer")
    admin_client.post(f"/staff/admin/users/{other.id}", data={"role-role": "councillor"})
    assert db.session.get(User, other.id).role == "councillor"
    admin_client.post(f"/staff/admin/users/{other.id}", data={"active-submit": "1"})
    assert db.session.get(User, other.id).active is False


def test_deactivated_user_is_signed_out_everywhere(app, client, officer, admin, db):
    login(client, officer)
    assert client.get("/staff/").status_code == 200
    officer = db.session.get(User, officer.id)
    officer.deactivate()
    db.session.commit()
    assert client.get("/staff/").status_code == 302


def test_admin_cannot_deactivate_self(admin_client, admin):
    page = admin_client.post(f"/staff/admin/users/{admin.id}", data={"active-submit": "1"}).get_data(as_text=True)
    assert "You cannot deactivate your own account" in page


def test_resident_can_create_an_account(client, db, sent_emails):
    """The account works once the emailed link confirms the address (see test_registration.py)."""
    response = client.post("/create-account", data={"name": "Ayo", "email": "ayo@example.org",
                                                     "password": "twelve chars ok", "confirm": "twelve chars ok"})
    assert response.status_code == 302  # to "check your email": a refresh never sends the form again
    assert "Check your email" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert User.query.filter_by(email="ayo@example.org").one().role == "resident"
    link = re.search(r"http://localhost(/create-account/confirm/\S+)", sent_emails[-1].get_content()).group(1)
    assert client.get(link).status_code == 302
    assert client.get("/account").status_code == 200
    assert client.get("/staff/").status_code == 403


def test_one_machine_cannot_create_accounts_without_end(limited_app, db):
    """Issue 14, finding 4: account registration creates rows; it is now limited per client
    address per hour (configurable; 3 here), counting only accounts actually created."""
    app = limited_app(ABUSE_LIMITS={"account_registration_client": "3 per hour"})
    client = app.test_client()

    def register(n, password="twelve chars ok"):
        client.post("/sign-out")
        return client.post("/create-account", data={"name": "Ayo", "email": f"ayo{n}@example.org",
                                                    "password": password, "confirm": password}).status_code

    assert register(0, password="short") == 200  # a mistake does not use up the limit
    assert [register(n) for n in range(1, 5)] == [302, 302, 302, 429]
    assert User.query.filter(User.email.like("ayo%")).count() == 3
