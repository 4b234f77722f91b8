"""panel: when equality consent was given; each draw's anonymised pool and whether its time limit
stopped the lottery (for `flask panel verify-draw`).

Revision ID: 0011_panel_fixes
Revises: 0010_actions_fixes
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_panel_fixes'
down_revision = '0010_actions_fixes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('panel_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('equality_consent_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('panel_draws', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pool_snapshot', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('time_limit_hit', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('panel_draws', schema=None) as batch_op:
        batch_op.drop_column('time_limit_hit')
        batch_op.drop_column('pool_snapshot')
    with op.batch_alter_table('panel_members', schema=None) as batch_op:
        batch_op.drop_column('equality_consent_at')
