"""Single sign-on protocol failures (issue 14): tampered state, replayed callbacks, errors from
the provider, bad ID tokens, PKCE, an unreachable provider: each a clear page, never a 500."""
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from app.accounts.models import User
from tests import factories
from tests.accounts.sso_flow import (CALLBACK, DOMAIN, at_provider, callback, events, refusal, signed_in_as_staff,
                                     sso_sign_in, to_provider)
from tests.accounts.sso_flow import provider, sso  # noqa: F401  (fixtures)


# --- Protocol failures: a clear page, never a 500 --------------------------------------------

def test_the_flow_uses_pkce_state_and_nonce(sso, client):
    factories.user(role="officer", email=f"pk@{DOMAIN}")
    sso.add_user("pk", f"pk@{DOMAIN}")
    url = to_provider(client, sso)
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0] and query["response_type"] == ["code"]
    assert query["redirect_uri"] == [CALLBACK] and "openid" in query["scope"][0].split()
    assert callback(client, at_provider(url, "pk")).status_code == 302
    assert sso.token_requests[-1]["code_verifier"]  # sent with the code, checked by the provider


def _swap_query(url, **changes):
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return parts.path + "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())


def test_a_tampered_state_is_refused(sso, client):
    factories.user(role="officer", email=f"st@{DOMAIN}")
    sso.add_user("st", f"st@{DOMAIN}")
    back_url = at_provider(to_provider(client, sso), "st")
    response = client.get(_swap_query(back_url, state="forged-state"))
    assert response.status_code == 400
    refusal(response, "state did not match")
    assert not signed_in_as_staff(client)


def test_a_callback_in_another_browser_is_refused(sso, client, app):
    factories.user(role="officer", email=f"cb@{DOMAIN}")
    sso.add_user("cb", f"cb@{DOMAIN}")
    back_url = at_provider(to_provider(client, sso), "cb")
    other = app.test_client()  # an attacker's browser replaying a stolen callback URL
    response = callback(other, back_url)
    assert response.status_code == 400
    assert other.get("/staff/").status_code == 302


def test_a_callback_cannot_be_used_twice(sso, client):
    factories.user(role="officer", email=f"tw@{DOMAIN}")
    sso.add_user("tw", f"tw@{DOMAIN}")
    back_url = at_provider(to_provider(client, sso), "tw")
    assert callback(client, back_url).status_code == 302
    client.post("/sign-out")
    again = callback(client, back_url)
    assert again.status_code == 400 and not signed_in_as_staff(client)


def test_only_the_latest_started_sign_in_counts(sso, client):
    """Pressing the button again replaces the earlier attempt, so the cookie never grows."""
    factories.user(role="officer", email=f"ag@{DOMAIN}")
    sso.add_user("ag", f"ag@{DOMAIN}")
    first = to_provider(client, sso)
    for _ in range(20):
        latest = to_provider(client, sso)
    with client.session_transaction() as saved:
        assert len([k for k in saved if k.startswith("_state_")]) == 1
    assert callback(client, at_provider(first, "ag")).status_code == 400
    assert callback(client, at_provider(latest, "ag")).status_code == 302 and signed_in_as_staff(client)


def test_an_error_from_the_provider_is_shown_clearly(sso, client):
    url = to_provider(client, sso)
    state = parse_qs(urlsplit(url).query)["state"][0]
    response = client.get(f"/sign-in/sso/callback?error=access_denied&error_description=nope&state={state}")
    assert response.status_code == 400
    refusal(response, "provider returned an error: access_denied")


def test_missing_or_junk_callback_parameters_are_not_a_500(sso, client):
    for query in ("", "?code=", "?state=%0d%0a", "?code=abc&state=" + "x" * 5000):
        response = client.get("/sign-in/sso/callback" + query)
        assert response.status_code == 400, query


def test_a_code_the_provider_does_not_know_is_refused(sso, client):
    url = to_provider(client, sso)
    state = parse_qs(urlsplit(url).query)["state"][0]
    response = client.get(f"/sign-in/sso/callback?code=made-up&state={state}")
    assert response.status_code == 400
    refusal(response, "provider refused the code: invalid_grant")


@pytest.mark.parametrize("tamper, claim", [
    ({"aud": "someone-else"}, "aud"),
    ({"nonce": "not-the-nonce-we-sent"}, "nonce"),
    ({"iss": "http://127.0.0.1:9/elsewhere"}, "iss"),
    ({"sign_with_other_key": True}, "bad_signature"),
    ({"expired": True}, "expired_token"),
])
def test_a_bad_id_token_is_refused(sso, client, tamper, claim):
    factories.user(role="officer", email=f"tk@{DOMAIN}")
    sso.add_user("tk", f"tk@{DOMAIN}")
    sso.tamper.update(tamper)
    response = sso_sign_in(client, sso, "tk")
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    rows = [e for e in events("sign_in.failure") if e.detail["reason"].startswith("ID token rejected")]
    assert len(rows) == 1 and claim in rows[0].detail["reason"], rows[0].detail
    assert not signed_in_as_staff(client)
    assert User.query.filter(User.oidc_subject.is_not(None)).count() == 0


def test_an_unreachable_provider_is_a_clear_page(sso, client, app):
    from tests.conftest import free_port

    app.config["OIDC_ISSUER"] = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    response = client.get("/sign-in/sso")
    assert response.status_code == 502
    refusal(response, "provider unreachable")
