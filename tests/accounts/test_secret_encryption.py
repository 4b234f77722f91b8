"""TOTP secrets are encrypted at rest (app/accounts/secret_box.py): the column never holds the
secret, secrets stored in plain text before 0021_webauthn still work once it has run, and a key
can be rotated."""
import importlib.util
import pathlib

import pyotp
import pytest
from sqlalchemy import text

from app.accounts import secret_box
from app.accounts.models import User
from app.extensions import db as _db
from tests import factories
from tests.conftest import PASSWORD, login

MIGRATION = pathlib.Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0021_webauthn.py"


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0019", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _column(user_id):
    return _db.session.execute(text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user_id}).scalar()


def test_the_column_holds_no_plain_secret(db):
    secret = pyotp.random_base32()
    officer = factories.user(role="officer", totp_secret=secret)
    stored = _column(officer.id)
    assert stored and secret not in stored and secret.lower() not in stored.lower()
    assert secret_box.is_encrypted(stored)
    assert _db.session.get(User, officer.id).totp_secret == secret


def test_an_app_set_up_through_the_pages_is_stored_encrypted(client):
    councillor = factories.user(role="councillor")
    login(client, councillor)
    client.get("/sign-in/set-up-second-factor")
    with client.session_transaction() as session:
        secret = session["second_factor_setup_secret"]
    client.post("/sign-in/set-up-second-factor", data={"code": pyotp.TOTP(secret).now()})
    stored = _column(councillor.id)
    assert stored and secret not in stored and secret_box.decrypt(stored) == secret


def test_secrets_from_before_the_migration_are_encrypted_and_still_work(client):
    secret = pyotp.random_base32()
    officer = factories.user(role="officer")
    # As 0018 left it: the base32 secret in plain text.
    _db.session.execute(text("UPDATE users SET totp_secret = :s, totp_enabled_at = created_at WHERE id = :id"),
                        {"s": secret, "id": officer.id})
    _db.session.commit()
    migration = _migration()
    with _db.engine.begin() as conn:
        migration.encrypt_plain_secrets(conn)
        migration.encrypt_plain_secrets(conn)  # a second run leaves tokens alone
    _db.session.expire_all()
    stored = _column(officer.id)
    assert secret not in stored and secret_box.decrypt(stored) == secret
    client.post("/sign-in", data={"email": officer.email, "password": PASSWORD})
    assert client.post("/sign-in/code", data={"code": pyotp.TOTP(secret).now()}).headers["Location"] == "/staff/"
    # And the downgrade puts the plain secret back.
    with _db.engine.begin() as conn:
        migration.decrypt_secrets(conn)
    assert _column(officer.id) == secret


def test_a_new_key_decrypts_old_secrets_and_rotation_moves_them(app, db, monkeypatch):
    secret = pyotp.random_base32()
    officer = factories.user(role="officer", totp_secret=secret)  # under the key from SECRET_KEY
    before = _column(officer.id)
    monkeypatch.setitem(app.config, "SECOND_FACTOR_KEY", "new-key-0123456789abcdef, older-key")
    assert _db.session.get(User, officer.id).totp_secret == secret
    result = app.test_cli_runner().invoke(args=["accounts", "rotate-second-factor-key"])
    assert "Re-encrypted 1" in result.output, result.output
    after = _column(officer.id)
    assert after != before and secret_box.decrypt(after) == secret
    # Only the new key (and SECRET_KEY's) now needed; without the new key it no longer opens.
    monkeypatch.setitem(app.config, "SECOND_FACTOR_KEY", None)
    with pytest.raises(secret_box.SecretUnreadable):
        secret_box.decrypt(after)


def test_a_secret_no_key_opens_gives_a_clear_message_not_a_500(app, client, monkeypatch):
    secret = pyotp.random_base32()
    monkeypatch.setitem(app.config, "SECOND_FACTOR_KEY", "a-key-since-lost")
    officer = factories.user(role="officer", totp_secret=secret)
    monkeypatch.setitem(app.config, "SECOND_FACTOR_KEY", None)
    client.post("/sign-in", data={"email": officer.email, "password": PASSWORD})
    response = client.post("/sign-in/code", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    assert "cannot be checked at the moment" in response.get_data(as_text=True)
