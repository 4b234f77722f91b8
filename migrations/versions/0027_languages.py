"""Theme analyses: answers clearly not in English, set aside by language

Revision ID: 0027_languages
Revises: 0026_planundo
"""
from alembic import op
import sqlalchemy as sa


revision = '0027_languages'
down_revision = '0026_planundo'
branch_labels = None
depends_on = None


def upgrade():
    # server_default fills rows of analyses made before this migration (none set aside).
    with op.batch_alter_table('theme_analyses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language_ids', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade():
    with op.batch_alter_table('theme_analyses', schema=None) as batch_op:
        batch_op.drop_column('language_ids')
