"""Pseudonymous keys that keep equality ("About you") answers apart from the people who gave them.

An "About you" row is stored under HMAC-SHA256(EQUALITY_KEY, "<purpose>:<id>") instead of the
response or panel member id. The application, which holds EQUALITY_KEY, can find a person's row
(to edit or erase it) and can cross-tabulate answers with equality groups; the database alone
(a dump, a backup, a read-only SQL account) has no column to join on. See docs/privacy.md.

The formula is frozen: migration 0014_privacy computes the same value. Changing EQUALITY_KEY
orphans every existing row unless `flask equality rekey` is run with the old key
(app/consultations/cli.py).
"""
import hashlib
import hmac

from flask import current_app

RESPONSE = "response"
PANEL_MEMBER = "panel-member"
DRAW_MEMBER = "draw-member"


def pseudonym(purpose: str, ident: int, key: str | None = None) -> str:
    """64 hex characters; the same (purpose, id, key) always gives the same value."""
    secret = key if key is not None else current_app.config["EQUALITY_KEY"]
    return hmac.new(secret.encode(), f"{purpose}:{int(ident)}".encode(), hashlib.sha256).hexdigest()


def pseudonyms(purpose: str, idents, key: str | None = None) -> dict[str, int]:
    """{pseudonym: id} for many ids at once (the app's side of an aggregate "join")."""
    secret = key if key is not None else current_app.config["EQUALITY_KEY"]
    return {pseudonym(purpose, i, secret): int(i) for i in idents}
