"""Staff single sign-on: the identity provider's issuer and subject on users, unique together.

Revision ID: 0020_sso
Revises: 0019_history
"""
from alembic import op
import sqlalchemy as sa


revision = '0020_sso'
down_revision = '0019_history'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('oidc_issuer', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('oidc_subject', sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint('uq_users_oidc_subject', ['oidc_issuer', 'oidc_subject'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('uq_users_oidc_subject', type_='unique')
        batch_op.drop_column('oidc_subject')
        batch_op.drop_column('oidc_issuer')
