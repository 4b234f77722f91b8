"""Ward pages: partner organisations (listed against wards) and short ward updates.

Revision ID: 0023_wardpages
Revises: 0022_notify
"""
from alembic import op
import sqlalchemy as sa


revision = '0023_wardpages'
down_revision = '0022_notify'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'partners',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('name', sa.String(length=160), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('website', sa.String(length=300), nullable=False),
        sa.Column('contact', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('name', name='uq_partners_name'),
    )
    op.create_table(
        'partner_wards',
        sa.Column('partner_id', sa.Integer(), sa.ForeignKey('partners.id', ondelete='CASCADE'),
                  primary_key=True),
        sa.Column('ward_id', sa.Integer(), sa.ForeignKey('wards.id', ondelete='CASCADE'), primary_key=True),
    )
    op.create_index('ix_partner_wards_ward_id', 'partner_wards', ['ward_id'])
    op.create_table(
        'ward_updates',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('ward_id', sa.Integer(), sa.ForeignKey('wards.id', ondelete='CASCADE'), nullable=False),
        sa.Column('author_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'), nullable=True),
        sa.Column('author_name', sa.String(length=200), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('link', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
    )
    op.create_index('ix_ward_updates_ward_id', 'ward_updates', ['ward_id'])
    op.create_index('ix_ward_updates_author_id', 'ward_updates', ['author_id'])
    op.create_index('ix_ward_updates_created_at', 'ward_updates', ['created_at'])


def downgrade():
    op.drop_table('ward_updates')
    op.drop_index('ix_partner_wards_ward_id', table_name='partner_wards')
    op.drop_table('partner_wards')
    op.drop_table('partners')
