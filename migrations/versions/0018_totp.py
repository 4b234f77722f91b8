"""Staff second factor: a TOTP secret on users, the last time step used, and hashed recovery codes.

Revision ID: 0018_totp
Revises: 0017_report
"""
from alembic import op
import sqlalchemy as sa


revision = '0018_totp'
down_revision = '0017_report'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('totp_enabled_at', sa.DateTime(), nullable=True))
    op.create_table(
        'recovery_codes',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'), nullable=False),
        sa.Column('code_hash', sa.String(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
    )
    op.create_index('ix_recovery_codes_user_id', 'recovery_codes', ['user_id'])


def downgrade():
    op.drop_index('ix_recovery_codes_user_id', table_name='recovery_codes')
    op.drop_table('recovery_codes')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_enabled_at')
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_secret')
