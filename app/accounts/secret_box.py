"""Encryption at rest for second-factor secrets (today the TOTP secret), with Fernet
(AES-128-CBC + HMAC-SHA256, from `cryptography`).

The key comes from SECOND_FACTOR_KEY: one or more comma-separated random strings; the first
encrypts, every one decrypts, so a key can be rotated (`flask accounts rotate-second-factor-key`).
Each is stretched to a Fernet key with HKDF. Without it, a key derived with HKDF from SECRET_KEY
is used; that derived key is always kept as the last one that decrypts, so setting
SECOND_FACTOR_KEY later and rotating moves every secret over without anyone setting up again.
A copy of the database alone (a backup, a dump) then holds no secret that yields codes.
"""
import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

_INFO = b"have-your-say second-factor secrets v1"  # HKDF context: keys here serve nothing else


class SecretUnreadable(Exception):
    """A stored secret does not decrypt with any configured key (the key was changed or lost)."""


def _fernet_key(material: str) -> bytes:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(material.encode())
    return base64.urlsafe_b64encode(raw)


@lru_cache(maxsize=8)
def _box(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    materials = list(keys) + [secret_key]
    return MultiFernet([Fernet(_fernet_key(m)) for m in materials])


def box(config=None) -> MultiFernet:
    config = config or current_app.config
    keys = tuple(k.strip() for k in (config.get("SECOND_FACTOR_KEY") or "").split(",") if k.strip())
    return _box(keys, config["SECRET_KEY"] or "")


def encrypt(plain: str, config=None) -> str:
    return box(config).encrypt(plain.encode()).decode("ascii")


def decrypt(token: str, config=None) -> str:
    try:
        return box(config).decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise SecretUnreadable("second-factor secret does not decrypt with the configured keys") from exc


def is_encrypted(value: str) -> bool:
    """Fernet tokens start with version byte 0x80 ("gAAAAA" in base64); base32 TOTP secrets can't."""
    return value.startswith("gAAAAA")


def rotate(token: str, config=None) -> str:
    """Re-encrypt `token` under the first (newest) key."""
    try:
        return box(config).rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise SecretUnreadable("second-factor secret does not decrypt with the configured keys") from exc
