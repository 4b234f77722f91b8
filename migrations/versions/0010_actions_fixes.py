"""actions: schema changes from the review pass (placeholder slot; fill in or remove).

Revision ID: 0010_actions_fixes
Revises: 0009_themes_fixes
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_actions_fixes'
down_revision = '0009_themes_fixes'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
