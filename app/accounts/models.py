"""People who sign in: staff (admin, officer, councillor) and residents with an account."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app, g
from flask_login import UserMixin

from app.accounts import secret_box
from app.accounts.passwords import hash_password, needs_rehash, verify_password
from app.common.auth import STAFF_ROLES
from app.common.timeutil import utcnow
from app.extensions import db

__all__ = ["User", "StaffInvite", "UserSession", "RecoveryCode", "SecurityKey", "SecurityKeyChallenge"]


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False, unique=True)  # stored lower-case
    name = db.Column(db.String(120), nullable=False)
    role = db.Column(db.String(20), nullable=False, default="resident")
    # Null until an invited staff member chooses a password.
    password_hash = db.Column(db.String(255))
    active = db.Column(db.Boolean, nullable=False, default=True)
    # Unused since sign-in throttling moved to login_throttles (kept: dropping is not additive).
    failed_logins = db.Column(db.Integer, nullable=False, default=0)
    locked_until = db.Column(db.DateTime)
    # Bumped to end every session of the user at once (deactivation, password or role change).
    session_version = db.Column(db.Integer, nullable=False, default=1)
    # A resident who registered but has not yet followed the emailed confirmation link.
    email_confirmation_pending = db.Column(db.Boolean, nullable=False, default=False)
    title = db.Column(db.String(160))  # e.g. "Cabinet Member for Housing"
    ward_id = db.Column(db.Integer, db.ForeignKey("wards.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_login_at = db.Column(db.DateTime)
    # Second factor (app/accounts/second_factor.py): the base32 TOTP secret once set up, stored
    # only as a Fernet token (secret_box.py; read and set it through `totp_secret`), and the
    # last 30-second time step a code was accepted for, so no code works twice.
    totp_secret_token = db.Column("totp_secret", db.String(255))
    totp_last_step = db.Column(db.BigInteger)
    totp_enabled_at = db.Column(db.DateTime)
    # Single sign-on (sso.py): the identity provider's issuer and this person's stable subject id
    # there, stored at their first SSO sign-in; the pair identifies them from then on.
    oidc_issuer = db.Column(db.String(255))
    oidc_subject = db.Column(db.String(255))

    ward = db.relationship("Ward")

    __table_args__ = (db.UniqueConstraint("oidc_issuer", "oidc_subject", name="uq_users_oidc_subject"),)

    # Set on the loaded user for the request: the secret of the session it was loaded through.
    session_token = None

    def get_id(self):
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self):
        return self.active

    @property
    def is_staff(self):
        return self.role in STAFF_ROLES

    def set_password(self, password: str):
        """A new password ends every session (and every reset link) the user had."""
        self.password_hash = hash_password(password)
        self.session_version = (self.session_version or 1) + 1

    def check_password(self, password: str) -> bool:
        return verify_password(self.password_hash, password)

    def upgrade_hash(self, password: str):
        """After a successful check: re-hash an old scrypt hash (or weaker Argon2 settings)."""
        if self.password_hash and needs_rehash(self.password_hash):
            self.password_hash = hash_password(password)

    def record_login(self):
        self.last_login_at = utcnow()

    def deactivate(self):
        self.active = False
        self.session_version = (self.session_version or 1) + 1

    def reactivate(self):
        self.active = True

    @property
    def totp_secret(self) -> str | None:
        """The plain secret; raises secret_box.SecretUnreadable if no configured key opens it."""
        return secret_box.decrypt(self.totp_secret_token) if self.totp_secret_token else None

    @totp_secret.setter
    def totp_secret(self, secret: str | None):
        self.totp_secret_token = secret_box.encrypt(secret) if secret else None

    @property
    def has_authenticator_app(self) -> bool:
        return bool(self.totp_secret_token)

    @property
    def has_security_key(self) -> bool:
        return self.id is not None and db.session.query(
            SecurityKey.query.filter_by(user_id=self.id).exists()).scalar()

    @property
    def has_second_factor(self) -> bool:
        """An authenticator app or at least one security key (either meets TOTP_REQUIRED_ROLES)."""
        return self.has_authenticator_app or self.has_security_key

    def enable_second_factor(self, secret: str, step: int):
        """A second-factor change ends every other session (the caller starts a new one)."""
        self.totp_secret, self.totp_last_step, self.totp_enabled_at = secret, step, utcnow()
        self.session_version = (self.session_version or 1) + 1

    def clear_second_factor(self):
        self.totp_secret = self.totp_last_step = self.totp_enabled_at = None
        self.session_version = (self.session_version or 1) + 1

    def link_sso(self, issuer: str, subject: str):
        self.oidc_issuer, self.oidc_subject = issuer, subject

    def unlink_sso(self):
        """Linked to the wrong identity: that identity's sessions end with the link."""
        self.oidc_issuer = self.oidc_subject = None
        self.session_version = (self.session_version or 1) + 1

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


class RecoveryCode(db.Model):
    """One single-use recovery code for the second factor, hashed like a password."""

    __tablename__ = "recovery_codes"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    code_hash = db.Column(db.String(255), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    used_at = db.Column(db.DateTime)


class SecurityKey(db.Model):
    """A WebAuthn credential (security key or platform authenticator) a member of staff registered
    as a second factor (app/accounts/security_keys.py)."""

    __tablename__ = "security_keys"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    name = db.Column(db.String(60), nullable=False)  # chosen by the holder, e.g. "Blue YubiKey"
    # The authenticator's credential id, base64url (at most 1023 bytes by the spec).
    credential_id = db.Column(db.String(1400), nullable=False, unique=True)
    public_key = db.Column(db.LargeBinary, nullable=False)  # COSE-encoded; public, so not encrypted
    # The authenticator's signature counter at its last use: a count that fails to rise betrays a clone.
    sign_count = db.Column(db.BigInteger, nullable=False, default=0)
    transports = db.Column(db.String(200))  # comma-separated hints, e.g. "usb,nfc"; passed back to browsers
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_used_at = db.Column(db.DateTime)


class SecurityKeyChallenge(db.Model):
    """A WebAuthn challenge handed out and not yet answered. The browser's session holds the
    challenge; this row (its hash) makes it single-use even if an old session cookie is replayed:
    answering deletes the row, atomically."""

    __tablename__ = "security_key_challenges"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    purpose = db.Column(db.String(20), nullable=False)  # "register" or "sign-in"
    challenge_hash = db.Column(db.String(64), nullable=False, unique=True)  # sha256 hex of the challenge
    expires_at = db.Column(db.DateTime, nullable=False)


class UserSession(db.Model):
    """One signed-in browser. The cookie holds a random secret; only its sha256 is stored here,
    so sign-out, timeouts and "sign out everywhere" work on the server whatever a copied cookie says."""

    __tablename__ = "user_sessions"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    # The user's session_version when this began: bumping the user's version ends it.
    session_version = db.Column(db.Integer, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_seen_at = db.Column(db.DateTime, nullable=False, default=utcnow)  # updated at most once a minute
    ended_at = db.Column(db.DateTime)

    user = db.relationship("User")

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def begin(cls, user):
        token = secrets.token_urlsafe(32)
        now = utcnow()
        row = cls(user=user, token_hash=cls.hash_token(token), session_version=user.session_version,
                  created_at=now, last_seen_at=now)
        return row, token

    @staticmethod
    def limits(user) -> tuple[timedelta, timedelta]:
        """(idle, absolute) lifetimes for this kind of user, from the settings."""
        config = current_app.config
        if user.is_staff:
            return (timedelta(minutes=config["STAFF_SESSION_IDLE_MINUTES"]),
                    timedelta(hours=config["STAFF_SESSION_MAX_HOURS"]))
        return (timedelta(minutes=config["RESIDENT_SESSION_IDLE_MINUTES"]),
                timedelta(hours=config["RESIDENT_SESSION_MAX_HOURS"]))

    def is_live(self, now=None) -> bool:
        now = now or utcnow()
        user = self.user
        if self.ended_at is not None or not user.active or self.session_version != user.session_version:
            return False
        idle, absolute = self.limits(user)
        return now - self.last_seen_at < idle and now - self.created_at < absolute

    def end(self):
        if self.ended_at is None:
            self.ended_at = utcnow()


from app.extensions import login_manager  # noqa: E402


@login_manager.user_loader
def _load_user(session_id: str):
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or len(token) < 20:
        return None
    row = UserSession.query.filter_by(token_hash=UserSession.hash_token(token)).one_or_none()
    if row is None or row.user_id != int(user_id) or not row.is_live():
        return None
    g.user_session = row
    row.user.session_token = token
    return row.user
