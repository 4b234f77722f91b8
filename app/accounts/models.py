"""People who sign in: staff (admin, officer, councillor) and residents with an account."""
import hashlib
import secrets
from datetime import timedelta

from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from app.common.auth import STAFF_ROLES
from app.common.timeutil import utcnow
from app.extensions import db

__all__ = ["User", "StaffInvite"]


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False, unique=True)  # stored lower-case
    name = db.Column(db.String(120), nullable=False)
    role = db.Column(db.String(20), nullable=False, default="resident")
    # Null until an invited staff member chooses a password.
    password_hash = db.Column(db.String(255))
    active = db.Column(db.Boolean, nullable=False, default=True)
    failed_logins = db.Column(db.Integer, nullable=False, default=0)  # since the last success
    locked_until = db.Column(db.DateTime)
    # Bumped to sign the user out everywhere (deactivation, password change).
    session_version = db.Column(db.Integer, nullable=False, default=1)
    title = db.Column(db.String(160))  # e.g. "Cabinet Member for Housing"
    ward_id = db.Column(db.Integer, db.ForeignKey("wards.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_login_at = db.Column(db.DateTime)

    ward = db.relationship("Ward")

    def get_id(self):
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self):
        return self.active

    @property
    def is_staff(self):
        return self.role in STAFF_ROLES

    def set_password(self, password: str):
        self.password_hash = generate_password_hash(password)
        self.session_version = (self.session_version or 1) + 1

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def is_locked(self, now=None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())

    def record_failed_login(self, max_failures: int, lockout_minutes: int):
        self.failed_logins = (self.failed_logins or 0) + 1
        if self.failed_logins >= max_failures:
            self.locked_until = utcnow() + timedelta(minutes=lockout_minutes)
            self.failed_logins = 0

    def record_login(self):
        self.failed_logins = 0
        self.locked_until = None
        self.last_login_at = utcnow()

    def deactivate(self):
        self.active = False
        self.session_version = (self.session_version or 1) + 1

    def reactivate(self):
        self.active = True

    def __repr__(self):
        return f"<User {self.email} {self.role}>"


class StaffInvite(db.Model):
    """A one-time link that lets an invited staff member set their password."""

    __tablename__ = "staff_invites"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)  # sha256 of the emailed token
    expires_at = db.Column(db.DateTime, nullable=False)
    used_at = db.Column(db.DateTime)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    user = db.relationship("User")

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user, hours: int):
        token = secrets.token_urlsafe(32)
        invite = cls(user=user, token_hash=cls.hash_token(token),
                     expires_at=utcnow() + timedelta(hours=hours))
        return invite, token

    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > utcnow()

    def use(self):
        self.used_at = utcnow()


from app.extensions import login_manager  # noqa: E402


@login_manager.user_loader
def _load_user(session_id: str):
    user_id, _, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user
