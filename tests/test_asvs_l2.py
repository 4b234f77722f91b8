"""Regression tests for OWASP ASVS 4.0.3 level 2 requirements that no other test proved.

Each test names its requirement; docs/security.md points here from its table.
"""
import logging
import os
import pathlib
import re

import pytest

from app import create_app
from config import Config, ProductionConfig
from tests import factories
from tests.conftest import PASSWORD, Settings, login


class Production(ProductionConfig):
    SECRET_KEY = "a-real-secret-" * 4
    EQUALITY_KEY = "another-real-secret-" * 3
    BASE_URL = "https://haveyoursay.example.gov.uk"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    # The limiter is one shared object: an app made with limits on would switch them on for the
    # rest of the test session too.
    RATELIMIT_ENABLED = False


# --- V2 Authentication -----------------------------------------------------------------------

def _register(client, password, name="Robin Example", email="robin@example.org"):
    return client.post("/create-account", data={"name": name, "email": email, "password": password,
                                                "confirm": password})


def test_2_1_2_new_passwords_of_64_to_128_characters_are_accepted_and_longer_refused(client, db):
    long_ok = "unrelated words make strong passwords " * 3 + "x" * 14
    assert len(long_ok) == 128
    too_long = long_ok + "y"
    refused = _register(client, too_long)
    assert refused.status_code == 200
    assert "Password must be 128 characters or fewer" in refused.get_data(as_text=True)
    assert _register(client, long_ok).status_code == 302


def test_2_1_2_sign_in_still_takes_a_longer_password_set_before_the_limit(client, db):
    older = "a passphrase from before the limit was set " * 4  # 172 characters
    person = factories.user(role="resident", password=older)
    login(client, person, password=older)
    assert client.get("/account").status_code == 200


def test_2_1_4_unicode_and_spaces_are_kept_whole(client, db):
    """Emoji, accents and spaces, all characters of the password, and no trimming."""
    password = "  caf\u00e9 \U0001f600 \u732b\u306e \u00f1and\u00fa  "
    person = factories.user(role="resident", password=password)
    assert client.post("/sign-in", data={"email": person.email, "password": password.strip()}).status_code == 200
    login(client, person, password=password)


def test_2_3_1_invitation_links_expire_and_work_once(client, db):
    """An invitation is an activation secret: random, short-lived and single-use; it never
    becomes the password (the person chooses that)."""
    from datetime import timedelta

    from app.accounts.models import StaffInvite
    from app.common.timeutil import utcnow
    from app.extensions import db as _db

    person = factories.user(role="officer")
    old, old_token = StaffInvite.issue(person, 72)
    fresh, token = StaffInvite.issue(person, 72)
    _db.session.add_all([old, fresh])
    old.expires_at = utcnow() - timedelta(minutes=1)
    _db.session.commit()
    assert len(token) >= 40 and token != old_token
    assert client.get(f"/invitation/{old_token}").status_code == 404
    password = "unrelated words make strong passwords"
    assert client.post(f"/invitation/{token}", data={"password": password, "confirm": password}).status_code == 302
    assert client.get(f"/invitation/{token}").status_code == 404


def test_2_4_5_argon2id_defaults_meet_the_minimum():
    """At least 15 MiB of memory, 2 iterations, 1 degree of parallelism (production settings)."""
    assert Config.ARGON2_MEMORY_KIB >= 15 * 1024
    assert Config.ARGON2_TIME_COST >= 2
    assert Config.ARGON2_PARALLELISM >= 1


def test_2_5_4_no_demo_accounts_in_production():
    app = create_app(Production)
    for command, refusal in ((["demo-code"], "There are no demo accounts in production"),
                             (["demo"], "The demo data is not for production databases")):
        result = app.test_cli_runner().invoke(args=command)
        assert result.exit_code != 0 and refusal in result.output, (command, result.output)


# --- V3 Session management -------------------------------------------------------------------

def test_3_4_4_production_session_cookie_is_host_only_secure_and_httponly():
    response = create_app(Production).test_client().get("/sign-in")
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if "session=" in value)
    assert cookie.startswith("__Host-session="), cookie
    for attribute in ("Secure", "HttpOnly", "Path=/", "SameSite=Lax"):
        assert attribute in cookie, cookie
    assert "Domain=" not in cookie


def test_3_1_1_and_8_2_2_the_session_cookie_holds_no_personal_data(app, client, db):
    """The signed cookie is readable by its holder: it holds ids and a random token, never the
    person's email, name or password, and the token never appears in a URL."""
    person = factories.user(role="resident", email="pat.private@example.org", name="Pat Private")
    response = login(client, person)
    assert "session" not in response.headers["Location"].lower()
    raw = client.get_cookie("session").value
    data = app.session_interface.get_signing_serializer(app).loads(raw)
    flat = repr(data)
    for secret in ("pat.private", "Pat Private", PASSWORD):
        assert secret not in flat, data


# --- V4 Access control -----------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/static/", "/static", "/.git/config", "/.env", "/static/../config.py",
                                  "/static/%2e%2e/config.py", "/config.py", "/instance/council.sqlite3",
                                  "/.DS_Store", "/static/.DS_Store"])
def test_4_3_2_no_directory_listing_or_repository_files(client, path):
    response = client.get(path)
    assert response.status_code == 404, (path, response.status_code)
    assert "SECRET_KEY" not in response.get_data(as_text=True)


# --- V5 Validation, sanitisation and encoding ------------------------------------------------

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_5_3_3_text_people_typed_is_escaped_on_public_and_staff_pages(client, db, officer):
    from tests.consultations.conftest import answers_for

    consultation = factories.consultation(status="open", title="Parks " + XSS)
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert XSS not in page and "&lt;script&gt;" in page
    data = answers_for(consultation, q3="Benches " + XSS)
    assert client.post(f"/consultations/{consultation.id}/respond", data=data).status_code == 302
    login(client, officer)
    staff = client.get(f"/staff/consultations/{consultation.id}/results/questions/{consultation.questions[3].id}")
    text = staff.get_data(as_text=True)
    assert staff.status_code == 200 and "Benches" in text
    assert "<script>alert" not in text and "<img src=x" not in text and "&lt;script&gt;" in text


def test_5_2_3_no_header_injection_into_emails(client, db, sent_emails):
    name = "Robin\r\nBcc: victim@example.net\r\nSubject: hacked"
    response = _register(client, "unrelated words make strong passwords", name=name)
    assert response.status_code in (200, 302)
    refused = client.post("/create-account", data={
        "name": "Robin", "email": "robin@example.org\r\nBcc: victim@example.net",
        "password": "unrelated words make strong passwords", "confirm": "unrelated words make strong passwords"})
    assert refused.status_code == 200 and "correct format" in refused.get_data(as_text=True)
    for message in sent_emails:
        assert message.get("Bcc") is None and message.get_all("Subject") == [message["Subject"]]
        assert "victim@example.net" not in str(message["To"]) and "hacked" not in str(message["Subject"])


# --- V7 Errors and logging -------------------------------------------------------------------

@pytest.fixture()
def error_log(monkeypatch):
    """The error handlers' logger. The test suite's schema set-up runs Alembic's fileConfig, which
    disables loggers that already exist; a served app never runs it, so undo that here."""
    logger = logging.getLogger("app.main.errors")
    monkeypatch.setattr(logger, "disabled", False)
    return logger


class Propagating(Settings):
    PROPAGATE_EXCEPTIONS = False  # as in production: an exception becomes the 500 page


def test_7_4_1_an_unexpected_error_shows_a_generic_page_with_a_reference(db, caplog, error_log):
    app = create_app(Propagating)

    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret internals: password=hunter2")

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/boom-for-test")
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and "Sorry, there is a problem with the service" in page
    assert "hunter2" not in page and "Traceback" not in page and "RuntimeError" not in page
    reference = response.headers["X-Request-ID"]
    assert f"quote reference <strong>{reference}</strong>" in page
    # The same id is on the logged error, so support can find it from what the resident quotes.
    record = next(r for r in caplog.records if r.getMessage() == "server error")
    assert record.request_id == reference and record.exc_info


def test_7_2_2_refused_access_is_logged(client, db, caplog, error_log):
    resident = factories.user(role="resident")
    login(client, resident)
    with caplog.at_level(logging.WARNING, logger="app.main.errors"):
        assert client.get("/staff/admin/audit").status_code == 403
    line = next(r.getMessage() for r in caplog.records if "access denied" in r.getMessage())
    assert f"user {resident.id} (resident)" in line and "GET /staff/admin/audit" in line


def test_7_2_2_anonymous_visitors_refused_a_staff_page_are_logged(client, db, caplog, monkeypatch):
    logger = logging.getLogger("app.common.auth")
    monkeypatch.setattr(logger, "disabled", False)  # see error_log
    with caplog.at_level(logging.INFO, logger="app.common.auth"):
        assert client.get("/staff/consultations").status_code == 302
    assert any("access refused: anonymous GET /staff/consultations" in r.getMessage() for r in caplog.records)


class CsrfOn(Settings):
    WTF_CSRF_ENABLED = True


def test_7_1_3_a_form_without_its_csrf_token_is_logged(db, caplog, error_log):
    with caplog.at_level(logging.WARNING, logger="app.main.errors"):
        response = create_app(CsrfOn).test_client().post("/sign-in", data={"email": "a@example.org"})
    assert response.status_code == 400
    assert any("csrf refused: POST /sign-in" in r.getMessage() for r in caplog.records)


def test_7_3_1_json_log_lines_cannot_be_split_by_what_a_user_typed():
    from app.common.logs import _formatter

    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "typed: %s", ("a\nFAKE ERROR b\r\n",), None)
    record.request_id = "-"
    line = _formatter("json").format(record)
    assert "\n" not in line and "\r" not in line and "\\n" in line


def test_7_3_4_log_times_are_utc_whatever_the_server_time_zone(monkeypatch):
    import time

    from app.common.logs import _formatter

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        for fmt in ("json", "text"):
            record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", (), None)
            record.created, record.request_id = 1_780_000_000, "-"  # 2026-05-28 20:26:40 UTC
            assert "2026-05-28 20:26:40" in _formatter(fmt).format(record), fmt
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


# --- V8 Data protection ----------------------------------------------------------------------

def test_8_3_1_sign_in_and_password_forms_post_their_secrets_in_the_body(client, db):
    for url in ("/sign-in", "/create-account", "/reset-password"):
        response = client.get(url)
        # Signed links carry tokens in their path: no other site is told the address.
        assert response.headers["Referrer-Policy"] == "same-origin"
        page = response.get_data(as_text=True)
        forms = re.findall(r"<form[^>]*>", page)
        assert forms and all('method="post"' in form.lower() for form in forms
                             if "sign-out" not in form), (url, forms)


# --- V13 API, V14 Configuration --------------------------------------------------------------

@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "TRACE"])
def test_13_2_1_and_14_5_1_unused_methods_are_refused_and_logged(client, db, caplog, error_log, method):
    with caplog.at_level(logging.WARNING, logger="app.main.errors"):
        for url in ("/api/v1/consultations", "/sign-in", "/"):
            response = client.open(url, method=method)
            assert response.status_code == 405, (method, url)
            assert "GET" in response.headers.get("Allow", "")
    assert any("method not allowed" in r.getMessage() and method in r.getMessage() for r in caplog.records)


def test_14_5_3_no_cors_even_for_a_null_origin(client, db):
    for url in ("/api/v1/consultations", "/api/v1/openapi.json", "/sign-in"):
        for origin in ("null", "https://evil.example"):
            response = client.get(url, headers={"Origin": origin})
            assert not any(h.lower().startswith("access-control-") for h in response.headers.keys()), url
        preflight = client.options(url, headers={"Origin": "https://evil.example",
                                                 "Access-Control-Request-Method": "GET"})
        assert "Access-Control-Allow-Origin" not in preflight.headers


def test_14_4_1_every_text_response_names_its_character_set(client, db, officer):
    consultation = factories.consultation(status="open")
    urls = ["/", "/consultations", f"/consultations/{consultation.id}", "/no-such-page", "/sign-in",
            "/api/v1/consultations", "/privacy"]
    for url in urls:
        response = client.get(url)
        content_type = response.headers["Content-Type"]
        assert content_type.startswith(("text/html", "application/json")), (url, content_type)
        if content_type.startswith("text/"):
            assert "charset=utf-8" in content_type, (url, content_type)
    login(client, officer)
    csv = client.get(f"/staff/consultations/{consultation.id}/responses.csv")
    assert csv.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_14_3_2_and_14_3_3_production_has_no_debug_and_no_version_banner():
    app = create_app(Production)
    assert app.debug is False and app.testing is False
    assert not app.config.get("EXPLAIN_TEMPLATE_LOADING")
    response = app.test_client().get("/no-such-page")
    assert response.status_code == 404
    for header in ("Server", "X-Powered-By", "X-AspNet-Version"):
        assert header not in response.headers
    assert "Werkzeug" not in response.get_data(as_text=True)


# --- Source checks (V5.1.2, V5.2.4, V5.2.5, V5.3.3, V5.3.4, V5.3.8, V5.5.3) --------------------

# Each risky construct, and the only places allowed to use it (with why).
RISKY = {
    r"\bpopulate_obj\b|\*\*request\.(form|args|values|json)": {},  # mass assignment (5.1.2)
    r"(?<![\w.])(eval|exec)\(": {},  # dynamic code (5.2.4)
    r"render_template_string|from_string\(": {},  # templates built from text (5.2.5)
    r"(text|execute)\(\s*f[\"']|(text|execute)\([^)]*%\s*\(|(text|execute)\([^)]*\.format\(": {},  # SQL built from strings (5.3.4)
    r"shell\s*=\s*True|os\.system|os\.popen": {},  # OS commands through a shell (5.3.8)
    r"pickle\.loads?|yaml\.load\(|marshal\.loads": {
        "app/themes/engine.py": "the theme model the server itself saved in its own database"},  # (5.5.3)
    r"Markup\(": {"app/common/charts.py": "SVG made by pygal on the server",  # unescaped HTML (5.3.3)
                  "app/places/charts.py": "the compass SVG by pygal; title and description escaped",
                  "app/maps/svg.py": "the density map: numbers only, title and ward names escaped",
                  "app/deliberation/charts.py": "the opinion map: numbers and fixed shapes, title escaped"},
}
TEMPLATE_SAFE = {"app/accounts/templates/accounts/second_factor_setup.html": "QR code SVG made by segno"}


def test_5_no_risky_constructs_outside_their_reviewed_places():
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent
    sources = [p for p in (root / "app").rglob("*.py")]
    assert len(sources) > 50
    for pattern, allowed in RISKY.items():
        found = {str(p.relative_to(root)) for p in sources if re.search(pattern, p.read_text())}
        assert found <= set(allowed), (pattern, found - set(allowed))
    templates = [p for p in (root / "app").rglob("*.html")]
    unsafe = {str(p.relative_to(root)) for p in templates if re.search(r"\|\s*safe\b", p.read_text())}
    assert unsafe <= set(TEMPLATE_SAFE), unsafe - set(TEMPLATE_SAFE)


def test_10_2_2_and_14_4_7_no_device_permissions_and_no_framing(client, db):
    headers = client.get("/").headers
    assert headers["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


# --- V8.1.4, V11.1.7, V11.1.8: monitoring and alerting ----------------------------------------

class Monitored(Settings):
    METRICS_ALLOWED = "10.1.2.0/24"


def _metrics(app):
    return app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.7"}).get_data(as_text=True)


def _count(text, series):
    match = re.search(re.escape(series) + r" ([0-9.e+]+)", text)
    return float(match.group(1)) if match else 0.0


def test_11_1_7_refused_sign_ins_are_counted_for_monitoring(db):
    app = create_app(Monitored)
    series = 'council_security_events_total{event="sign_in.failure",outcome="failure"}'
    before = _count(_metrics(app), series)
    client = app.test_client()
    for _ in range(3):
        client.post("/sign-in", data={"email": "nobody@example.org", "password": "wrong password"})
    text = _metrics(app)
    assert _count(text, series) == before + 3
    assert "nobody" not in text and "example.org" not in text  # kinds of event, never who


def test_11_1_8_the_shipped_alert_rules_use_only_metrics_the_app_serves(db):
    import pathlib

    rules = (pathlib.Path(__file__).resolve().parent.parent / "deploy/prometheus/have-your-say-alerts.yml").read_text()
    exprs = re.findall(r"^\s+expr: (.+)$", rules, re.M)
    assert len(exprs) >= 5 and rules.count("- alert: ") == len(exprs)
    app = create_app(Monitored)
    app.test_client().post("/sign-in", data={"email": "nobody@example.org", "password": "wrong password"})
    app.test_client().get("/no-such-page")
    families = re.findall(r"^# HELP (council_[a-z_]+) ", _metrics(app), re.M)
    served = {name for family in families for name in (family, family + "_total")}
    for expr in exprs:
        for name in re.findall(r"\b(council_[a-z_]+)", expr):
            assert name in served, (name, expr)
        for event in re.findall(r'event=~?"([^"]+)"', expr):
            from app.audit.services import EVENTS

            assert set(event.split("|")) <= set(EVENTS), event


def test_api_answers_are_sent_as_files(client, db):
    """ASVS 14.4.2: every API response, errors included, is an attachment with a safe name."""
    for url, name in (("/api/v1/consultations", "consultations.json"),
                      ("/api/v1/openapi.json", "openapi.json"),
                      ("/api/v1/actions/999999", "actions-999999.json")):
        response = client.get(url)
        assert response.mimetype == "application/json", url
        assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"', url
    assert "Content-Disposition" not in client.get("/").headers


def test_secrets_can_come_from_files_and_systemd_credentials(tmp_path):
    """ASVS 1.6.2 / 6.4.1: secrets need not sit in the environment. `<NAME>_FILE` names a file, and
    under systemd `LoadCredentialEncrypted=` puts decrypted credentials in $CREDENTIALS_DIRECTORY."""
    import subprocess
    import sys

    root = pathlib.Path(__file__).resolve().parents[1]
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "secret_key").write_text("from-a-credential\n")
    (credentials / "equality_key").write_text("equality-from-a-credential")
    (tmp_path / "db_url").write_text("postgresql://app@db/council\n")
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "EQUALITY_KEY", "DATABASE_URL")}
    env.update(CREDENTIALS_DIRECTORY=str(credentials), DATABASE_URL_FILE=str(tmp_path / "db_url"),
               EQUALITY_KEY="from-the-environment")
    shown = subprocess.run(
        [sys.executable, "-c", "import config; c = config.ProductionConfig; "
                               "print(c.SECRET_KEY, c.EQUALITY_KEY, c.SQLALCHEMY_DATABASE_URI)"],
        cwd=root, env=env, capture_output=True, text=True, check=True).stdout.split()
    # A file or credential wins over the environment; the trailing newline is dropped.
    assert shown == ["from-a-credential", "equality-from-a-credential", "postgresql://app@db/council"]
