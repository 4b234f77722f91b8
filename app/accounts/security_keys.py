"""WebAuthn security keys (and platform authenticators) as a second factor, with py_webauthn.
Services flush; callers commit.

A key is an alternative to the authenticator app at the second sign-in step, and meets the rule
that admins and officers must have a second factor (TOTP_REQUIRED_ROLES). Someone whose first
second factor is a key gets recovery codes then, as with an app. Their last factor can't be
removed where one is compulsory.

Each ceremony: the server makes a random challenge, keeps it in this browser's session and its
hash in security_key_challenges; the answer must carry that challenge, come from BASE_URL's origin
and be signed for its host (the relying party id). Answering deletes the row atomically, so a
challenge works once even if an old session cookie is sent again. The key's signature counter must
rise at each use (when the key keeps one): a count that does not rise suggests a cloned key.
"""
import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, request, session
from sqlalchemy import delete, update
from webauthn import (generate_authentication_options, generate_registration_options, options_to_json,
                      verify_authentication_response, verify_registration_response)
from webauthn.helpers import bytes_to_base64url, base64url_to_bytes
from webauthn.helpers.parse_authentication_credential_json import parse_authentication_credential_json
from webauthn.helpers.parse_registration_credential_json import parse_registration_credential_json
from webauthn.helpers.structs import (AuthenticatorSelectionCriteria, AuthenticatorTransport,
                                      PublicKeyCredentialDescriptor, ResidentKeyRequirement,
                                      UserVerificationRequirement)

from app.accounts import second_factor, throttle
from app.accounts.models import RecoveryCode, SecurityKey, SecurityKeyChallenge, User
from app.audit import record
from app.common.timeutil import utcnow
from app.extensions import db

SESSION_KEY = "security_key_challenge"
CHALLENGE_SECONDS = 5 * 60
TIMEOUT_MS = 2 * 60 * 1000  # how long the browser waits for a touch
MAX_CREDENTIAL_JSON = 20_000  # far above any real answer; refuses junk before parsing it

NOT_CHECKED = "Your security key could not be checked. Try again, or enter a code instead"
EXPIRED = "The request to your security key has expired or was already used. Try again"
UNKNOWN_KEY = "That security key is not registered to your account. Use another key, or enter a code instead"


class KeyRefused(Exception):
    def __init__(self, message, field="credential"):
        super().__init__(message)
        self.message, self.field = message, field


def relying_party() -> tuple[str, str]:
    """(rp id, origin) from BASE_URL, never from the request's Host header."""
    parts = urlsplit(current_app.config["BASE_URL"])
    return parts.hostname or "", f"{parts.scheme}://{parts.netloc}"


def keys_of(user: User) -> list[SecurityKey]:
    return SecurityKey.query.filter_by(user_id=user.id).order_by(SecurityKey.created_at, SecurityKey.id).all()


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    result = []
    for key in keys_of(user):
        transports = []
        for name in (key.transports or "").split(","):
            try:
                transports.append(AuthenticatorTransport(name))
            except ValueError:
                pass
        result.append(PublicKeyCredentialDescriptor(id=base64url_to_bytes(key.credential_id),
                                                    transports=transports or None))
    return result


# --- Challenges ---------------------------------------------------------------------------

def _hash(challenge: bytes) -> str:
    return hashlib.sha256(challenge).hexdigest()


def _issue_challenge(user: User, purpose: str) -> bytes:
    now = utcnow()
    db.session.execute(delete(SecurityKeyChallenge).where(SecurityKeyChallenge.expires_at < now))
    # One outstanding challenge per person and purpose: asking again replaces it.
    db.session.execute(delete(SecurityKeyChallenge).where(SecurityKeyChallenge.user_id == user.id,
                                                          SecurityKeyChallenge.purpose == purpose))
    challenge = secrets.token_bytes(32)
    db.session.add(SecurityKeyChallenge(user_id=user.id, purpose=purpose, challenge_hash=_hash(challenge),
                                        expires_at=now + timedelta(seconds=CHALLENGE_SECONDS)))
    db.session.flush()
    session[SESSION_KEY] = {"user": user.id, "purpose": purpose, "challenge": bytes_to_base64url(challenge)}
    return challenge


def _take_challenge(user: User, purpose: str) -> bytes | None:
    """The challenge this browser was given, used up now; None if there is none, it has expired,
    or it was already answered."""
    data = session.pop(SESSION_KEY, None)
    if not isinstance(data, dict) or data.get("user") != user.id or data.get("purpose") != purpose:
        return None
    try:
        challenge = base64url_to_bytes(str(data.get("challenge")))
    except ValueError:
        return None
    table = SecurityKeyChallenge.__table__
    taken = db.session.execute(delete(table).where(
        table.c.challenge_hash == _hash(challenge), table.c.user_id == user.id, table.c.purpose == purpose,
        table.c.expires_at >= utcnow())).rowcount
    return challenge if taken == 1 else None


def _credential(raw: str | None, parse):
    if not raw or len(raw) > MAX_CREDENTIAL_JSON:
        return None
    try:
        return parse(raw)
    except Exception:  # noqa: BLE001 - anything a browser (or anyone) sends that isn't a credential
        return None


def _refuse(user: User, message: str, reason: str):
    record("second_factor.failure", outcome="failure", actor=user, subject=user,
           detail={"reason": reason, "method": "security key"})
    db.session.flush()
    raise KeyRefused(message)


# --- Registering and removing keys ------------------------------------------------------------

def registration_options(user: User) -> str:
    rp_id, _ = relying_party()
    options = generate_registration_options(
        rp_id=rp_id, rp_name=current_app.config["SERVICE_NAME"], user_name=user.email,
        user_display_name=user.name,
        # A stable handle that names nobody (the spec asks for no personal data here).
        user_id=hashlib.sha256(f"have-your-say user {user.id}".encode()).digest(),
        challenge=_issue_challenge(user, "register"), timeout=TIMEOUT_MS,
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.DISCOURAGED))
    return options_to_json(options)


def _check_password(user: User, password: str):
    """ASVS 3.7.1: adding a way in asks for the password again (throttled like sign-in), so a
    borrowed or stolen session alone cannot plant a key."""
    allowed, keys = throttle.reserve_attempt(user.email, request.remote_addr)
    if not allowed:
        record("second_factor.key_added", outcome="refused", actor=user, subject=user,
               detail={"reason": "too many password attempts"})
        raise KeyRefused("Too many wrong passwords. Wait a few minutes, then try again", "password")
    if not user.check_password(password or ""):
        record("second_factor.key_added", outcome="failure", actor=user, subject=user,
               detail={"reason": "wrong password"})
        raise KeyRefused("Your password is not correct", "password")
    throttle.release(keys[0], clear=True)
    throttle.release(keys[1], clear=False)


def add_key(user: User, name: str, password: str, raw_credential: str | None) -> list[str] | None:
    """Register the key that answered this browser's challenge, named `name`, once `password` is
    right. Returns recovery codes to show once if this is the person's first second factor, else
    None. Every other session ends."""
    _check_password(user, password)
    challenge = _take_challenge(user, "register")
    if challenge is None:
        _refuse(user, EXPIRED, "registration challenge missing, expired or used")
    credential = _credential(raw_credential, parse_registration_credential_json)
    if credential is None:
        _refuse(user, "Your security key's answer could not be read. Try again", "registration unreadable")
    rp_id, origin = relying_party()
    try:
        verified = verify_registration_response(credential=credential, expected_challenge=challenge,
                                                expected_rp_id=rp_id, expected_origin=origin)
    except Exception:  # noqa: BLE001 - py_webauthn raises several types; every one is a refusal
        current_app.logger.info("Security key registration refused for user %s", user.id, exc_info=True)
        _refuse(user, "Your security key could not be registered. Try again", "registration not verified")
    credential_id = bytes_to_base64url(verified.credential_id)
    if SecurityKey.query.filter_by(credential_id=credential_id).first() is not None:
        _refuse(user, "That security key is already registered", "key already registered")
    first = not user.has_second_factor
    key = SecurityKey(user_id=user.id, name=name.strip(), credential_id=credential_id,
                      public_key=verified.credential_public_key, sign_count=verified.sign_count,
                      transports=",".join(t.value for t in (credential.response.transports or []))[:200] or None)
    db.session.add(key)
    user.session_version = (user.session_version or 1) + 1  # a second-factor change ends other sessions
    db.session.flush()
    record("second_factor.key_added", actor=user, subject=user, detail={"key": key.name, "key_id": key.id})
    second_factor._tell(user, f"A security key called \"{key.name}\" was added to your account, and every "
                              f"other device was signed out.")
    if first:
        return second_factor._new_recovery_codes(user)
    return None


def remove_key(user: User, key_id: int) -> SecurityKey | None:
    """Remove one of the user's own keys; None if they have no such key. Refused if it is their
    last second factor and their role needs one."""
    key = SecurityKey.query.filter_by(id=key_id, user_id=user.id).one_or_none()
    if key is None:
        return None
    others = SecurityKey.query.filter(SecurityKey.user_id == user.id, SecurityKey.id != key.id).count()
    if not others and not user.has_authenticator_app:
        if second_factor.required_for(user):
            raise KeyRefused("You cannot remove your only second factor. Set up an authenticator app or add "
                             "another security key first")
        RecoveryCode.query.filter_by(user_id=user.id).delete()  # no second factor left to recover
    db.session.delete(key)
    user.session_version = (user.session_version or 1) + 1
    db.session.flush()
    record("second_factor.key_removed", actor=user, subject=user, detail={"key": key.name, "key_id": key.id})
    second_factor._tell(user, f"The security key called \"{key.name}\" was removed from your account, and every "
                              f"other device was signed out.")
    return key


# --- Signing in with a key ------------------------------------------------------------------

def authentication_options(user: User) -> str:
    rp_id, _ = relying_party()
    options = generate_authentication_options(
        rp_id=rp_id, challenge=_issue_challenge(user, "sign-in"), timeout=TIMEOUT_MS,
        allow_credentials=_descriptors(user), user_verification=UserVerificationRequirement.DISCOURAGED)
    return options_to_json(options)


def check_key(user: User, raw_credential: str | None) -> SecurityKey:
    """Accept the answer of one of `user`'s keys to this browser's sign-in challenge, else raise
    KeyRefused. Throttled with the codes (a wrong answer counts like a wrong code)."""
    try:
        reserved = second_factor._reserve(user)
    except second_factor.CodeError as exc:
        raise KeyRefused(exc.message) from exc
    challenge = _take_challenge(user, "sign-in")
    if challenge is None:
        _refuse(user, EXPIRED, "sign-in challenge missing, expired or used")
    credential = _credential(raw_credential, parse_authentication_credential_json)
    if credential is None:
        _refuse(user, NOT_CHECKED, "answer unreadable")
    key = SecurityKey.query.filter_by(user_id=user.id, credential_id=bytes_to_base64url(credential.raw_id)).first()
    if key is None:
        _refuse(user, UNKNOWN_KEY, "key not registered to the account")
    rp_id, origin = relying_party()
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id, expected_origin=origin,
            credential_public_key=key.public_key, credential_current_sign_count=key.sign_count)
    except Exception as exc:  # noqa: BLE001 - every failure is a refusal, never a 500
        if "sign count" in str(exc):
            second_factor._tell(user, f"Your security key \"{key.name}\" answered with a signature counter that "
                                      f"had not gone up, which can mean it was copied. The sign-in was refused.")
            _refuse(user, NOT_CHECKED, "sign count did not increase")
        current_app.logger.info("Security key answer refused for user %s", user.id, exc_info=True)
        _refuse(user, NOT_CHECKED, "answer not verified")
    table = SecurityKey.__table__
    # Only if no other request moved the counter on meanwhile (two answers racing can't both win).
    done = db.session.execute(update(table).where(table.c.id == key.id, table.c.sign_count == key.sign_count)
                              .values(sign_count=verified.new_sign_count, last_used_at=utcnow())).rowcount
    if not done:
        _refuse(user, NOT_CHECKED, "sign count changed meanwhile")
    db.session.refresh(key)
    second_factor.throttle.release(reserved[0], clear=True)
    second_factor.throttle.release(reserved[1], clear=False)
    return key
