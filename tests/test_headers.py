"""Issue 14, finding 6: no HSTS in production, no `Cache-Control: no-store` on staff pages,
personal pages or exports, and a `Server: waitress` banner."""
import http.client
import os
import re
import shlex
import signal
import subprocess
import tempfile
import time

from app import create_app
from app.surgeries import notify
from config import ProductionConfig
from tests import factories
from tests.conftest import free_port, login
from tests.test_route_protection import _fill, _staff_rules

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _no_store(response):
    return response.headers.get("Cache-Control") == "no-store"


def test_every_staff_page_is_no_store(app, admin_client):
    """The URL map walked as an admin (who may see every staff page), real ids or not."""
    factories.consultation(status="open")
    seen, shown = [], 0
    for rule in _staff_rules(app):
        if "GET" not in rule.methods:
            continue
        response = admin_client.get(_fill(rule))
        assert _no_store(response), (rule.rule, response.status_code, response.headers.get("Cache-Control"))
        seen.append(rule.rule)
        shown += response.status_code == 200
    assert len(seen) >= 30 and shown >= 15


def test_every_export_is_no_store(app, officer_client):
    consultation = factories.consultation(status="open")
    exports = [r for r in app.url_map.iter_rules() if r.rule.endswith((".csv", ".ics"))]
    assert len(exports) >= 5
    for url in (f"/staff/consultations/{consultation.id}/responses.csv",
                f"/staff/consultations/{consultation.id}/about-you.csv"):
        response = officer_client.get(url)
        assert response.status_code == 200 and response.mimetype == "text/csv" and _no_store(response), url


def test_personal_pages_are_no_store(client, sent_emails):
    from tests.panel.conftest import member
    from tests.surgeries.conftest import make_booking, make_surgery

    person = member(email="bo@example.org")
    client.post("/panel/manage", data={"email": "bo@example.org"})
    manage = re.search(r"http://localhost(/panel/manage/\S+)", sent_emails[-1].get_body(("plain",)).get_content())
    host = factories.user(role="councillor")
    booking = make_booking(make_surgery(host).slots[0])
    token = notify.manage_token(booking)
    pages = [manage.group(1), f"/surgeries/booking/{token}", f"/surgeries/booking/{token}/cancel",
             f"/surgeries/booking/{token}/move", f"/surgeries/booking/{token}/invite.ics"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200 and _no_store(response), url
    assert person.name in client.get(pages[0]).get_data(as_text=True)

    resident = factories.user(role="resident")
    login(client, resident)
    for url in ("/account", "/consultations"):  # signed in, even a public page shows their name
        response = client.get(url)
        assert response.status_code == 200 and _no_store(response), url


def test_public_pages_and_files_stay_cacheable(client):
    """Not no-store where nothing is personal: the back button keeps what a resident typed."""
    assert not _no_store(client.get("/consultations"))
    assert not _no_store(client.get("/panel/join"))


def test_hsts_in_production_only(client):
    class Production(ProductionConfig):
        SECRET_KEY = "a-real-secret-" * 4
        EQUALITY_KEY = "another-real-secret-" * 3
        BASE_URL = "https://haveyoursay.example.gov.uk"
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    hsts = create_app(Production).test_client().get("/no-such-page").headers.get("Strict-Transport-Security", "")
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert max_age >= 365 * 24 * 3600 and "includeSubDomains" in hsts
    assert "Strict-Transport-Security" not in client.get("/no-such-page").headers


def test_make_serve_sends_no_server_banner():
    """Runs the Makefile's serve command itself (waitress with --ident=) and reads the headers."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("BASE_URL", "HOST", "PORT", "SECRET_KEY", "APP_ENV")}
    dry = subprocess.run(["make", "-n", "serve", f"PORT={port}"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60).stdout
    command = next(line for line in dry.splitlines() if "waitress-serve" in line)
    env["DATABASE_URL"] = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "serve.sqlite3")
    server = subprocess.Popen(["sh", "-c", command], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.time() + 90
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/no-such-page")
                response = connection.getresponse()
                break
            except OSError:
                assert server.poll() is None and time.time() < deadline, shlex.split(command)
                time.sleep(0.5)
        assert response.status == 404
        assert response.getheader("Server") is None and response.getheader("Via") is None
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
