"""Responses imported from a CSV file: the import batches, checked files waiting for "Import",
and which import brought each response in.

Revision ID: 0025_bulkimport
Revises: 0024_tracker
"""
from alembic import op
import sqlalchemy as sa


revision = '0025_bulkimport'
down_revision = '0024_tracker'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('response_import_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('csv_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_response_import_drafts_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_response_import_drafts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_import_drafts')),
    sa.UniqueConstraint('token', name=op.f('uq_response_import_drafts_token'))
    )
    with op.batch_alter_table('response_import_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_import_drafts_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_response_import_drafts_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_response_import_drafts_user_id'), ['user_id'], unique=False)

    op.create_table('response_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('channel_counts', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_name', sa.String(length=200), nullable=True),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.Column('undone_by_name', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_response_imports_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_response_imports_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_imports'))
    )
    with op.batch_alter_table('response_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_imports_consultation_id'), ['consultation_id'], unique=False)

    # A table of its own, not a column on `responses`: batch mode rebuilds that table on SQLite,
    # and dropping the old one with foreign keys on deletes every answer (ON DELETE CASCADE).
    op.create_table('imported_responses',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['response_imports.id'], name=op.f('fk_imported_responses_import_id_response_imports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_imported_responses_response_id_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', name=op.f('pk_imported_responses'))
    )
    with op.batch_alter_table('imported_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_imported_responses_import_id'), ['import_id'], unique=False)


def downgrade():
    with op.batch_alter_table('imported_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_imported_responses_import_id'))
    op.drop_table('imported_responses')
    with op.batch_alter_table('response_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_imports_consultation_id'))
    op.drop_table('response_imports')
    with op.batch_alter_table('response_import_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_import_drafts_user_id'))
        batch_op.drop_index(batch_op.f('ix_response_import_drafts_created_at'))
        batch_op.drop_index(batch_op.f('ix_response_import_drafts_consultation_id'))
    op.drop_table('response_import_drafts')
