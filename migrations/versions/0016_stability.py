"""themes: whether a run started afresh or from the previous run's themes.

Revision ID: 0016_stability
Revises: 0015_accounts
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_stability'
down_revision = '0015_accounts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('theme_analyses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fresh', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('warm_started', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('theme_analyses', schema=None) as batch_op:
        batch_op.drop_column('warm_started')
        batch_op.drop_column('fresh')
