"""Signing in, inviting staff and managing accounts. Services flush; callers commit."""
from flask import current_app

from app.accounts.models import StaffInvite, User
from app.extensions import db
from app.notifications.services import email_link, send_email

GENERIC_LOGIN_ERROR = "Enter a correct email address and password"


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


def authenticate(email: str, password: str) -> User:
    """Return the user or raise AccountError; the message never says whether the email exists."""
    config = current_app.config
    user = find_by_email(email)
    if user is None or not user.active:
        raise AccountError("email", GENERIC_LOGIN_ERROR)
    if user.is_locked():
        raise AccountError("email", f"Too many attempts. Wait {config['LOGIN_LOCKOUT_MINUTES']} "
                                    "minutes, then try again")
    if not user.check_password(password):
        user.record_failed_login(config["LOGIN_MAX_FAILURES"], config["LOGIN_LOCKOUT_MINUTES"])
        db.session.flush()
        raise AccountError("email", GENERIC_LOGIN_ERROR)
    user.record_login()
    db.session.flush()
    return user


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
    link = email_link("accounts.accept_invite", token=token)
    send_email(
        user.email, f"You have been invited to {current_app.config['SERVICE_NAME']}",
        f"Hello {user.name},\n\nYou have been given a {role} account on "
        f"{current_app.config['COUNCIL_NAME']}'s {current_app.config['SERVICE_NAME']} service.\n\n"
        f"Choose your password here (the link works once, for "
        f"{current_app.config['INVITE_VALID_HOURS']} hours):\n{link}\n",
    )
    return user


def invite_for_token(token: str) -> StaffInvite | None:
    invite = StaffInvite.query.filter_by(token_hash=StaffInvite.hash_token(token or "")).one_or_none()
    if invite is None or not invite.is_usable() or not invite.user.active:
        return None
    return invite


def accept_invite(invite: StaffInvite, password: str) -> User:
    invite.use()
    invite.user.set_password(password)
    db.session.flush()
    return invite.user


def register_resident(name: str, email: str, password: str) -> User:
    if find_by_email(email) is not None:
        raise AccountError("email", "There is already an account with this email address. "
                                    "Sign in instead")
    user = User(name=name.strip(), email=normalise_email(email), role="resident")
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def change_role(user: User, role: str, acting: User):
    if user.id == acting.id and role != user.role:
        raise AccountError("role", "You cannot change your own role")
    user.role = role
    user.session_version += 1  # new permissions apply from the next sign-in
    db.session.flush()


def set_active(user: User, active: bool, acting: User):
    if user.id == acting.id:
        raise AccountError("confirm", "You cannot deactivate your own account")
    user.reactivate() if active else user.deactivate()
    db.session.flush()


def staff_users():
    return User.query.filter(User.role != "resident").order_by(User.role, User.name).all()
