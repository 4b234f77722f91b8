"""More question kinds: a question's settings (Other, ranking, grid, number, date, budget) and
answers that are numbers or dates.

Revision ID: 0031_questionkinds
Revises: 0030_deliberation
"""
from alembic import op
import sqlalchemy as sa


revision = '0031_questionkinds'
down_revision = '0030_deliberation'
branch_labels = None
depends_on = None

COLUMNS = (('questions', 'settings'), ('answers', 'number'), ('answers', 'date_value'))


def upgrade():
    # Plain ADD COLUMN, not batch mode: on SQLite batch mode rebuilds the table, and dropping
    # questions or answers with foreign keys on would cascade-delete answers.
    op.add_column('questions', sa.Column('settings', sa.JSON(), nullable=False, server_default='{}'))
    op.add_column('answers', sa.Column('number', sa.Float(), nullable=True))
    op.add_column('answers', sa.Column('date_value', sa.Date(), nullable=True))


def downgrade():
    for table, column in reversed(COLUMNS):
        if op.get_bind().dialect.name == 'sqlite':
            op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
        else:
            op.drop_column(table, column)
