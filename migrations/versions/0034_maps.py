"""Map questions: where each place marked in answer to one is (a pin, or a ward for a place
described in words). The place's comment is its answer's text.

Revision ID: 0034_maps
Revises: 0033_tenants
"""
from alembic import op
import sqlalchemy as sa


revision = '0034_maps'
down_revision = '0033_tenants'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'map_places',
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('ward_id', sa.Integer(), nullable=True),
        sa.Column('lat', sa.Float(), nullable=True),
        sa.Column('lng', sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('answer_id'),
    )
    with op.batch_alter_table('map_places', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_map_places_ward_id'), ['ward_id'], unique=False)


def downgrade():
    with op.batch_alter_table('map_places', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_map_places_ward_id'))
    op.drop_table('map_places')
