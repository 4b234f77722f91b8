"""The staff second factor: TOTP codes (pyotp) and single-use recovery codes. Services flush;
callers commit.

Between the password and the code a browser is only *half* signed in: the Flask session holds
the user's id, session version and the time the password was accepted (PENDING_KEY), and nothing
else. Flask-Login sees no user, so no page treats that browser as signed in; only the code and
set-up pages read PENDING_KEY. A code is accepted for the time steps either side of now (±30 s)
and only for a step later than the last one accepted (an atomic UPDATE), so no code works twice.
Wrong codes are throttled like passwords (throttle.py), on a key of the account's own, so a right
password does not give a fresh run of guesses.
"""
import secrets
import time

import pyotp
import segno
from flask import current_app, request, session
from sqlalchemy import or_, update

from app.accounts import passwords, secret_box, throttle
from app.accounts.models import RecoveryCode, SecurityKey, SecurityKeyChallenge, User
from app.audit import record
from app.common.timeutil import utcnow
from app.extensions import db
from app.notifications.services import email_link, send_email

PENDING_KEY = "second_factor_pending"
SETUP_SECRET_KEY = "second_factor_setup_secret"
PENDING_SECONDS = 10 * 60  # the code must follow the password within this time
RECOVERY_CODE_COUNT = 10
WRONG_CODE = "Enter the correct code. Codes change every 30 seconds: use the one your app shows now"
REUSED_CODE = "That code has already been used. Wait for your app to show a new code, then enter it"
NO_APP_CODE = "Enter one of your recovery codes, or use your security key"


class CodeError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def required_for(user: User) -> bool:
    return user.role in current_app.config["TOTP_REQUIRED_ROLES"]


def applies_to(user: User) -> bool:
    """Whether signing in as `user` needs a code (or setting one up) after the password."""
    return user.is_staff and (user.has_second_factor or required_for(user))


def must_set_up(user: User) -> bool:
    return user.is_staff and required_for(user) and not user.has_second_factor


# --- The half-signed-in state ----------------------------------------------------------

def begin_pending(user: User, next_url: str | None):
    session[PENDING_KEY] = {"user": user.id, "version": user.session_version, "at": int(time.time()),
                            "next": next_url}


def pending_user() -> User | None:
    data = session.get(PENDING_KEY)
    if not isinstance(data, dict) or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, data.get("user"))
    if user is None or not user.active or user.session_version != data.get("version"):
        return None
    return user


def pending_next() -> str | None:
    data = session.get(PENDING_KEY)
    return data.get("next") if isinstance(data, dict) else None


# --- Codes -------------------------------------------------------------------------------

def _clean(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _is_totp_code(code: str) -> bool:
    return len(code) == 6 and code.isascii() and code.isdigit()


def _matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    if not _is_totp_code(code):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    current = totp.timecode(now)
    for offset in (0, -1, 1):
        if secrets.compare_digest(totp.at(now, counter_offset=offset), code):
            return current + offset
    return None


def _reserve(user: User) -> list[str]:
    config = current_app.config
    keys = [(f"second-factor:{user.id}", config["LOGIN_MAX_FAILURES"]),
            (throttle.address_key(request.remote_addr), config["LOGIN_MAX_FAILURES_PER_ADDRESS"])]
    reserved = []
    for key, allowed in keys:
        if not throttle.reserve(key, allowed):
            for done in reserved:
                throttle.release(done, clear=False)
            record("second_factor.throttled", outcome="refused", actor=user, subject=user)
            seconds = max(throttle.wait_seconds([k for k, _ in keys]), 1)
            wait = f"{seconds} second{'s' if seconds != 1 else ''}" if seconds < 120 else f"{(seconds + 59) // 60} minutes"
            raise CodeError(f"Too many codes tried. Wait {wait}, then try again")
        reserved.append(key)
    return reserved


def _accept_step(user: User, step: int) -> bool:
    """Record `step` as used, only if it is later than the last one (atomic: two requests racing
    with the same code cannot both win)."""
    table = User.__table__
    done = db.session.execute(update(table).where(
        table.c.id == user.id, or_(table.c.totp_last_step.is_(None), table.c.totp_last_step < step))
        .values(totp_last_step=step)).rowcount
    if done:
        user.totp_last_step = step
    return bool(done)


def _use_recovery_code(user: User, code: str) -> bool:
    for row in RecoveryCode.query.filter_by(user_id=user.id, used_at=None).all():
        if passwords.verify_password(row.code_hash, code):
            table = RecoveryCode.__table__
            return bool(db.session.execute(update(table).where(table.c.id == row.id, table.c.used_at.is_(None))
                                           .values(used_at=utcnow())).rowcount)
    return False


def _tell(user: User, what: str):
    """ASVS 2.2.3 / 2.8.5: the holder hears of every change to, or odd use of, their second factor."""
    link = email_link("accounts.reset_request")
    send_email(user.email, f"Your sign-in security for {current_app.config['SERVICE_NAME']}",
               f"Hello {user.name},\n\n{what}\n\nIf this was not you, tell your administrator now and "
               f"change your password: {link}\n",
               kind="second_factor_changed", personalisation={"name": user.name, "what": what, "link": link})


def _fail(user: User, message: str, reason: str):
    record("second_factor.failure", outcome="failure", actor=user, subject=user, detail={"reason": reason})
    if reason == "code already used":
        _tell(user, "Someone entered your password and then a security code that had already been used. "
                    "It was refused.")
    db.session.flush()
    raise CodeError(message)


def _secret_of(user: User) -> str:
    try:
        return user.totp_secret
    except secret_box.SecretUnreadable:
        # SECOND_FACTOR_KEY (or SECRET_KEY) changed without rotating: say so in the log, not to the user.
        current_app.logger.error("The TOTP secret of user %s does not decrypt: check SECOND_FACTOR_KEY", user.id)
        _fail(user, "Your authenticator app cannot be checked at the moment. Use a recovery code, or ask an "
                    "administrator to reset your second factor", "secret unreadable")


def check_code(user: User, code: str, allow_recovery: bool = True) -> str:
    """Accept a current TOTP code (or, if allowed, an unused recovery code) for `user`, else raise
    CodeError. Returns "totp" or "recovery code"."""
    keys = _reserve(user)
    code = _clean(code)
    if _is_totp_code(code) and user.has_authenticator_app:
        step = _matching_step(_secret_of(user), code)
        if step is None:
            _fail(user, WRONG_CODE, "wrong code")
        if not _accept_step(user, step):
            _fail(user, REUSED_CODE, "code already used")
        used = "totp"
    elif allow_recovery and len(code) == 10 and code.isascii() and _use_recovery_code(user, code):
        used = "recovery code"
        left = RecoveryCode.query.filter_by(user_id=user.id, used_at=None).count()
        record("second_factor.recovery_code_used", actor=user, subject=user, detail={"codes_left": left})
        _tell(user, f"You signed in with a recovery code. You have {left} left.")
    elif not user.has_authenticator_app:  # security keys only: recovery codes are the way in
        _fail(user, NO_APP_CODE, "wrong code")
    else:
        _fail(user, WRONG_CODE if allow_recovery else "Enter the 6-digit code your app shows now", "wrong code")
    throttle.release(keys[0], clear=True)
    throttle.release(keys[1], clear=False)
    return used


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.query.filter_by(user_id=user.id, used_at=None).count()


# --- Set-up, new recovery codes and reset ---------------------------------------------------

def setup_secret() -> str:
    """The secret being set up in this browser (made once, kept until confirmed)."""
    secret = session.get(SETUP_SECRET_KEY)
    if not secret:
        secret = session[SETUP_SECRET_KEY] = pyotp.random_base32()
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.config["SERVICE_NAME"])


def qr_svg(uri: str) -> str:
    """The otpauth:// link as an inline SVG QR code, made here (no outside service)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, light="#fff", svgclass="app-qr-code")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1)


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.query.filter_by(user_id=user.id).delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]  # 40 bits each, single use
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=passwords.hash_password(code)) for code in codes)
    db.session.flush()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def confirm_setup(user: User, secret: str, code: str) -> list[str]:
    """Turn the second factor on once the user proves their app has `secret`; returns the recovery
    codes to show once. Every other session of the user ends."""
    keys = _reserve(user)
    step = _matching_step(secret, _clean(code))
    if step is None:
        _fail(user, "Enter the 6-digit code your app shows now. Check you scanned the QR code or "
                    "typed the key correctly", "wrong code at set-up")
    throttle.release(keys[0], clear=True)
    throttle.release(keys[1], clear=False)
    user.enable_second_factor(secret, step)
    codes = _new_recovery_codes(user)
    session.pop(SETUP_SECRET_KEY, None)
    record("second_factor.set_up", actor=user, subject=user)
    _tell(user, "An authenticator app was set up as your second factor, and every other device was signed out.")
    return codes


def renew_recovery_codes(user: User, code: str) -> list[str]:
    check_code(user, code, allow_recovery=False)
    codes = _new_recovery_codes(user)
    record("second_factor.recovery_codes_renewed", actor=user, subject=user)
    _tell(user, "New recovery codes were made for your account. The old ones no longer work.")
    return codes


def reset(user: User, acting: User | None):
    """An admin (or, with `acting` None, `flask accounts reset-second-factor`) turns someone's second
    factor off (authenticator app, recovery codes and every security key): they set it up again at their next sign-in, and every session they have ends now."""
    user.clear_second_factor()
    RecoveryCode.query.filter_by(user_id=user.id).delete()
    keys_removed = SecurityKey.query.filter_by(user_id=user.id).delete()
    SecurityKeyChallenge.query.filter_by(user_id=user.id).delete()
    db.session.flush()
    detail = {"security_keys_removed": keys_removed} if keys_removed else {}
    if acting is None:
        detail["by"] = "flask accounts reset-second-factor"
    record("second_factor.reset", actor=acting, subject=user, detail=detail or None)
    _tell(user, "An administrator reset your second factor (your authenticator app, recovery codes and any "
                "security keys), and you were signed out everywhere. You will set up an authenticator app "
                "again when you next sign in.")
