"""responses: a one-time submission key, so a form sent twice stores one response.

Revision ID: 0013_submission_keys
Revises: 0012_surgeries_fixes
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_submission_keys'
down_revision = '0012_surgeries_fixes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_responses_submission_key'), ['submission_key'])


def downgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_responses_submission_key'), type_='unique')
        batch_op.drop_column('submission_key')
