"""Sign-in throttling by account and by client address, with growing delays.

Each key ("account:<hmac of the typed email>" or "address:<client address>") has one row. An
attempt is *reserved* before the password is checked, by one atomic UPDATE that adds one to the
count only while the key is not waiting out a delay, and returns the new count. A simultaneous
burst therefore gets exactly the allowed number of guesses: the database serialises the UPDATEs
and each one re-reads the row. After LOGIN_MAX_FAILURES (per address: LOGIN_MAX_FAILURES_PER_ADDRESS)
counted attempts, each further one must wait LOGIN_THROTTLE_BASE_SECONDS * 2^k seconds (k = 1, 2, ...,
capped at LOGIN_THROTTLE_MAX_SECONDS); a refused attempt checks nothing and counts nothing.
Unknown addresses are throttled exactly like real ones, so "too many attempts" reveals nothing.
A successful sign-in (or a password reset) clears its account's count.

Known devices: a successful sign-in leaves a signed `known_device` cookie naming the account.
Attempts for that account from that browser are counted on the device's own key instead of the
account's, so someone guessing a password from elsewhere cannot keep the owner out (OWASP's
"device cookies" defence). The per-address count still applies.
"""
import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.common.signing import make_token, read_token
from app.common.timeutil import utcnow
from app.extensions import db


class LoginThrottle(db.Model):
    __tablename__ = "login_throttles"

    key = db.Column(db.String(100), primary_key=True)  # never an email address: an HMAC of it
    failures = db.Column(db.Integer, nullable=False, default=0)  # attempts counted in the window
    last_attempt_at = db.Column(db.DateTime)
    blocked_until = db.Column(db.DateTime)  # no attempt is even checked before this time


def account_key(email: str) -> str:
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), email.encode(), hashlib.sha256)
    return "account:" + digest.hexdigest()[:40]


DEVICE_COOKIE = "known_device"
_DEVICE_PURPOSE = "known-device"


def new_device_token(email: str) -> str:
    return make_token(_DEVICE_PURPOSE, [account_key(email), secrets.token_urlsafe(16)])


def device_key(email: str, device_token: str | None) -> str | None:
    """The key of a known device for this account, or None if the cookie is absent or not for it."""
    if not device_token:
        return None
    data = read_token(_DEVICE_PURPOSE, device_token, current_app.config["KNOWN_DEVICE_DAYS"] * 86400)
    if not isinstance(data, list) or len(data) != 2 or data[0] != account_key(email):
        return None
    return "device:" + str(data[1])[:40]


def address_key(address: str | None) -> str:
    return "address:" + (address or "unknown")[:64]


def _insert_missing(key: str):
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(LoginThrottle.__table__).values(key=key, failures=0)
                       .on_conflict_do_nothing(index_elements=["key"]))


def reserve(key: str, allowed: int, now=None) -> bool:
    """Count one attempt for `key` if it may be made now; False (nothing counted) if it must wait."""
    config = current_app.config
    now = now or utcnow()
    table = LoginThrottle.__table__
    _insert_missing(key)
    window_start = now - timedelta(hours=config["LOGIN_FAILURE_WINDOW_HOURS"])
    count = db.session.execute(
        update(table)
        .where(table.c.key == key, or_(table.c.blocked_until.is_(None), table.c.blocked_until <= now))
        .values(failures=case((or_(table.c.last_attempt_at.is_(None), table.c.last_attempt_at < window_start), 1),
                              else_=table.c.failures + 1),
                last_attempt_at=now)
        .returning(table.c.failures)).scalar_one_or_none()
    if count is None:
        return False
    if count >= allowed:
        # Still inside our transaction, which holds the row: no other attempt sees the old state.
        delay = min(config["LOGIN_THROTTLE_BASE_SECONDS"] * 2 ** (count - allowed + 1),
                    config["LOGIN_THROTTLE_MAX_SECONDS"])
        db.session.execute(update(table).where(table.c.key == key)
                           .values(blocked_until=now + timedelta(seconds=delay)))
    return True


def release(key: str, clear: bool):
    """Give back a reserved attempt that turned out not to be a failure (or clear the key)."""
    table = LoginThrottle.__table__
    values = {"failures": 0, "blocked_until": None} if clear else \
        {"failures": case((table.c.failures > 0, table.c.failures - 1), else_=0)}
    db.session.execute(update(table).where(table.c.key == key).values(**values))


def forget_stale(now=None) -> int:
    """Delete counts nobody has added to within the window and that hold no wait (they would
    start again from one anyway); client addresses are not kept longer than needed."""
    now = now or utcnow()
    window_start = now - timedelta(hours=current_app.config["LOGIN_FAILURE_WINDOW_HOURS"])
    table = LoginThrottle.__table__
    return db.session.execute(delete(table).where(
        table.c.last_attempt_at < window_start,
        or_(table.c.blocked_until.is_(None), table.c.blocked_until < now))).rowcount


def wait_seconds(keys, now=None) -> int:
    """How long until every key in `keys` may be tried again (0 if none waits)."""
    now = now or utcnow()
    until = db.session.execute(select(LoginThrottle.blocked_until).where(LoginThrottle.key.in_(keys))).scalars()
    return max([0] + [int((t - now).total_seconds()) + 1 for t in until if t and t > now])


def reserve_attempt(email: str, address: str | None, device_token: str | None = None) -> tuple[bool, list[str]]:
    """Reserve an attempt against both the account (or this known device) and the client address.

    Returns (allowed, keys reserved). When one key refuses, the other's reservation is given back.
    """
    config = current_app.config
    keys = [(device_key(email, device_token) or account_key(email), config["LOGIN_MAX_FAILURES"]),
            (address_key(address), config["LOGIN_MAX_FAILURES_PER_ADDRESS"])]
    reserved = []
    for key, allowed in keys:
        if not reserve(key, allowed):
            for done in reserved:
                release(done, clear=False)
            return False, [k for k, _ in keys]
        reserved.append(key)
    return True, reserved
