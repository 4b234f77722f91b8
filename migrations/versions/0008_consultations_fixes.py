"""consultations: the date a paper, event or phone response was collected.

Revision ID: 0008_consultations_fixes
Revises: 0007_panel_draw_jobs
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_consultations_fixes'
down_revision = '0007_panel_draw_jobs'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("collected_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("collected_on")
