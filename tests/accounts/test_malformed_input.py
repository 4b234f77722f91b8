"""Malformed and oversized input to every accounts form: never a 500, never half-saved.

Each case is either refused outright (400/404) or shown again with a GOV.UK error (200).
"""
import pytest

from app.accounts.models import StaffInvite, User
from tests import factories
from tests.conftest import PASSWORD

HUGE = "x" * 20_000
LONG_EMAIL = "a" * 300 + "@example.org"
ODD = ["İstanbul ☃ \u202e", "'; DROP TABLE users; --", "<script>alert(1)</script>", " ", "\t\n", "a\x00b"]

SIGN_IN = [
    {"email": LONG_EMAIL, "password": PASSWORD},
    {"email": HUGE, "password": HUGE},
    {"email": "officer@example.org", "password": HUGE},
    {"email": "", "password": ""},
    {},
] + [{"email": odd, "password": odd} for odd in ODD]

REGISTER = [
    {"name": HUGE, "email": "r@example.org", "password": PASSWORD, "confirm": PASSWORD},
    {"name": "R", "email": LONG_EMAIL, "password": PASSWORD, "confirm": PASSWORD},
    {"name": "R", "email": HUGE, "password": PASSWORD, "confirm": PASSWORD},
    {"name": "R", "email": "r@example.org", "password": HUGE, "confirm": HUGE},
    {"name": "R", "email": "r@example.org", "password": PASSWORD, "confirm": "different " * 5},
    {"name": "R", "email": "not an email", "password": "short", "confirm": "short"},
    {},
] + [{"name": odd, "email": odd, "password": odd * 3, "confirm": odd * 3} for odd in ODD]

INVITE = [
    {"name": HUGE, "email": "n@example.org", "role": "officer"},
    {"name": "N", "email": LONG_EMAIL, "role": "officer"},
    {"name": "N", "email": HUGE, "role": "officer"},
    {"name": "N", "email": "n@example.org", "role": "officer", "title": HUGE},
    {"name": "N", "email": "n@example.org", "role": "superuser"},
    {"name": "N", "email": "n@example.org", "role": "resident"},
    {"name": "N", "email": "n@example.org", "role": HUGE},
    {},
] + [{"name": odd, "email": odd, "role": odd, "title": odd} for odd in ODD]

STAFF_USER = [
    {"role-role": "superuser"},
    {"role-role": "resident"},
    {"role-role": ""},
    {"role-role": HUGE},
    {"role-role": ["superuser", "officer"]},
    {"something": "else"},
    {},
] + [{"role-role": odd} for odd in ODD]


def _never_500(response):
    assert response.status_code in (200, 302, 400, 404), response.status_code
    if response.status_code == 200:
        page = response.get_data(as_text=True)
        assert "There is a problem" in page
        assert "\x00" not in page


@pytest.mark.parametrize("data", SIGN_IN)
def test_sign_in(client, officer, data):
    response = client.post("/sign-in", data=data)
    _never_500(response)
    assert response.status_code != 302


@pytest.mark.parametrize("data", REGISTER)
def test_create_account(client, db, data):
    response = client.post("/create-account", data=data)
    _never_500(response)
    assert response.status_code != 302
    assert User.query.count() == 0


@pytest.mark.parametrize("data", INVITE)
def test_staff_invite(admin_client, db, data):
    response = admin_client.post("/staff/admin/users/invite", data=data)
    _never_500(response)
    assert response.status_code != 302
    assert User.query.count() == 1 and StaffInvite.query.count() == 0


@pytest.mark.parametrize("data", STAFF_USER)
def test_change_role_and_deactivate(admin_client, db, data):
    other = factories.user(role="officer")
    response = admin_client.post(f"/staff/admin/users/{other.id}", data=data)
    _never_500(response)
    db.session.expire_all()
    other = db.session.get(User, other.id)
    assert other.role == "officer" and other.active


@pytest.mark.parametrize("url, data", [
    ("/sign-in", {"email": ["a@example.org", "b@example.org"], "password": [PASSWORD, "x"]}),
    ("/create-account", {"name": ["a", "b"], "email": ["r@example.org", "s@example.org"],
                         "password": PASSWORD, "confirm": PASSWORD}),
    ("/staff/admin/users/invite", {"name": ["N", "M"], "email": "n@example.org", "role": ["officer", "superuser"]}),
])
def test_repeated_fields_use_the_first_value(admin_client, url, data):
    """A field sent twice is read once (WTForms takes the first); that is never a 500."""
    assert admin_client.post(url, data=data).status_code in (200, 302)


def test_deactivate_button_with_junk_values_still_only_toggles(admin_client, db):
    other = factories.user(role="officer")
    response = admin_client.post(f"/staff/admin/users/{other.id}",
                                 data={"active-submit": HUGE, "active-confirm": HUGE, "role-role": "superuser"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, other.id).role == "officer"
    assert db.session.get(User, other.id).active is False


@pytest.mark.parametrize("user_id", ["0", "99999999999999999999", "-1", "abc"])
def test_staff_user_with_odd_ids(admin_client, user_id):
    assert admin_client.post(f"/staff/admin/users/{user_id}", data={"role-role": "admin"}).status_code == 404


@pytest.fixture()
def invite_token(admin_client, sent_emails, db, app):
    import re

    admin_client.post("/staff/admin/users/invite", data={"name": "New", "email": "new@example.org", "role": "officer"})
    body = sent_emails[-1].get_content()
    admin_client.post("/sign-out")
    return re.search(r"/invitation/([\w-]+)", body).group(1)


@pytest.mark.parametrize("token", [HUGE, "..%2F..%2Fetc", "%00", "İ" * 50, "a" * 43])
def test_invitation_with_odd_tokens(client, db, token):
    for method in ("GET", "POST"):
        response = client.open(f"/invitation/{token}", method=method, data={"password": PASSWORD, "confirm": PASSWORD})
        assert response.status_code == 404, (method, response.status_code)


@pytest.mark.parametrize("data", [
    {"password": HUGE, "confirm": HUGE},
    {"password": "short", "confirm": "short"},
    {"password": PASSWORD, "confirm": "something else entirely"},
    {},
] + [{"password": odd * 12, "confirm": odd} for odd in ODD])
def test_invitation_password(client, invite_token, db, data):
    response = client.post(f"/invitation/{invite_token}", data=data)
    _never_500(response)
    assert response.status_code == 200
    assert StaffInvite.query.one().used_at is None
