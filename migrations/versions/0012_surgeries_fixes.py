"""surgeries: schema changes from the review pass (placeholder slot; fill in or remove).

Revision ID: 0012_surgeries_fixes
Revises: 0011_panel_fixes
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_surgeries_fixes'
down_revision = '0011_panel_fixes'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
