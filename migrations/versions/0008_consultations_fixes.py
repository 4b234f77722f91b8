"""consultations: schema changes from the review pass (placeholder slot; fill in or remove).

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
    pass


def downgrade():
    pass
