"""Outbox: mass mailings an officer starts are held for a few minutes so they can be cancelled

Revision ID: 0028_heldmail
Revises: 0027_languages
"""
from alembic import op
import sqlalchemy as sa


revision = '0028_heldmail'
down_revision = '0027_languages'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbound_emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('send_after', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('batch', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('batch_title', sa.String(length=255), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbound_emails_send_after'), ['send_after'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbound_emails_batch'), ['batch'], unique=False)


def downgrade():
    with op.batch_alter_table('outbound_emails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbound_emails_batch'))
        batch_op.drop_index(batch_op.f('ix_outbound_emails_send_after'))
        batch_op.drop_column('batch_title')
        batch_op.drop_column('batch')
        batch_op.drop_column('send_after')
