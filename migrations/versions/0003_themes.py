"""themes: non-answers, duplicate groups and the saved engine on each analysis

Revision ID: 0003_themes
Revises: 0001_foundation
Create Date: 2026-11-23 18:11:30.567672

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_themes'
down_revision = '0002_consultations'
branch_labels = None
depends_on = None


def upgrade():
    # server_default fills rows of analyses made before this migration.
    with op.batch_alter_table('theme_analyses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('non_answer_ids', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('duplicate_groups', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('model_state', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('theme_ids', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))


def downgrade():
    with op.batch_alter_table('theme_analyses', schema=None) as batch_op:
        batch_op.drop_column('theme_ids')
        batch_op.drop_column('model_state')
        batch_op.drop_column('duplicate_groups')
        batch_op.drop_column('non_answer_ids')
