"""Signing in, inviting staff and managing accounts. Services flush; callers commit.

Sign-in never says whether an address has an account: unknown addresses get the same message,
the same password-hash work and the same throttling as real ones (see throttle.py).
"""
from flask import current_app, g, request

from app.accounts import passwords, second_factor, throttle
from app.accounts.models import StaffInvite, User, UserSession
from app.audit import record
from app.common.masking import mask_email
from app.extensions import db
from app.notifications.services import email_link, send_email

GENERIC_LOGIN_ERROR = "Enter a correct email address and password"
CONFIRM_FIRST = ("Confirm your email address before you sign in. We have sent you a new link: "
                 "check your email")
RESET_PURPOSE, CONFIRM_PURPOSE = "password-reset", "confirm-email"


class AccountError(Exception):
    """A problem to show the user beside a field: (field name, message)."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return User.query.filter_by(email=normalise_email(email)).one_or_none()


def _too_many(keys) -> str:
    seconds = max(throttle.wait_seconds(keys), 1)
    wait = f"{seconds} second{'s' if seconds != 1 else ''}" if seconds < 120 else f"{(seconds + 59) // 60} minutes"
    return f"Too many attempts to sign in. Wait {wait}, then try again"


def authenticate(email: str, password: str, device_token: str | None = None) -> User:
    """Return the user or raise AccountError; the message never says whether the email exists."""
    email = normalise_email(email)
    allowed, keys = throttle.reserve_attempt(email, request.remote_addr, device_token)
    if not allowed:
        record("sign_in.throttled", outcome="refused", detail={"email": mask_email(email)})
        raise AccountError("email", _too_many(keys))
    user = find_by_email(email)
    if user is None:
        passwords.spend_equal_work(password)
        ok = False
    else:
        ok = user.check_password(password) and user.active
    if not ok:
        record("sign_in.failure", outcome="failure", subject=user, detail={"email": mask_email(email)})
        db.session.flush()
        raise AccountError("email", GENERIC_LOGIN_ERROR)
    throttle.release(keys[0], clear=True)
    throttle.release(keys[1], clear=False)
    user.upgrade_hash(password)
    if user.email_confirmation_pending:
        send_confirmation(user)
        record("sign_in.failure", outcome="refused", actor=user, subject=user,
               detail={"reason": "email not confirmed"})
        raise AccountError("email", CONFIRM_FIRST)
    if second_factor.applies_to(user):  # signed in only once the code is right too
        record("sign_in.password_accepted", actor=user, subject=user)
        return user
    user.record_login()
    record("sign_in.success", actor=user, subject=user)
    return user


def begin_session(user: User) -> str:
    """A new server-side session for `user`; returns the secret the cookie will hold."""
    row, token = UserSession.begin(user)
    db.session.add(row)
    db.session.flush()
    user.session_token = token
    return token


def end_current_session():
    row = g.get("user_session")
    if row is not None:
        row.end()
        record("sign_out", actor=row.user, subject=row.user)
        db.session.flush()


def invite_staff(name: str, email: str, role: str, title: str | None = None) -> User:
    email = normalise_email(email)
    user = find_by_email(email)
    if user is not None and user.password_hash:
        raise AccountError("email", "There is already an account with this email address")
    if user is None:
        user = User(email=email, name=name.strip(), role=role, title=(title or None))
        db.session.add(user)
    else:  # re-inviting someone who never accepted
        user.name, user.role, user.title = name.strip(), role, title or None
    invite, token = StaffInvite.issue(user, current_app.config["INVITE_VALID_HOURS"])
    db.session.add(invite)
    db.session.flush()
    record("account.invited", subject=user, detail={"role": role, "email": mask_email(email)})
    link = email_link("accounts.accept_invite", token=token)
    send_email(
        user.email, f"You have been invited to {current_app.config['SERVICE_NAME']}",
        f"Hello {user.name},\n\nYou have been given a {role} account on "
        f"{current_app.config['COUNCIL_NAME']}'s {current_app.config['SERVICE_NAME']} service.\n\n"
        f"Choose your password here (the link works once, for "
        f"{current_app.config['INVITE_VALID_HOURS']} hours):\n{link}\n",
        kind="staff_invite",
        personalisation={"name": user.name, "role": role, "link": link, "hours": current_app.config["INVITE_VALID_HOURS"]},
    )
    return user


def invite_for_token(token: str) -> StaffInvite | None:
    invite = StaffInvite.query.filter_by(token_hash=StaffInvite.hash_token(token or "")).one_or_none()
    if invite is None or not invite.is_usable() or not invite.user.active:
        return None
    return invite


def check_new_password(password: str, user_or_details) -> str | None:
    """The message to show if `password` is too guessable for this person, else None."""
    if isinstance(user_or_details, User):
        details = (user_or_details.email, user_or_details.name)
    else:
        details = tuple(user_or_details)
    return passwords.weakness(password, details)


def accept_invite(invite: StaffInvite, password: str) -> User:
    invite.use()
    invite.user.set_password(password)
    db.session.flush()
    record("account.invite_accepted", actor=invite.user, subject=invite.user)
    return invite.user


# --- Residents' accounts -----------------------------------------------------------------

def send_confirmation(user: User):
    hours = current_app.config["EMAIL_CONFIRM_VALID_HOURS"]
    link = email_link("accounts.confirm_email", token=passwords.make_user_link_token(CONFIRM_PURPOSE, user))
    send_email(user.email, f"Confirm your email address for {current_app.config['SERVICE_NAME']}",
               f"Hello {user.name},\n\nTo finish creating your account, confirm your email address "
               f"with this link (it works for {hours} hours):\n{link}\n\n"
               f"If you did not create an account, you can ignore this email.\n",
               kind="account_confirm_email", personalisation={"name": user.name, "link": link, "hours": hours})


def register_resident(name: str, email: str, password: str):
    """Start an account, or tell the address's owner they already have one.

    The page shown afterwards is the same either way ("check your email"), so registering never
    reveals whether an address is known, staff or resident.
    """
    email = normalise_email(email)
    user = find_by_email(email)
    new_hash = passwords.hash_password(password)  # same work whatever happens next
    if user is None:
        user = User(name=name.strip(), email=email, role="resident", email_confirmation_pending=True)
        user.password_hash = new_hash
        db.session.add(user)
        db.session.flush()
        record("account.registered", actor=user, subject=user)
        send_confirmation(user)
    elif user.email_confirmation_pending and user.role == "resident":
        # Never confirmed: whoever owns the address decides the password (no pre-registered takeover).
        user.name, user.password_hash = name.strip(), new_hash
        user.session_version += 1
        db.session.flush()
        send_confirmation(user)
    else:
        link = email_link("accounts.reset_request")
        send_email(user.email, f"You already have an account on {current_app.config['SERVICE_NAME']}",
                   f"Hello,\n\nSomeone (probably you) tried to create an account with this email "
                   f"address, but it already has one. Sign in instead, or reset your password here:\n"
                   f"{link}\n\nIf this was not you, you can ignore this email.\n",
                   kind="account_exists", personalisation={"link": link})


def confirm_email(token: str) -> User | None:
    user = passwords.user_for_link_token(CONFIRM_PURPOSE, token,
                                         current_app.config["EMAIL_CONFIRM_VALID_HOURS"] * 3600)
    if user is None or not user.email_confirmation_pending:
        return None
    user.email_confirmation_pending = False
    user.record_login()
    db.session.flush()
    record("account.confirmed", actor=user, subject=user)
    return user


# --- Passwords ---------------------------------------------------------------------------

def request_password_reset(email: str):
    """Email a reset link if the address has an active account; nothing is said either way."""
    email = normalise_email(email)
    user = find_by_email(email)
    if user is None or not user.active:
        record("password.reset_requested", outcome="failure", detail={"email": mask_email(email)})
        return
    minutes = current_app.config["PASSWORD_RESET_VALID_MINUTES"]
    link = email_link("accounts.reset_password", token=passwords.make_user_link_token(RESET_PURPOSE, user))
    send_email(user.email, f"Reset your password for {current_app.config['SERVICE_NAME']}",
               f"Hello {user.name},\n\nUse this link to choose a new password. It works once, "
               f"for {minutes} minutes:\n{link}\n\n"
               f"If you did not ask to reset your password, you can ignore this email: your "
               f"password has not changed.\n",
               kind="password_reset", personalisation={"name": user.name, "link": link, "minutes": minutes})
    record("password.reset_requested", subject=user)


def user_for_reset_token(token: str) -> User | None:
    return passwords.user_for_link_token(RESET_PURPOSE, token,
                                         current_app.config["PASSWORD_RESET_VALID_MINUTES"] * 60)


def _tell_password_changed(user: User):
    link = email_link("accounts.reset_request")
    send_email(user.email, f"Your password for {current_app.config['SERVICE_NAME']} has changed",
               f"Hello {user.name},\n\nThe password for your account was changed, and every "
               f"device that was signed in has been signed out.\n\nIf you did not do this, reset "
               f"your password now: {link}\n",
               kind="password_changed", personalisation={"name": user.name, "link": link})


def reset_password(user: User, password: str):
    """Set a new password from an emailed link: it ends every session and every older link,
    proves the address (confirming a pending account) and clears the sign-in throttle."""
    user.set_password(password)
    user.email_confirmation_pending = False
    throttle.release(throttle.account_key(user.email), clear=True)
    db.session.flush()
    record("password.reset", actor=user, subject=user)
    _tell_password_changed(user)


def change_password(user: User, current: str, new: str):
    """Signed in: the current password is checked (and throttled like sign-in) first."""
    allowed, keys = throttle.reserve_attempt(user.email, request.remote_addr)
    if not allowed:
        record("password.changed", outcome="refused", subject=user)
        raise AccountError("current", _too_many(keys).replace("to sign in", "with your current password"))
    if not user.check_password(current):
        record("password.changed", outcome="failure", subject=user)
        raise AccountError("current", "Your current password is not correct")
    throttle.release(keys[0], clear=True)
    throttle.release(keys[1], clear=False)
    user.set_password(new)
    db.session.flush()
    record("password.changed", subject=user)
    _tell_password_changed(user)


# --- Admin -------------------------------------------------------------------------------

def change_role(user: User, role: str, acting: User):
    if user.id == acting.id and role != user.role:
        raise AccountError("role", "You cannot change your own role")
    old = user.role
    user.role = role
    user.session_version += 1  # new permissions apply from the next sign-in
    db.session.flush()
    if old != role:
        record("account.role_changed", actor=acting, subject=user, detail={"from": old, "to": role})


def set_active(user: User, active: bool, acting: User):
    if user.id == acting.id:
        raise AccountError("confirm", "You cannot deactivate your own account")
    user.reactivate() if active else user.deactivate()
    db.session.flush()
    record("account.reactivated" if active else "account.deactivated", actor=acting, subject=user)


def staff_users():
    return User.query.filter(User.role != "resident").order_by(User.role, User.name).all()


def purge_sign_in_data(now=None) -> dict:
    """Retention: delete ended or expired sessions and stale throttle counts; records the run."""
    from datetime import timedelta

    from sqlalchemy import delete, or_

    from app.common.timeutil import utcnow

    now = now or utcnow()
    config = current_app.config
    oldest = now - timedelta(hours=max(config["STAFF_SESSION_MAX_HOURS"], config["RESIDENT_SESSION_MAX_HOURS"]))
    table = UserSession.__table__
    sessions = db.session.execute(delete(table).where(
        or_(table.c.ended_at.is_not(None), table.c.created_at < oldest))).rowcount
    counts = throttle.forget_stale(now)
    removed = {"sessions": sessions, "sign_in_counts": counts}
    current_app.logger.info("sign-in data purge: removed %d ended or expired session(s), %d stale sign-in count(s)",
                            sessions, counts)
    record("retention.run", detail={"what": "ended sessions and stale sign-in counts", **removed})
    return removed
