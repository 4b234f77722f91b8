"""GOV.UK Notify: texts and letters in the outbox, and residents' UK mobile numbers for texts.

Revision ID: 0022_notify
Revises: 0021_webauthn
"""
from alembic import op
import sqlalchemy as sa


revision = '0022_notify'
down_revision = '0021_webauthn'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbound_emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=6), nullable=False, server_default='email'))
        batch_op.add_column(sa.Column('kind', sa.String(length=40), nullable=False, server_default='default'))
        batch_op.add_column(sa.Column('personalisation', sa.JSON(), nullable=True))
    with op.batch_alter_table('panel_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mobile', sa.String(length=16), nullable=True))
    with op.batch_alter_table('surgery_bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_preference', sa.String(length=5), nullable=False,
                                      server_default='email'))
        batch_op.add_column(sa.Column('mobile', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('surgery_bookings', schema=None) as batch_op:
        batch_op.drop_column('mobile')
        batch_op.drop_column('contact_preference')
    with op.batch_alter_table('panel_members', schema=None) as batch_op:
        batch_op.drop_column('mobile')
    with op.batch_alter_table('outbound_emails', schema=None) as batch_op:
        batch_op.drop_column('personalisation')
        batch_op.drop_column('kind')
        batch_op.drop_column('channel')
