"""Issue 14, finding 6: API pagination links followed the Host header; links must come from
BASE_URL. Production refuses to start without BASE_URL, and the development key can't be served
beyond loopback."""
import os
import subprocess
import sys

import pytest

from app import create_app
from config import DEV_SECRET_KEY, ProductionConfig
from tests import factories

EVIL = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}


def _links(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and (key.endswith("url") or key in ("self", "next", "prev")):
                yield item
            else:
                yield from _links(item)
    elif isinstance(value, list):
        for item in value:
            yield from _links(item)


def test_api_links_ignore_the_host_header(app, client):
    for n in range(3):
        factories.consultation(status="open", title=f"Consultation {n}")
    body = client.get("/api/v1/consultations?per_page=1&page=2", headers=EVIL).get_json()
    links = list(_links(body))
    assert body["links"]["next"] and body["links"]["prev"] and len(links) >= 4
    assert all(link.startswith(app.config["BASE_URL"] + "/") for link in links), links
    servers = client.get("/api/v1/openapi.json", headers=EVIL).get_json()["servers"]
    assert all("evil.example" not in server["url"] for server in servers)


def test_email_links_ignore_the_host_header(app, client, sent_emails):
    from tests.panel.conftest import member

    member(email="bo@example.org")
    client.post("/panel/manage", data={"email": "bo@example.org"}, headers=EVIL)
    body = sent_emails[-1].get_body(("plain",)).get_content()
    assert app.config["BASE_URL"] + "/panel/manage/" in body and "evil.example" not in body


def test_production_refuses_to_start_without_base_url():
    class NoBaseUrl(ProductionConfig):
        SECRET_KEY = "a-real-secret-" * 4
        EQUALITY_KEY = "another-real-secret-" * 3
        BASE_URL = None
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    with pytest.raises(RuntimeError, match="BASE_URL"):
        create_app(NoBaseUrl)


def test_production_refuses_the_published_development_key():
    class DevKey(ProductionConfig):
        SECRET_KEY = DEV_SECRET_KEY
        EQUALITY_KEY = "another-real-secret-" * 3
        BASE_URL = "https://haveyoursay.example.gov.uk"
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(DevKey)


def _serve_check(host_env, argv, secret=None):
    """Import wsgi in a fresh interpreter as waitress-serve would, with `argv` and HOST set."""
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "APP_ENV", "HOST")}
    env.update(DATABASE_URL="sqlite://", HOST=host_env)
    if secret:
        env["SECRET_KEY"] = secret
    code = f"import sys; sys.argv = {argv!r}; import wsgi; wsgi.create(); print('serving')"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_development_key_is_never_served_beyond_loopback():
    refused = _serve_check("0.0.0.0", ["waitress-serve", "--host", "0.0.0.0", "--call", "wsgi:create"])
    assert refused.returncode != 0 and "Refusing to listen on 0.0.0.0" in refused.stderr
    assert "forge an admin session" in refused.stderr
    listen = _serve_check("", ["waitress-serve", "--listen=*:8080", "--call", "wsgi:create"])
    assert listen.returncode != 0 and "Refusing to listen on *" in listen.stderr
    assert _serve_check("127.0.0.1", ["waitress-serve", "--host", "127.0.0.1"]).stdout.strip() == "serving"
    assert _serve_check("::1", ["waitress-serve"]).stdout.strip() == "serving"
    own_key = _serve_check("0.0.0.0", ["waitress-serve", "--host", "0.0.0.0"], secret="a-real-secret-" * 4)
    assert own_key.stdout.strip() == "serving"


def test_make_run_builds_base_url_from_port():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {k: v for k, v in os.environ.items() if k not in ("BASE_URL", "HOST", "PORT")}
    dry = subprocess.run(["make", "-n", "serve", "PORT=5055"], cwd=root, env=env, capture_output=True,
                         text=True, timeout=60)
    assert 'BASE_URL="http://127.0.0.1:5055"' in dry.stdout and "--ident=" in dry.stdout


def test_calendar_file_links_ignore_the_host_header(app, client):
    from app.surgeries import notify
    from tests.surgeries.conftest import make_booking, make_surgery

    booking = make_booking(make_surgery(factories.user(role="councillor")).slots[0])
    ics = client.get(f"/surgeries/booking/{notify.manage_token(booking)}/invite.ics", headers=EVIL)
    text = ics.get_data(as_text=True).replace("\r\n ", "")  # unfold long lines
    assert ics.status_code == 200 and "evil.example" not in text
    assert app.config["BASE_URL"] + "/surgeries/booking/" in text
