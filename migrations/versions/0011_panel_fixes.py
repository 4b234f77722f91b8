"""panel: schema changes from the review pass (placeholder slot; fill in or remove).

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
    pass


def downgrade():
    pass
