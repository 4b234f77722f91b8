"""Staff single sign-on (issue 14, "Staff sign-in"): OpenID Connect against a real provider that
the tests start (tests/oidc_provider.py; the flow is in tests/accounts/sso_flow.py). Linking,
refusals, the second factor, `next` and the admin's unlink. Protocol failures: test_sso_protocol.py.
"""
import re
from urllib.parse import urlsplit

import pytest

from app.accounts.models import User
from tests import factories
from tests.accounts.sso_flow import DOMAIN, events, refusal, signed_in_as_staff, sso_sign_in
from tests.accounts.sso_flow import provider, sso  # noqa: F401  (fixtures)


# --- Configuration and the button --------------------------------------------------------

def test_sso_is_off_without_an_issuer(client, app):
    assert app.config["OIDC_ISSUER"] is None
    page = client.get("/sign-in").get_data(as_text=True)
    assert "/sign-in/sso" not in page
    assert client.get("/sign-in/sso").status_code == 404
    assert client.get("/sign-in/sso/callback?code=x&state=y").status_code == 404


def test_sign_in_page_shows_the_configured_button_as_a_link(sso, client, app):
    app.config["OIDC_BUTTON_TEXT"] = "Sign in with your Northbrook account"
    page = client.get("/sign-in?next=/staff/").get_data(as_text=True)
    button = re.search(r'<a href="([^"]+)" role="button"[^>]*govuk-button--secondary[^>]*>\s*([^<]+)</a>', page)
    assert button and button.group(1) == "/sign-in/sso?next=/staff/", page
    assert button.group(2).strip() == "Sign in with your Northbrook account"


def test_production_refuses_to_start_half_configured(monkeypatch):
    from app import create_app
    from tests.conftest import Settings

    class Half(Settings):
        OIDC_ISSUER = "https://login.example/tenant/v2.0"
        OIDC_CLIENT_ID = "abc"
        OIDC_CLIENT_SECRET = "shh"
        OIDC_ALLOWED_EMAIL_DOMAINS = ()

    with pytest.raises(RuntimeError, match="OIDC_ALLOWED_EMAIL_DOMAINS"):
        create_app(Half)


# --- Signing in -----------------------------------------------------------------------------

def test_first_sign_in_links_by_verified_email_and_starts_a_staff_session(sso, client, db):
    officer = factories.user(role="officer", email=f"jo.bloggs@{DOMAIN}")
    claims = sso.add_user("jo", f"Jo.Bloggs@{DOMAIN}")
    response = sso_sign_in(client, sso, "jo")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/staff/"
    assert signed_in_as_staff(client)
    db.session.refresh(officer)
    assert (officer.oidc_issuer, officer.oidc_subject) == (sso.issuer, claims["sub"])
    assert officer.last_login_at is not None
    linked = events("account.sso_linked")
    assert len(linked) == 1 and linked[0].subject == f"user:{officer.id}"
    success = events("sign_in.success")
    assert success[-1].detail == {"method": "single sign-on"} and success[-1].actor_id == officer.id
    # The same server-side session as after a password: sign-out ends it for a copied cookie too.
    from app.accounts.models import UserSession
    assert UserSession.query.filter_by(user_id=officer.id, ended_at=None).count() == 1


def test_later_sign_ins_match_by_subject_even_after_the_email_changes(sso, client, db):
    officer = factories.user(role="officer", email=f"sam@{DOMAIN}")
    claims = sso.add_user("sam", f"sam@{DOMAIN}")
    sso_sign_in(client, sso, "sam")
    client.post("/sign-out")
    assert not signed_in_as_staff(client)
    claims["email"] = f"samantha@{DOMAIN}"  # renamed at the council; the subject stays
    response = sso_sign_in(client, sso, "sam")
    assert urlsplit(response.headers["Location"]).path == "/staff/" and signed_in_as_staff(client)
    assert len(events("account.sso_linked")) == 1
    db.session.refresh(officer)
    assert officer.email == f"sam@{DOMAIN}"  # SSO never rewrites our account


def test_a_second_identity_with_the_same_email_cannot_take_over_a_linked_account(sso, client):
    factories.user(role="officer", email=f"alex@{DOMAIN}")
    sso.add_user("alex", f"alex@{DOMAIN}")
    sso_sign_in(client, sso, "alex")
    client.post("/sign-out")
    sso.add_user("impostor", f"alex@{DOMAIN}")  # the address given to someone else later
    response = sso_sign_in(client, sso, "impostor")
    assert response.status_code == 403
    refusal(response, "account already linked to another identity")
    assert not signed_in_as_staff(client)


@pytest.mark.parametrize("case, reason", [
    ("unknown", "no staff account for this email"),
    ("unverified", "email address not verified by the provider"),
    ("verification_missing", "email address not verified by the provider"),
    ("other_domain", "email domain not allowed"),
    ("resident", "no staff account for this email"),
    ("no_email", "no email address in the ID token"),
])
def test_people_without_a_matching_staff_account_are_refused_clearly(sso, client, case, reason):
    if case == "unknown":
        sso.add_user("p", f"nobody@{DOMAIN}")
    elif case == "unverified":
        factories.user(role="officer", email=f"p@{DOMAIN}")
        sso.add_user("p", f"p@{DOMAIN}", email_verified=False)
    elif case == "verification_missing":
        factories.user(role="officer", email=f"p@{DOMAIN}")
        sso.add_user("p", f"p@{DOMAIN}", email_verified=None)
    elif case == "other_domain":
        factories.user(role="officer", email="p@gmail.example")
        sso.add_user("p", "p@gmail.example")
    elif case == "resident":
        factories.user(role="resident", email=f"p@{DOMAIN}")
        sso.add_user("p", f"p@{DOMAIN}")
    else:
        sso.add_user("p", None)
    response = sso_sign_in(client, sso, "p")
    assert response.status_code == 403
    page, row = refusal(response, reason)
    assert "ask an administrator to invite you" in page
    assert row.outcome == "refused"
    assert not signed_in_as_staff(client) and client.get("/account").status_code == 302
    assert User.query.count() == (0 if case in ("unknown", "no_email") else 1)  # never creates accounts


def test_an_invited_member_of_staff_can_use_sso_before_choosing_a_password(sso, client, db):
    """Councils on SSO need never set a password: the invitation made the account."""
    officer = User(email=f"new@{DOMAIN}", name="New Officer", role="officer")
    db.session.add(officer)
    db.session.commit()
    sso.add_user("new", f"new@{DOMAIN}")
    response = sso_sign_in(client, sso, "new")
    assert urlsplit(response.headers["Location"]).path == "/staff/" and signed_in_as_staff(client)


def test_a_deactivated_account_is_refused(sso, client, db):
    officer = factories.user(role="officer", email=f"gone@{DOMAIN}")
    sso.add_user("gone", f"gone@{DOMAIN}")
    sso_sign_in(client, sso, "gone")
    client.post("/sign-out")
    officer.deactivate()
    db.session.commit()
    response = sso_sign_in(client, sso, "gone")
    assert response.status_code == 403
    page, row = refusal(response, "account deactivated")
    assert "deactivated" in page and row.subject == f"user:{officer.id}"
    assert not signed_in_as_staff(client)


# --- Second factor and where to go after ------------------------------------------------------

def test_officers_still_give_their_totp_code_after_sso(sso, client, app, db):
    import pyotp

    app.config["TOTP_REQUIRED_ROLES"] = ("admin", "officer")
    secret = pyotp.random_base32()
    factories.user(role="officer", email=f"tt@{DOMAIN}", totp_secret=secret)
    sso.add_user("tt", f"tt@{DOMAIN}", amr=["pwd", "mfa"])  # the provider's MFA does not count by default
    response = sso_sign_in(client, sso, "tt", next_url="/staff/consultations")
    assert response.headers["Location"].endswith("/sign-in/code")
    assert not signed_in_as_staff(client)
    assert events("sign_in.sso_accepted") and not events("sign_in.success")
    done = client.post("/sign-in/code", data={"code": pyotp.TOTP(secret).now()})
    assert urlsplit(done.headers["Location"]).path == "/staff/consultations"
    assert signed_in_as_staff(client)


def test_an_officer_without_a_second_factor_must_set_one_up_after_sso(sso, client, app):
    app.config["TOTP_REQUIRED_ROLES"] = ("admin", "officer")
    factories.user(role="officer", email=f"nw@{DOMAIN}")
    sso.add_user("nw", f"nw@{DOMAIN}")
    response = sso_sign_in(client, sso, "nw")
    assert response.headers["Location"].endswith("/sign-in/set-up-second-factor")
    assert not signed_in_as_staff(client)


def test_provider_mfa_replaces_totp_only_when_configured_and_claimed(sso, client, app):
    app.config.update(TOTP_REQUIRED_ROLES=("admin", "officer"), OIDC_MFA_REPLACES_TOTP=True)
    factories.user(role="officer", email=f"mf@{DOMAIN}")
    sso.add_user("mf", f"mf@{DOMAIN}", amr=["pwd", "mfa"])
    factories.user(role="officer", email=f"pw@{DOMAIN}")
    sso.add_user("pw", f"pw@{DOMAIN}", amr=["pwd"])
    response = sso_sign_in(client, sso, "mf")
    assert urlsplit(response.headers["Location"]).path == "/staff/"
    assert signed_in_as_staff(client)  # no set-up page: the provider's MFA stood in
    assert events("sign_in.success")[-1].detail == {"method": "single sign-on", "second_factor": "identity provider"}
    client.post("/sign-out")
    response = sso_sign_in(client, sso, "pw")  # password only at the provider: our step applies
    assert response.headers["Location"].endswith("/sign-in/set-up-second-factor")


@pytest.mark.parametrize("next_url", ["//evil.example/phish", "https://evil.example/", "/\t/evil.example/x",
                                      "javascript:alert(1)"])
def test_an_off_site_next_is_ignored(sso, client, next_url):
    factories.user(role="officer", email=f"nx@{DOMAIN}")
    sso.add_user("nx", f"nx@{DOMAIN}")
    response = sso_sign_in(client, sso, "nx", next_url=next_url)
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost") and location.path == "/staff/"


def test_a_local_next_is_followed(sso, client):
    factories.user(role="officer", email=f"lo@{DOMAIN}")
    sso.add_user("lo", f"lo@{DOMAIN}")
    response = sso_sign_in(client, sso, "lo", next_url="/staff/consultations")
    assert urlsplit(response.headers["Location"]).path == "/staff/consultations"


def test_residents_still_sign_in_with_a_password(sso, client):
    from tests.conftest import PASSWORD

    resident = factories.user(role="resident", email="res@example.org")
    response = client.post("/sign-in", data={"email": resident.email, "password": PASSWORD})
    assert response.status_code == 302 and client.get("/account").status_code == 200


# --- The admin's view ---------------------------------------------------------------------------

def test_an_admin_can_unlink_a_wrongly_linked_account(sso, client, app, db):
    from tests.conftest import login

    officer = factories.user(role="officer", email=f"wrong@{DOMAIN}", name="Wren Wright")
    sso.add_user("wrong", f"wrong@{DOMAIN}")
    sso_sign_in(client, sso, "wrong")
    assert signed_in_as_staff(client)

    admin_client = app.test_client()
    login(admin_client, factories.user(role="admin"))
    page = admin_client.get(f"/staff/admin/users/{officer.id}").get_data(as_text=True)
    assert "Linked to their council account" in page and "Unlink council account" in page
    done = admin_client.post(f"/staff/admin/users/{officer.id}/single-sign-on/unlink")
    assert done.status_code == 302
    db.session.refresh(officer)
    assert officer.oidc_subject is None and officer.oidc_issuer is None
    assert not signed_in_as_staff(client)  # the linked identity's session ended
    row = events("account.sso_unlinked")[-1]
    assert row.subject == f"user:{officer.id}" and row.detail == {"issuer": sso.issuer}
    assert "Not linked yet" in admin_client.get(f"/staff/admin/users/{officer.id}").get_data(as_text=True)
    assert admin_client.post(f"/staff/admin/users/{officer.id}/single-sign-on/unlink").status_code == 404


def test_only_admins_can_unlink(sso, client, db):
    from tests.conftest import login

    officer = factories.user(role="officer", email=f"only@{DOMAIN}")
    sso.add_user("only", f"only@{DOMAIN}")
    sso_sign_in(client, sso, "only")
    assert client.post(f"/staff/admin/users/{officer.id}/single-sign-on/unlink").status_code == 403
    client.post("/sign-out")
    assert client.post(f"/staff/admin/users/{officer.id}/single-sign-on/unlink").status_code == 302  # to sign-in
    db.session.refresh(officer)
    assert officer.oidc_subject is not None
