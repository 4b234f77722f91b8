"""The anonymous page cache (app/common/pagecache.py), ETags, charts drawn once, and no session
for anonymous visitors. Run with the in-process cache and, when Redis answers, with Redis."""
import re
import secrets

import pytest
from sqlalchemy import text

from app import create_app
from app.common import charts, pagecache
from app.extensions import db as _db
from tests import factories
from tests.conftest import PASSWORD, Settings, redis_or_skip


@pytest.fixture(params=["memory", "redis"])
def cached_app(request, db):
    settings = {"PUBLIC_PAGE_CACHE_SECONDS": 30, "WTF_CSRF_ENABLED": True,
                "PAGE_CACHE_PREFIX": f"test-pc-{secrets.token_hex(4)}:"}
    if request.param == "redis":
        settings["REDIS_URL"] = redis_or_skip()
    app = create_app(type("Cached", (Settings,), settings))
    pagecache._local.clear()
    yield app
    pagecache._local.clear()
    with app.app_context():
        pagecache.cache.clear()


def _rename_behind_the_apps_back(consultation, title):
    """Plain SQL: no ORM event, so only the cache can explain the old title still showing."""
    _db.session.execute(text("UPDATE consultations SET title = :t WHERE id = :id"), {"t": title, "id": consultation.id})
    _db.session.commit()


def _sign_in(client, user):
    token = _token(client.get("/sign-in").get_data(as_text=True))
    assert client.post("/sign-in", data={"email": user.email, "password": PASSWORD,
                                         "csrf_token": token}).status_code == 302


def _token(page):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _key(page):
    return re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)


def test_an_anonymous_page_is_served_from_the_cache_until_something_public_changes(cached_app, db):
    consultation = factories.consultation(title="Parks for everyone")
    url = f"/consultations/{consultation.id}"
    first = cached_app.test_client().get(url)
    assert first.status_code == 200 and "Parks for everyone" in first.get_data(as_text=True)
    _rename_behind_the_apps_back(consultation, "Renamed quietly")
    assert "Parks for everyone" in cached_app.test_client().get(url).get_data(as_text=True)

    with cached_app.app_context():  # an ORM commit of a public row, in the app, starts a new version
        _db.session.get(type(consultation), consultation.id).summary = "A new summary."
        _db.session.commit()
    pagecache._local.clear()  # as if this change came from another process, after its local copy expired
    fresh = cached_app.test_client().get(url).get_data(as_text=True)
    assert "Renamed quietly" in fresh and "A new summary." in fresh


def test_a_new_response_does_not_empty_the_cache(cached_app, db):
    consultation = factories.consultation(title="Parks for everyone")
    url = f"/consultations/{consultation.id}"
    cached_app.test_client().get(url)
    _rename_behind_the_apps_back(consultation, "Renamed quietly")
    from app.consultations.models import Response

    with cached_app.app_context():  # joined to its consultation, as the form does it
        _db.session.add(Response(consultation=_db.session.get(type(consultation), consultation.id)))
        _db.session.commit()
    pagecache._local.clear()
    assert "Parks for everyone" in cached_app.test_client().get(url).get_data(as_text=True)


def test_each_visitor_gets_their_own_nonce_and_it_matches_the_policy(cached_app, db):
    factories.consultation(title="Parks for everyone")
    pages = [cached_app.test_client().get("/consultations") for _ in range(2)]
    nonces = []
    for page in pages:
        found = re.findall(r'nonce="([^"]+)"', page.get_data(as_text=True))
        assert found and all(n == found[0] for n in found)
        assert f"'nonce-{found[0]}'" in page.headers["Content-Security-Policy"]
        nonces.append(found[0])
    assert nonces[0] != nonces[1]
    assert pagecache.NONCE_MARK not in pages[1].get_data(as_text=True)


def test_a_signed_in_page_is_never_cached_nor_served_to_anyone_else(cached_app, db):
    resident = factories.user(role="resident", name="Priya Resident")
    consultation = factories.consultation(title="Parks for everyone")
    url = f"/consultations/{consultation.id}"
    signed_in = cached_app.test_client()
    _sign_in(signed_in, resident)
    own = signed_in.get(url)
    assert "Priya Resident" in own.get_data(as_text=True) or "Sign out" in own.get_data(as_text=True)
    assert own.headers["Cache-Control"] == "no-store" and "ETag" not in own.headers
    anonymous = cached_app.test_client().get(url).get_data(as_text=True)
    assert "Priya Resident" not in anonymous and "Sign out" not in anonymous

    # And the other way round: a cached anonymous copy is not what a signed-in resident gets.
    _rename_behind_the_apps_back(consultation, "Renamed quietly")
    again = signed_in.get(url).get_data(as_text=True)
    assert "Renamed quietly" in again and "Sign out" in again


def test_the_cached_response_form_has_a_fresh_token_and_key_that_work(cached_app, db):
    from app.consultations.models import Response
    from tests.consultations.conftest import answers_for

    consultation = factories.consultation(title="Parks for everyone")
    url = f"/consultations/{consultation.id}/respond"
    cached_app.test_client().get(url)  # fills the cache
    _rename_behind_the_apps_back(consultation, "Renamed quietly")
    visitors = [cached_app.test_client() for _ in range(2)]
    pages = [v.get(url) for v in visitors]
    bodies = [p.get_data(as_text=True) for p in pages]
    assert all("Parks for everyone" in b for b in bodies)  # served from the cache
    assert _token(bodies[0]) != _token(bodies[1]) and _key(bodies[0]) != _key(bodies[1])
    assert all(pagecache.CSRF_MARK not in b and pagecache.KEY_MARK not in b for b in bodies)
    assert all("session=" in p.headers.get("Set-Cookie", "") for p in pages)  # the CSRF token's cookie

    consultation = _db.session.get(type(consultation), consultation.id)
    sent = visitors[1].post(url, data={**answers_for(consultation), "csrf_token": _token(bodies[1]),
                                       "submission_key": _key(bodies[1])})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/respond/confirmation")
    refused = visitors[0].post(url, data={**answers_for(consultation), "csrf_token": _token(bodies[1]),
                                          "submission_key": _key(bodies[0])})
    assert refused.status_code == 400  # another visitor's token is no good
    assert Response.query.filter_by(consultation_id=consultation.id).count() == 1


def test_api_and_pages_answer_a_matching_if_none_match_with_304(cached_app, client, db):
    factories.consultation(title="Parks for everyone")
    for app_client in (cached_app.test_client(), client):  # with the cache, and without it (tests' app)
        first = app_client.get("/api/v1/consultations")
        etag = first.headers["ETag"]
        again = app_client.get("/api/v1/consultations", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.data == b""
        assert app_client.get("/api/v1/consultations", headers={"If-None-Match": '"other"'}).status_code == 200
        page = app_client.get("/consultations")
        assert app_client.get("/consultations", headers={"If-None-Match": page.headers["ETag"]}).status_code == 304


def test_the_etag_changes_when_the_data_does(client, db):
    consultation = factories.consultation(title="Parks for everyone")
    before = client.get("/api/v1/consultations").headers["ETag"]
    consultation.title = "Parks for all"
    _db.session.commit()
    after = client.get("/api/v1/consultations", headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["ETag"] != before


PUBLIC_PAGES = ["/", "/consultations", "/consultations/{id}", "/progress", "/you-said-we-did",
                "/api/v1/consultations"]


def test_anonymous_public_pages_set_no_cookie_and_create_no_session(client, db):
    consultation = factories.consultation(title="Parks for everyone")
    for path in PUBLIC_PAGES:
        page = client.get(path.format(id=consultation.id))
        assert page.status_code == 200, path
        assert "Set-Cookie" not in page.headers, path
    form = client.get(f"/consultations/{consultation.id}/respond")
    # The form's CSRF token needs a (signed, client-side) cookie; nothing is stored on the server.
    assert form.status_code == 200
    assert _db.session.scalar(text("SELECT count(*) FROM user_sessions")) == 0


def test_a_chart_is_drawn_once_for_the_same_figures(app):
    first = charts.stacked_bar_chart("Actions by status", ["A", "B"], {"Done": [1, 2]})
    assert charts.stacked_bar_chart("Actions by status", ["A", "B"], {"Done": [1, 2]}) is first
    changed = charts.stacked_bar_chart("Actions by status", ["A", "B"], {"Done": [1, 3]})
    assert changed is not first and changed != first


def test_withdrawing_you_said_we_did_takes_the_cached_page_down_at_once(cached_app, db):
    """A page an officer withdraws (a mistake in it) must not live on in the cache for 30 s."""
    from app.actions.models import YouSaidWeDid
    from app.common.timeutil import utcnow

    consultation = factories.consultation(status="published")
    page = YouSaidWeDid(consultation_id=consultation.id, summary="We listened.", published_at=utcnow())
    _db.session.add(page)
    _db.session.commit()
    url = f"/you-said-we-did/{consultation.id}"
    assert cached_app.test_client().get(url).status_code == 200
    with cached_app.app_context():  # what the withdraw route does, through the ORM
        _db.session.get(YouSaidWeDid, page.id).withdraw()
        _db.session.commit()
    assert cached_app.test_client().get(url).status_code == 404
