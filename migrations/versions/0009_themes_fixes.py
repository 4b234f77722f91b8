"""themes: schema changes from the review pass (placeholder slot; fill in or remove).

Revision ID: 0009_themes_fixes
Revises: 0008_consultations_fixes
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_themes_fixes'
down_revision = '0008_consultations_fixes'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
