"""CSRF on every form, cookie flags, production settings."""
import re

import pytest

from app import create_app
from config import ProductionConfig
from tests.conftest import PASSWORD, Settings


class CsrfOn(Settings):
    WTF_CSRF_ENABLED = True


@pytest.fixture()
def csrf_client(db):
    return create_app(CsrfOn).test_client()


# Endpoints that take a POST without a CSRF token on purpose, and why.
CSRF_EXEMPT = {
    "actions.unsubscribe": "RFC 8058 one-click unsubscribe: mail clients POST without a token; the signed link is the proof",
}


def _fill(rule):
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", "1", rule.rule)


def _sign_in_with_token(client, user):
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_posts_without_a_csrf_token_are_refused(app, csrf_client, admin):
    """Every POST rule, staff and parameterised ones included, signed in as an admin (who may see
    every staff page) so the request would reach the view if CSRF let it through."""
    _sign_in_with_token(csrf_client, admin)
    checked = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in CSRF_EXEMPT:
            continue
        response = csrf_client.post(_fill(rule), data={"anything": "x"})
        assert response.status_code == 400, (rule.rule, response.status_code)
        assert "session timed out" in response.get_data(as_text=True), rule.rule
        checked.append(rule.rule)
    assert any(r.startswith("/staff/") for r in checked) and any("<" in r for r in checked)
    assert len(checked) >= 40
    # Still signed in: the refusals were CSRF, not a lost session.
    assert csrf_client.get("/staff/").status_code == 200


def test_only_the_documented_endpoints_are_csrf_exempt(app):
    from app.extensions import csrf

    exempt = {endpoint for endpoint, view in app.view_functions.items()
              if f"{view.__module__}.{view.__name__}" in csrf._exempt_views}
    assert exempt == set(CSRF_EXEMPT)


def test_session_cookie_flags(client, officer):
    response = client.post("/sign-in", data={"email": officer.email, "password": "correct horse battery staple"})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_requires_secret_key(monkeypatch):
    class NoSecret(ProductionConfig):
        SECRET_KEY = None
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(NoSecret)


def test_production_cookies_are_secure():
    assert ProductionConfig.SESSION_COOKIE_SECURE is True


def test_oversized_body_gets_a_friendly_page(client):
    response = client.post("/sign-in", data={"email": "a" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_security_headers_and_csp_nonce(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    page = response.get_data(as_text=True)
    # Every inline script carries this response's nonce, so the browser runs it.
    import re

    inline = [tag for tag in re.findall(r"<script[^>]*>", page) if "src=" not in tag]
    assert inline and all(f'nonce="{nonce}"' in tag for tag in inline)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_template_loads_anything_from_another_site():
    """No CDN, web fonts or analytics: src/href in templates never point off-site."""
    import pathlib
    import re

    offsite = re.compile(r"""(?:src|href|action)\s*=\s*["']\s*(?:https?:)?//""", re.I)
    templates = list(pathlib.Path("app").rglob("*.html"))
    assert templates
    for path in templates:
        assert not offsite.search(path.read_text()), f"{path} loads something from another site"


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_nul_bytes_in_forms_and_queries_never_cause_an_error(client, officer):
    # PostgreSQL rejects NUL in text; the request layer removes them before any form sees them.
    response = client.post("/sign-in", data={"email": "a\x00b@example.org", "password": "x\x00" * 10})
    assert response.status_code == 200
    assert "\x00" not in response.get_data(as_text=True)
    assert client.get("/consultations?topic=%00parks&ward=%00").status_code == 200


@pytest.mark.parametrize("url", ["/surgeries/ward/%00", "/surgeries/ward/a%00b", "/static/%00.css",
                                 "/static/govuk/%00", "/api/v1/consultations/%00"])
def test_a_nul_byte_in_the_path_is_a_404_not_a_database_error(client, db, url):
    """Found on PostgreSQL: /surgeries/ward/%00 was a 500 (text can't hold NUL). Fixed for every
    route at once: no URL converter matches a segment with NUL in it."""
    assert client.get(url).status_code == 404
