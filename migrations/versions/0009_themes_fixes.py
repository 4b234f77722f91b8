"""themes: split parts remember the theme they were split from (kept across re-runs)

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
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('split_from_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_themes_split_from_id_themes'), 'themes', ['split_from_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_themes_split_from_id_themes'), type_='foreignkey')
        batch_op.drop_column('split_from_id')
