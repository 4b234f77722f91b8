"""Staff single sign-on in a real browser: our sign-in page (checked with axe-core), the button,
the test identity provider's own sign-in page (tests/oidc_provider.py, over HTTP on localhost),
and back to the staff home page.

The journey runs in a browser context that keeps our Content-Security-Policy (the shared `page`
fixture bypasses it so axe can be injected), so a policy that blocked the hop to the provider
would fail here."""
import threading

import pytest
from werkzeug.serving import make_server

from app import create_app
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.conftest import Settings, free_port
from tests.oidc_provider import Provider

DOMAIN = "northbrook.gov.uk"


@pytest.fixture()
def provider():
    running = Provider().start()
    yield running
    running.stop()


@pytest.fixture()
def live_server(app, db, provider):
    """As tests/conftest.py's live server (CSRF on), with single sign-on pointed at the provider."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"

    class SsoLiveSettings(Settings):
        WTF_CSRF_ENABLED = True
        BASE_URL = base
        OIDC_ISSUER = provider.issuer
        OIDC_CLIENT_ID = provider.client.client_id
        OIDC_CLIENT_SECRET = provider.client.secret
        OIDC_ALLOWED_EMAIL_DOMAINS = (DOMAIN,)
        OIDC_BUTTON_TEXT = "Sign in with your council account"

    provider.client.redirect_uris.append(f"{base}/sign-in/sso/callback")
    live_app = create_app(SsoLiveSettings)
    server = make_server("127.0.0.1", port, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_staff_member_signs_in_through_the_council_identity_provider(page, browser, live_server, provider, db):
    officer = factories.user(role="officer", email=f"jo.bloggs@{DOMAIN}", name="Jo Bloggs")
    provider.add_user("jo", f"jo.bloggs@{DOMAIN}")

    page.goto("/sign-in")
    button = page.get_by_role("button", name="Sign in with your council account")
    assert button.is_visible()
    assert_accessible(page, "sign-in page with the single sign-on button")

    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})  # CSP kept
    strict = context.new_page()
    strict.set_default_timeout(10000)
    try:
        strict.goto("/sign-in")
        strict.get_by_role("button", name="Sign in with your council account").click()
        strict.get_by_role("heading", name="Test identity provider: sign in").wait_for()
        assert strict.url.startswith(provider.issuer + "/authorize?")
        strict.get_by_label("Login").fill("jo")
        strict.get_by_role("button", name="Sign in to the provider").click()
        strict.get_by_role("heading", name="Staff home").wait_for()
        assert strict.url == f"{live_server}/staff/"
        assert "Jo Bloggs" in strict.content()

        # Someone at the provider with no staff account here gets a clear page, not an error.
        strict.goto("/sign-out")  # (at phone width the header's button sits in a menu)
        strict.get_by_role("main").get_by_role("button", name="Sign out").click()
        strict.wait_for_url(f"{live_server}/")
        provider.add_user("stranger", f"stranger@{DOMAIN}")
        strict.goto("/sign-in")
        strict.get_by_role("button", name="Sign in with your council account").click()
        strict.get_by_label("Login").fill("stranger")
        strict.get_by_role("button", name="Sign in to the provider").click()
        strict.get_by_role("heading", name="You could not be signed in").wait_for()
    finally:
        context.close()
    db.session.refresh(officer)
    assert officer.oidc_subject == provider.users["jo"]["sub"]
