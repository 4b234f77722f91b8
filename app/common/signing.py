"""Signed, expiring links for people without accounts (manage a booking, confirm a panel
membership, unsubscribe). Each purpose has its own salt so one link can't be used for another.
Every link has a lifetime (see docs/security-operations.md, "Link lifetimes")."""
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from flask import current_app


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"council:{purpose}")


def make_token(purpose: str, data) -> str:
    return _serializer(purpose).dumps(data)


def read_token(purpose: str, token: str, max_age_seconds: int | None = None):
    """The signed data, or None when the token is tampered with or expired."""
    try:
        return _serializer(purpose).loads(token, max_age=max_age_seconds)
    except (BadSignature, SignatureExpired):
        return None


def token_expired(purpose: str, token: str, max_age_seconds: int) -> bool:
    """True when `token` is genuine but too old, so the page can say "expired" and what to do
    next rather than "this link does not work"."""
    try:
        _serializer(purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired:
        return True
    except BadSignature:
        return False
    return False
