"""Consultations: a history of launches, early closes, reopenings and publications.

Revision ID: 0019_history
Revises: 0018_totp
"""
from alembic import op
import sqlalchemy as sa


revision = '0019_history'
down_revision = '0018_totp'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'consultation_events',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('consultation_id', sa.Integer(),
                  sa.ForeignKey('consultations.id', ondelete='CASCADE'), nullable=False),
        sa.Column('occurred_at', sa.DateTime(), nullable=False),
        sa.Column('action', sa.String(length=30), nullable=False),
        sa.Column('actor_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'),
                  nullable=True),
        sa.Column('actor_name', sa.String(length=200), nullable=True),
        sa.Column('detail', sa.String(length=300), nullable=False),
    )
    op.create_index('ix_consultation_events_consultation_id', 'consultation_events',
                    ['consultation_id'])


def downgrade():
    op.drop_index('ix_consultation_events_consultation_id', table_name='consultation_events')
    op.drop_table('consultation_events')
