"""Finding 1: open redirects. Every route that accepts a place to go next is fed nasty values."""
from urllib.parse import urlsplit

import pytest

from app.common.auth import is_safe_next
from tests import factories
from tests.conftest import PASSWORD

NASTY = [
    "/\t/evil.example/phish",          # /%09/evil.example/phish: browsers drop the tab -> //evil.example
    "/\n/evil.example", "/\r/evil.example", "/\r\nSet-Cookie: owned=1",
    "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "/\\/evil.example",
    "https://evil.example/", "http:evil.example", "javascript:alert(1)", "data:text/html,hi",
    " //evil.example", "\t//evil.example", "/%2F/evil.example", "/%5Cevil.example", "/%09/evil.example",
    "/\x00/evil.example", "/\x0b/evil.example", "/\u2028/evil.example", "/\u00a0/evil.example",
    "/\u200b/evil.example", "evil.example", "", "/" + "a" * 3000,
]
# Every route that takes a next/return address (the walk below proves this list is complete).
NEXT_ROUTES = ["/sign-in"]


@pytest.mark.parametrize("value", NASTY)
def test_is_safe_next_refuses(value):
    assert not is_safe_next(value)


@pytest.mark.parametrize("value", ["/", "/staff/", "/consultations/3/respond", "/consultations?ward=north&topic=parks",
                                   "/staff/themes/4#theme-2", "/a%20b"])
def test_is_safe_next_allows_paths_here(value):
    assert is_safe_next(value)


@pytest.mark.parametrize("route", NEXT_ROUTES)
def test_nasty_next_values_never_leave_the_site_or_crash(client, db, route):
    officer = factories.user(role="officer")
    for value in NASTY:
        page = client.get(route, query_string={"next": value})
        assert page.status_code == 200, repr(value)
        response = client.post(route, query_string={"next": value},
                               data={"email": officer.email, "password": PASSWORD})
        assert response.status_code == 302, repr(value)
        location = response.headers["Location"]
        assert urlsplit(location).netloc in ("", "localhost") and location.endswith("/staff/"), (value, location)


def test_the_reported_payload(client, officer):
    response = client.post("/sign-in?next=/%09/evil.example/phish", data={"email": officer.email, "password": PASSWORD})
    assert response.headers["Location"] == "/staff/"
    crlf = client.post("/sign-in?next=/%0d%0aLocation:%20http://evil.example", data={"email": officer.email, "password": PASSWORD})
    assert crlf.status_code == 302 and crlf.headers["Location"] == "/staff/"


def test_a_safe_next_is_still_followed(client, officer):
    sent = client.get("/staff/consultations")
    assert sent.status_code == 302
    back = client.post(sent.headers["Location"], data={"email": officer.email, "password": PASSWORD})
    assert back.headers["Location"] == "/staff/consultations"


def test_no_other_view_redirects_to_an_address_from_the_request():
    """Source walk: the only redirects not built by url_for() are the sign-in's safe_next() (after
    the password, after the second-factor code or security key, or after single sign-on)."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "app"
    found = []
    for path in sorted(root.rglob("*.py")):
        for line in path.read_text().splitlines():
            if re.search(r"\bredirect\((?!url_for\()", line) or "Location" in line:
                found.append((path.relative_to(root).as_posix(), line.strip()))
    assert [where for where, _ in found] == ["accounts/routes.py", "accounts/second_factor_routes.py",
                                             "accounts/sso_routes.py"], found
    assert "redirect(safe_next(request.args.get(\"next\"), default))" in found[0][1], found
    assert all("redirect(safe_next(next_url, url_for(\"main.staff_home\")))" in line for _, line in found[1:]), found
