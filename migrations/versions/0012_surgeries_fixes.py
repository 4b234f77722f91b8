"""surgeries: venue names unique whatever their case; bookings flagged for a phone call.

Revision ID: 0012_surgeries_fixes
Revises: 0011_panel_fixes
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_surgeries_fixes'
down_revision = '0011_panel_fixes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('surgery_bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs_call', sa.Boolean(), server_default=sa.false(), nullable=False))
    # An expression index works on both SQLite and PostgreSQL (a plain unique constraint would
    # let "Civic Centre" and "civic centre" both in).
    op.create_index('uq_surgery_venues_name_lower', 'surgery_venues', [sa.text('lower(name)')], unique=True)


def downgrade():
    op.drop_index('uq_surgery_venues_name_lower', table_name='surgery_venues')
    with op.batch_alter_table('surgery_bookings', schema=None) as batch_op:
        batch_op.drop_column('needs_call')
