"""Fixtures shared by every test: app, db (each test isolated), client, users, email capture.

The database is SQLite (a temporary file) unless DATABASE_URL points at PostgreSQL. The schema is
built by running the Alembic migrations, exactly as production does.
"""
import os
import socket
import tempfile
import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db as _db
from config import TestConfig
from tests import factories

PASSWORD = factories.PASSWORD


def _database_url():
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    path = os.path.join(tempfile.mkdtemp(prefix="council-test-"), "test.sqlite3")
    return f"sqlite:///{path}"


class Settings(TestConfig):
    SQLALCHEMY_DATABASE_URI = _database_url()
    WTF_CSRF_ENABLED = False  # tests/test_security.py proves CSRF with it switched on


def _reset_schema(app):
    """Drop everything, then build the schema from the migrations."""
    from flask_migrate import upgrade

    with app.app_context():
        engine = _db.engine
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        else:
            _db.drop_all()
            with engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()


@pytest.fixture(scope="session")
def app():
    application = create_app(Settings)
    _reset_schema(application)
    return application


def _truncate_all(app):
    with app.app_context():
        _db.session.remove()
        tables = [t.name for t in _db.metadata.sorted_tables]
        with _db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(tables):
                    conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture()
def db(app):
    """An app context with empty tables; rows committed by the test are removed after it."""
    ctx = app.app_context()
    ctx.push()
    app.extensions.pop("sent_emails", None)
    try:
        yield _db
    finally:
        _db.session.remove()
        ctx.pop()
        _truncate_all(app)


@pytest.fixture()
def client(app, db):
    return app.test_client()


@pytest.fixture()
def sent_emails(app, db):
    """Emails sent through the in-memory backend, as email.message.EmailMessage objects."""
    return app.extensions.setdefault("sent_emails", [])


@pytest.fixture()
def sql_statements(db):
    """Call with a function; returns (SQL statements it ran, what it returned)."""
    from sqlalchemy import event

    def run(fn):
        # Rows the test built would otherwise be served from memory and hide per-row
        # queries; expired, each must be read again, as in a fresh request.
        _db.session.expire_all()
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
        event.listen(_db.engine, "before_cursor_execute", listener)
        try:
            result = fn()
        finally:
            event.remove(_db.engine, "before_cursor_execute", listener)
        return seen, result
    return run


def login(client, user, password=PASSWORD):
    """Sign in through the real form; staff with a second factor also type the code their app
    would show now (computed with pyotp from the secret the factory gave them)."""
    response = client.post("/sign-in", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    if response.headers["Location"].endswith("/sign-in/code"):
        import pyotp

        response = client.post("/sign-in/code", data={"code": pyotp.TOTP(user.totp_secret).now()})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture()
def officer(db):
    return factories.user(role="officer")


@pytest.fixture()
def admin(db):
    return factories.user(role="admin")


@pytest.fixture()
def councillor(db):
    return factories.user(role="councillor")


@pytest.fixture()
def officer_client(client, officer):
    login(client, officer)
    return client


@pytest.fixture()
def admin_client(client, admin):
    login(client, admin)
    return client


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def smtp_server(app, db):
    """A real SMTP server on localhost (aiosmtpd); the app sends to it for this test."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    port = free_port()
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    old = {k: app.config[k] for k in ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        yield received
    finally:
        app.config.update(old)
        controller.stop()


@contextmanager
def serve(config, host="127.0.0.1"):
    """An app built from `config`, served over real HTTP on its own thread; yields its base URL.
    `host` is the name browsers use (WebAuthn needs "localhost": Chromium refuses an IP as rp id)."""
    from werkzeug.serving import make_server

    live_app = create_app(config)
    port = free_port()
    server = make_server("127.0.0.1", port, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    live_app.config["BASE_URL"] = f"http://{host}:{port}"
    try:
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


class LiveSettings(Settings):
    WTF_CSRF_ENABLED = True


@pytest.fixture()
def live_server(app, db):
    """The app served over real HTTP in a thread, with CSRF switched on, for browser tests."""
    with serve(LiveSettings) as url:
        yield url


REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def skip_or_fail(reason):
    """Outside CI a missing service skips the test with a reason; in CI (CI=true) it fails."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI must provide it)")
    pytest.skip(reason)


@pytest.fixture()
def redis_queue(app):
    """A real RQ queue on Redis; the app sends background work to it for this test.

    Run the queued jobs with `rq.SimpleWorker([queue], connection=queue.connection).work(burst=True)`.
    """
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue

    from app.common import jobs

    connection = Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except RedisError as exc:
        skip_or_fail(f"Redis is not answering at {REDIS_TEST_URL} ({exc}); set REDIS_TEST_URL to run this test.")
    queue = Queue("default", connection=connection)
    queue.empty()
    app.config["REDIS_URL"] = REDIS_TEST_URL
    jobs.use_app(app)
    try:
        yield queue
    finally:
        app.config["REDIS_URL"] = None
        jobs.use_app(None)
        queue.empty()


@pytest.fixture()
def limited_app(db):
    """Call with settings to get an app with the rate and abuse limits switched on (memory storage
    unless told otherwise); the shared limiter is switched off and emptied again afterwards."""
    from app.extensions import limiter

    def make(**settings):
        limited = type("Limited", (Settings,), {"RATELIMIT_ENABLED": True,
                                                "RATELIMIT_STORAGE_URI": "memory://", **settings})
        return create_app(limited)

    try:
        yield make
    finally:
        try:
            limiter.reset()
        finally:
            limiter.enabled = False


def redis_or_skip(url=None):
    """A Redis URL that answers (REDIS_TEST_URL), with no limit counts left in it; otherwise skip
    (fail in CI)."""
    from redis import Redis
    from redis.exceptions import RedisError

    url = url or REDIS_TEST_URL
    connection = Redis.from_url(url, socket_connect_timeout=1)
    try:
        connection.ping()
    except RedisError as exc:
        skip_or_fail(f"Redis is not answering at {url} ({exc}); set REDIS_TEST_URL to run this test.")
    for key in connection.scan_iter("LIMITER*"):  # only the limiter's keys: RQ tests share this database
        connection.delete(key)
    return url


from tests.notify_stub import notify, notify_server  # noqa: E402,F401 - the GOV.UK Notify stub fixtures
