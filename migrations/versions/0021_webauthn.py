"""WebAuthn security keys as a second factor, and TOTP secrets encrypted at rest.

Adds security_keys and security_key_challenges, widens users.totp_secret to hold a Fernet token,
and encrypts every secret still stored in plain text (app/accounts/secret_box.py, with the key the
app is configured with: set SECOND_FACTOR_KEY before upgrading if you mean to use one).

Revision ID: 0021_webauthn
Revises: 0020_sso
"""
from alembic import op
import sqlalchemy as sa


revision = '0021_webauthn'
down_revision = '0020_sso'
branch_labels = None
depends_on = None

users = sa.table('users', sa.column('id', sa.Integer), sa.column('totp_secret', sa.String))


def _rewrite_secrets(conn, change):
    """Apply `change` to every stored secret it applies to (it returns None to leave one alone)."""
    for row in conn.execute(sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.isnot(None))).all():
        new = change(row.totp_secret)
        if new is not None:
            conn.execute(users.update().where(users.c.id == row.id).values(totp_secret=new))


def encrypt_plain_secrets(conn):
    """Encrypt the secrets still in plain text (safe to run twice: tokens are left alone)."""
    from app.accounts import secret_box

    _rewrite_secrets(conn, lambda value: None if secret_box.is_encrypted(value) else secret_box.encrypt(value))


def decrypt_secrets(conn):
    from app.accounts import secret_box

    _rewrite_secrets(conn, lambda value: secret_box.decrypt(value) if secret_box.is_encrypted(value) else None)


def upgrade():
    op.create_table(
        'security_keys',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('credential_id', sa.String(length=1400), nullable=False),
        sa.Column('public_key', sa.LargeBinary(), nullable=False),
        sa.Column('sign_count', sa.BigInteger(), nullable=False),
        sa.Column('transports', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.UniqueConstraint('credential_id'),
    )
    op.create_index('ix_security_keys_user_id', 'security_keys', ['user_id'])
    op.create_table(
        'security_key_challenges',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'), nullable=False),
        sa.Column('purpose', sa.String(length=20), nullable=False),
        sa.Column('challenge_hash', sa.String(length=64), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('challenge_hash'),
    )
    op.create_index('ix_security_key_challenges_user_id', 'security_key_challenges', ['user_id'])
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64), type_=sa.String(length=255),
                              existing_nullable=True)
    encrypt_plain_secrets(op.get_bind())


def downgrade():
    decrypt_secrets(op.get_bind())
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=255), type_=sa.String(length=64),
                              existing_nullable=True)
    op.drop_index('ix_security_key_challenges_user_id', table_name='security_key_challenges')
    op.drop_table('security_key_challenges')
    op.drop_index('ix_security_keys_user_id', table_name='security_keys')
    op.drop_table('security_keys')
