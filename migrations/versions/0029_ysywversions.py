"""You said, we did: versions of a published page, with a public note of what changed

Pages published before this migration get a version 1 marked as not kept ({"kept": false}):
their state at publication was not recorded, and the page says so rather than invent it.

Revision ID: 0029_ysywversions
Revises: 0028_heldmail
"""
from alembic import op
import sqlalchemy as sa


revision = '0029_ysywversions'
down_revision = '0028_heldmail'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'ysyw_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('page_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.Column('content', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['page_id'], ['ysyw_pages.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('page_id', 'number'),
    )
    with op.batch_alter_table('ysyw_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ysyw_versions_page_id'), ['page_id'], unique=False)
    pages = sa.table('ysyw_pages', sa.column('id', sa.Integer), sa.column('published_at', sa.DateTime),
                     sa.column('published_by_id', sa.Integer))
    versions = sa.table('ysyw_versions', sa.column('page_id', sa.Integer), sa.column('number', sa.Integer),
                        sa.column('note', sa.String), sa.column('content', sa.JSON),
                        sa.column('created_at', sa.DateTime), sa.column('created_by_id', sa.Integer))
    bind = op.get_bind()
    rows = bind.execute(sa.select(pages.c.id, pages.c.published_at, pages.c.published_by_id)
                        .where(pages.c.published_at.is_not(None))).all()
    if rows:
        op.bulk_insert(versions, [{"page_id": r.id, "number": 1, "note": "Published",
                                   "content": {"kept": False}, "created_at": r.published_at,
                                   "created_by_id": r.published_by_id} for r in rows])


def downgrade():
    with op.batch_alter_table('ysyw_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ysyw_versions_page_id'))
    op.drop_table('ysyw_versions')
