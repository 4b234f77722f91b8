"""The single sign-on test flow (tests/accounts/test_sso*.py): the shared app pointed at a real
OpenID Connect provider (tests/oidc_provider.py) over HTTP, and the steps of a sign-in.

Our app (Flask test client) fetches the provider's discovery document, JWKS and tokens over real
HTTP; the browser's part at the provider (its sign-in page and the redirect back) is done with
`requests`.
"""
from urllib.parse import quote

import pytest
import requests

from app.audit.models import AuditEvent
from tests.oidc_provider import Provider

DOMAIN = "northbrook.gov.uk"
CALLBACK = "http://localhost/sign-in/sso/callback"  # TestConfig's BASE_URL + the callback path
SETTINGS = ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_ALLOWED_EMAIL_DOMAINS",
            "OIDC_MFA_REPLACES_TOTP", "TOTP_REQUIRED_ROLES")


@pytest.fixture(scope="module")
def provider():
    running = Provider(redirect_uris=[CALLBACK]).start()
    yield running
    running.stop()


@pytest.fixture()
def sso(app, db, provider):
    """The shared app pointed at the test provider for one test; the settings come back after."""
    old = {key: app.config.get(key) for key in SETTINGS}
    app.config.update(OIDC_ISSUER=provider.issuer, OIDC_CLIENT_ID=provider.client.client_id,
                      OIDC_CLIENT_SECRET=provider.client.secret, OIDC_ALLOWED_EMAIL_DOMAINS=(DOMAIN,),
                      OIDC_MFA_REPLACES_TOTP=False)
    provider.users.clear()
    provider.tamper.clear()
    provider.token_requests.clear()
    yield provider
    app.config.update(old)


def to_provider(client, provider, next_url=None):
    """Press the button on our sign-in page; returns the provider's authorization URL."""
    response = client.get("/sign-in/sso" + (f"?next={quote(next_url, safe='')}" if next_url else ""))
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    url = response.headers["Location"]
    assert url.startswith(provider.issuer + "/authorize?")
    return url


def at_provider(url, login):
    """The person signs in at the provider; returns our callback URL the provider sends them to."""
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and "Test identity provider" in page.text, page.text[:300]
    back = requests.post(url, data={"login": login}, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text[:300]
    callback = back.headers["Location"]
    assert callback.startswith(CALLBACK + "?")
    return callback


def callback(client, callback_url):
    return client.get(callback_url[len("http://localhost"):])


def sso_sign_in(client, provider, login, next_url=None):
    return callback(client, at_provider(to_provider(client, provider, next_url), login))


def signed_in_as_staff(client):
    return client.get("/staff/").status_code == 200


def events(name, outcome=None):
    query = AuditEvent.query.filter_by(event=name)
    return query.filter_by(outcome=outcome).all() if outcome else query.all()


def refusal(response, reason):
    page = response.get_data(as_text=True)
    assert "You could not be signed in" in page
    rows = [e for e in events("sign_in.failure") if (e.detail or {}).get("reason") == reason]
    assert rows and rows[-1].detail["method"] == "single sign-on", [e.detail for e in events("sign_in.failure")]
    return page, rows[-1]
