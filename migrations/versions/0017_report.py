"""themes: a description from residents' words, a coherence score and a "weak" flag.

Revision ID: 0017_report
Revises: 0016_stability
"""
from alembic import op
import sqlalchemy as sa


revision = '0017_report'
down_revision = '0016_stability'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description', sa.String(length=400), server_default='', nullable=False))
        batch_op.add_column(sa.Column('coherence', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('weak', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.drop_column('weak')
        batch_op.drop_column('coherence')
        batch_op.drop_column('description')
