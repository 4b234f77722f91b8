"""actions: checked plan CSVs wait server-side for confirmation (action_import_drafts)

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
    op.create_table('action_import_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('csv_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_action_import_drafts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_import_drafts')),
    sa.UniqueConstraint('token', name=op.f('uq_action_import_drafts_token'))
    )
    with op.batch_alter_table('action_import_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_import_drafts_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_import_drafts_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('action_import_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_import_drafts_user_id'))
        batch_op.drop_index(batch_op.f('ix_action_import_drafts_created_at'))

    op.drop_table('action_import_drafts')
