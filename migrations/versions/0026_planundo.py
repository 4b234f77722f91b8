"""Action plans: drafts, unpublishing, and each plan's history (imported, published, unpublished, deleted).

Plans, actions, milestones and updates that already exist stay public (server default true).

Revision ID: 0026_planundo
Revises: 0025_bulkimport
"""
from alembic import op
import sqlalchemy as sa


revision = '0026_planundo'
down_revision = '0025_bulkimport'
branch_labels = None
depends_on = None

TABLES = ('action_plans', 'actions', 'action_milestones', 'action_updates')


def upgrade():
    # A plain ADD COLUMN, not batch mode: on SQLite batch mode may rebuild the table (drop and
    # re-create), and with foreign keys on, dropping action_plans would cascade-delete every
    # action, milestone and update. tests/actions/test_plan_migration.py keeps existing rows.
    for table in TABLES:
        op.add_column(table, sa.Column('published', sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_table(
        'action_plan_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=True),
        sa.Column('plan_title', sa.String(length=200), nullable=False),
        sa.Column('occurred_at', sa.DateTime(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('user_name', sa.String(length=200), nullable=False),
        sa.Column('verb', sa.String(length=12), nullable=False),
        sa.Column('text', sa.String(length=600), nullable=False),
        sa.ForeignKeyConstraint(['plan_id'], ['action_plans.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('action_plan_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_plan_events_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_plan_events_occurred_at'), ['occurred_at'], unique=False)


def downgrade():
    with op.batch_alter_table('action_plan_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_plan_events_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_action_plan_events_plan_id'))
    op.drop_table('action_plan_events')
    for table in reversed(TABLES):
        if op.get_bind().dialect.name == 'sqlite':
            # SQLite's own DROP COLUMN (3.35+): batch mode would rebuild the table and, with
            # foreign keys on, dropping action_plans would cascade-delete every action.
            op.execute(f'ALTER TABLE {table} DROP COLUMN published')
        else:
            op.drop_column(table, 'published')
