"""panel draw jobs: the lottery runs in the background; existing draws are "done".

Revision ID: 0007_panel_draw_jobs
Revises: 0006_surgeries
Create Date: 2026-11-23 18:50:25.991662

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_panel_draw_jobs'
down_revision = '0006_surgeries'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('panel_draws', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=12), server_default='done', nullable=False))
        batch_op.add_column(sa.Column('progress', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('message', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('seconds', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('panels_used', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('probability_bound', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('finished_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('panel_draws', schema=None) as batch_op:
        batch_op.drop_column('finished_at')
        batch_op.drop_column('probability_bound')
        batch_op.drop_column('panels_used')
        batch_op.drop_column('seconds')
        batch_op.drop_column('message')
        batch_op.drop_column('progress')
        batch_op.drop_column('status')
