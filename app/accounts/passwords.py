"""Password hashing (Argon2id), strength checks (zxcvbn) and the single-use links that reset a
password or confirm a resident's email address.

Hashes: new hashes are Argon2id with ARGON2_TIME_COST / ARGON2_MEMORY_KIB / ARGON2_PARALLELISM
(defaults t=2, m=19 MiB, p=1: OWASP's minimum for Argon2id). Older scrypt hashes made by Werkzeug
still verify and are replaced with Argon2id at the next successful sign-in (see docs/security.md).
"""
import hashlib
import re
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from werkzeug.security import check_password_hash
from zxcvbn import zxcvbn

from app.common.signing import make_token, read_token

WEAK_PASSWORD = ("Choose a password that is harder to guess. Avoid common passwords, names, dates "
                 "and words from your email address: three or four unrelated words work well")
# zxcvbn's cost grows with length; its estimate is settled well before this many characters.
_SCORED_LENGTH = 64


@lru_cache(maxsize=8)
def _hasher_for(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def _hasher() -> PasswordHasher:
    config = current_app.config
    return _hasher_for(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_KIB"], config["ARGON2_PARALLELISM"])


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        return False
    if stored_hash.startswith("$argon2"):
        try:
            return _hasher().verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False
    return check_password_hash(stored_hash, password)  # a Werkzeug scrypt/pbkdf2 hash from before


def needs_rehash(stored_hash: str) -> bool:
    return not stored_hash.startswith("$argon2") or _hasher().check_needs_rehash(stored_hash)


@lru_cache(maxsize=8)
def _dummy_hash(time_cost: int, memory_kib: int, parallelism: int) -> str:
    return _hasher_for(time_cost, memory_kib, parallelism).hash(secrets.token_urlsafe(16))


def spend_equal_work(password: str):
    """Verify against a throwaway hash, so an unknown address costs what a real one does."""
    config = current_app.config
    verify_password(_dummy_hash(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_KIB"],
                                config["ARGON2_PARALLELISM"]), password)


def weakness(password: str, personal: tuple[str, ...] = ()) -> str | None:
    """The message to show when `password` is common or guessable, else None."""
    config = current_app.config
    hints = [config["COUNCIL_NAME"], config["SERVICE_NAME"], "northbrook", "council", "consultation"]
    for item in personal:
        if item:
            hints.append(item)
            hints.extend(part for part in re.split(r"[^a-z]+", item.lower()) if len(part) > 2)
    hints += [re.sub(r"[^a-z0-9]", "", h.lower()) for h in hints]  # "Have your say" -> "haveyoursay"
    result = zxcvbn(password[:_SCORED_LENGTH], user_inputs=hints)
    return WEAK_PASSWORD if result["score"] < config["PASSWORD_MIN_SCORE"] else None


# --- Single-use links ---------------------------------------------------------------------
# A link carries the user id and a fingerprint of the password hash and session version, signed
# with SECRET_KEY: setting a password changes the hash, so a used link (and every older one)
# stops working without storing anything.

def _fingerprint(user) -> str:
    material = f"{user.id}|{user.email}|{user.password_hash or ''}|{user.session_version}"
    return hashlib.sha256(material.encode()).hexdigest()[:24]


def make_user_link_token(purpose: str, user) -> str:
    return make_token(purpose, [user.id, _fingerprint(user)])


def user_for_link_token(purpose: str, token: str, max_age_seconds: int):
    from app.accounts.models import User
    from app.extensions import db

    data = read_token(purpose, token or "", max_age_seconds)
    if not isinstance(data, list) or len(data) != 2 or not isinstance(data[0], int):
        return None
    user = db.session.get(User, data[0])
    if user is None or not user.active or not secrets.compare_digest(str(data[1]), _fingerprint(user)):
        return None
    return user
