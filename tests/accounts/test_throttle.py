"""Finding 3: enumeration-safe sign-in and throttling with growing delays instead of a hard lock."""
import re
import statistics
import threading
import time
from datetime import timedelta

import pytest
import requests
from sqlalchemy import text

from app import create_app
from app.common.timeutil import utcnow
from tests import factories
from tests.conftest import PASSWORD, Settings, free_port, login

GENERIC = "Enter a correct email address and password"


def _sign_in(client, email, password="wrong password!"):
    return client.post("/sign-in", data={"email": email, "password": password}).get_data(as_text=True)


def _message(page):
    found = re.search(r'govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span>\s*([^<]+)', page)
    return found.group(1).strip() if found else None


def _unblock(db):
    """Pretend the delay has passed (the clock is not ours to move)."""
    db.session.execute(text("UPDATE login_throttles SET blocked_until = :t"), {"t": utcnow() - timedelta(seconds=1)})
    db.session.commit()


def test_unknown_and_real_accounts_get_identical_answers(app, client, officer):
    """Same message after every attempt, including "too many attempts", for both."""
    real = [_message(_sign_in(client, officer.email)) for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1)]
    unknown = [_message(_sign_in(client, "nobody@example.org")) for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1)]
    assert real == unknown
    assert real[0] == GENERIC and real[-1].startswith("Too many attempts")


def test_a_refused_attempt_does_not_check_the_password(app, client, officer):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _sign_in(client, officer.email)
    assert "Too many attempts" in _sign_in(client, officer.email, PASSWORD)
    assert client.get("/staff/").status_code == 302


def test_delays_grow_and_are_not_a_fixed_lock(app, client, officer, db):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        _sign_in(client, officer.email)
    assert "Wait 2 seconds" in _sign_in(client, officer.email)
    _unblock(db)
    assert _message(_sign_in(client, officer.email)) == GENERIC  # a sixth guess, then a longer wait
    assert "Wait 4 seconds" in _sign_in(client, officer.email)
    _unblock(db)
    _sign_in(client, officer.email)
    assert "Wait 8 seconds" in _sign_in(client, officer.email)
    _unblock(db)
    login(client, officer)  # the right password works as soon as the wait is over
    # ...and a success starts the count again.
    for _ in range(limit - 1):
        assert _message(_sign_in(client, officer.email)) == GENERIC


def test_throttled_by_client_address_across_accounts(app, client, db):
    old = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    try:
        for n in range(3):
            assert _message(_sign_in(client, f"guess{n}@example.org")) == GENERIC
        assert "Too many attempts" in _sign_in(client, "guess9@example.org")
        # Another client address is not held up.
        other = client.post("/sign-in", data={"email": "guess9@example.org", "password": "x" * 12},
                            environ_base={"REMOTE_ADDR": "192.0.2.7"}).get_data(as_text=True)
        assert _message(other) == GENERIC
    finally:
        app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = old


def test_a_password_reset_lets_the_owner_straight_back_in(app, client, officer, sent_emails):
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 3):
        _sign_in(client, officer.email)
    client.post("/reset-password", data={"email": officer.email})
    link = re.search(r"http://localhost(/reset-password/\S+)", sent_emails[-1].get_content()).group(1)
    client.post(link, data={"password": "lantern orbit meadow quarry", "confirm": "lantern orbit meadow quarry"})
    login(client, officer, "lantern orbit meadow quarry")


def test_unknown_accounts_cost_the_same_work(app, client, db):
    """Sign-in for an unknown address verifies a dummy hash: it costs what a real one does.

    Compares medians of CPU-bound work with a wide margin (the old code was 12x apart); the speed
    itself is measured by bench/sign_in_timing.py."""
    saved = {k: app.config[k] for k in ("ARGON2_TIME_COST", "ARGON2_MEMORY_KIB", "LOGIN_MAX_FAILURES_PER_ADDRESS")}
    app.config.update(ARGON2_TIME_COST=2, ARGON2_MEMORY_KIB=19456, LOGIN_MAX_FAILURES_PER_ADDRESS=1000)
    try:
        real = [factories.user(role="officer") for _ in range(7)]
        times = {"real": [], "unknown": []}
        for n, user in enumerate(real):
            for kind, email in (("real", user.email), ("unknown", f"nobody{n}@example.org")):
                start = time.perf_counter()
                _sign_in(client, email)
                times[kind].append(time.perf_counter() - start)
        ratio = statistics.median(times["real"]) / statistics.median(times["unknown"])
        assert 0.5 < ratio < 2, times
    finally:
        app.config.update(saved)


# --- A simultaneous burst, over real HTTP ------------------------------------------------

@pytest.fixture()
def burst_server(app, db):
    from werkzeug.serving import make_server

    class BurstSettings(Settings):
        WTF_CSRF_ENABLED = True
        LOGIN_THROTTLE_BASE_SECONDS = 60  # the burst must not outlast the first wait

    live_app = create_app(BurstSettings)
    port = free_port()
    server = make_server("127.0.0.1", port, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_a_simultaneous_burst_gets_no_extra_guesses(app, burst_server, officer):
    """20 browsers at once: only LOGIN_MAX_FAILURES of them get their password checked."""
    email = officer.email
    browsers = []
    for _ in range(20):
        browser = requests.Session()
        page = browser.get(f"{burst_server}/sign-in", timeout=30).text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        browsers.append((browser, token))
    start = threading.Barrier(len(browsers))
    verdicts = []

    def guess(browser, token):
        start.wait()
        page = browser.post(f"{burst_server}/sign-in", timeout=60, data={
            "csrf_token": token, "email": email, "password": "wrong password!"}).text
        verdicts.append(_message(page))

    threads = [threading.Thread(target=guess, args=pair) for pair in browsers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(verdicts) == 20
    assert verdicts.count(GENERIC) == app.config["LOGIN_MAX_FAILURES"], verdicts
    assert all(v == GENERIC or v.startswith("Too many attempts") for v in verdicts), verdicts


def test_an_attacker_cannot_keep_the_owner_out(app, officer):
    """Guesses from elsewhere make the account wait, but not a browser the owner signed in from."""
    owner, attacker = app.test_client(), app.test_client()
    login(owner, officer)
    owner.post("/sign-out")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 3):
        attacker.post("/sign-in", data={"email": officer.email, "password": "guess!"},
                      environ_base={"REMOTE_ADDR": "203.0.113.5"})
    refused = attacker.post("/sign-in", data={"email": officer.email, "password": PASSWORD},
                            environ_base={"REMOTE_ADDR": "203.0.113.5"}).get_data(as_text=True)
    assert "Too many attempts" in refused
    login(owner, officer)


def test_a_known_device_cookie_for_another_account_does_not_help(app, officer):
    other = factories.user(role="officer")
    browser = app.test_client()
    login(browser, other)
    browser.post("/sign-out")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _sign_in(browser, officer.email)
    assert "Too many attempts" in _sign_in(browser, officer.email, PASSWORD)
