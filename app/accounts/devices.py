"""The browsers signed in to an account, and signing some or all of the others out (ASVS 3.3.4).

A person sees each live session (when it began and was last used) and, after typing their
password again, ends one or every other. Ending a session marks its row ended, so a copied
cookie stops working at once; the browser in use keeps its own session.
"""
from flask import g, request

from app.accounts import throttle
from app.accounts.models import User, UserSession
from app.accounts.services import AccountError, _too_many
from app.audit import record
from app.common.timeutil import utcnow
from app.extensions import db


def live_sessions(user: User) -> list[UserSession]:
    """This person's sessions that still work, most recently used first."""
    now = utcnow()
    rows = (UserSession.query.filter_by(user_id=user.id, ended_at=None)
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc()).all())
    return [row for row in rows if row.is_live(now)]


def current_session_id() -> int | None:
    row = g.get("user_session")
    return row.id if row is not None else None


def _check_password(user: User, password: str):
    """The password again, throttled like sign-in (a stolen session can't guess it)."""
    allowed, keys = throttle.reserve_attempt(user.email, request.remote_addr)
    if not allowed:
        record("sign_out.other_devices", outcome="refused", subject=user)
        raise AccountError("current", _too_many(keys).replace("to sign in", "with your password"))
    if not user.check_password(password or ""):
        record("sign_out.other_devices", outcome="failure", subject=user)
        raise AccountError("current", "Your password is not correct")
    throttle.release(keys[0], clear=True)
    throttle.release(keys[1], clear=False)


def sign_out_others(user: User, password: str, which: str) -> int:
    """End one other session (`which` is its id) or every other one (`which` == "others").
    Returns how many ended. Someone else's session, or this one, is never ended here."""
    _check_password(user, password)
    here = current_session_id()
    targets = [row for row in live_sessions(user) if row.id != here
               and (which == "others" or str(row.id) == which)]
    if which != "others" and not targets:
        raise AccountError("current", "That device is already signed out")
    for row in targets:
        row.end()
    db.session.flush()
    record("sign_out.other_devices", actor=user, subject=user, detail={"sessions": len(targets)})
    return len(targets)
