"""Shared-goal tracker: survey rounds, anonymous answers, pseudonymous "About you" and national benchmarks.

Revision ID: 0024_tracker
Revises: 0023_wardpages
"""
from alembic import op
import sqlalchemy as sa


revision = '0024_tracker'
down_revision = '0023_wardpages'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tracker_rounds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('opens_on', sa.Date(), nullable=False),
        sa.Column('closes_on', sa.Date(), nullable=False),
        sa.Column('closed_early_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('closes_on >= opens_on', name='ck_tracker_rounds_dates'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )
    op.create_table(
        'tracker_responses',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('ward_id', sa.Integer(), nullable=False),
        sa.Column('submitted_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['tracker_rounds.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('tracker_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tracker_responses_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tracker_responses_ward_id'), ['ward_id'], unique=False)
    op.create_table(
        'tracker_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.Column('indicator', sa.String(length=40), nullable=False),
        sa.Column('answer', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['response_id'], ['tracker_responses.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('response_id', 'indicator', name='uq_tracker_answers_response_indicator'),
    )
    with op.batch_alter_table('tracker_answers', schema=None) as batch_op:
        batch_op.create_index('ix_tracker_answers_indicator_answer', ['indicator', 'answer'], unique=False)
    op.create_table(
        'tracker_about_you',
        sa.Column('respondent_key', sa.String(length=64), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('age_band', sa.String(length=20), nullable=True),
        sa.Column('disability', sa.String(length=20), nullable=True),
        sa.Column('tenure', sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(['round_id'], ['tracker_rounds.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('respondent_key'),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table('tracker_about_you', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tracker_about_you_round_id'), ['round_id'], unique=False)
    op.create_table(
        'tracker_benchmarks',
        sa.Column('indicator', sa.String(length=40), nullable=False),
        sa.Column('percent', sa.Numeric(precision=4, scale=1), nullable=False),
        sa.Column('year', sa.String(length=20), nullable=False),
        sa.Column('source', sa.String(length=200), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('indicator'),
    )


def downgrade():
    op.drop_table('tracker_benchmarks')
    with op.batch_alter_table('tracker_about_you', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tracker_about_you_round_id'))
    op.drop_table('tracker_about_you')
    with op.batch_alter_table('tracker_answers', schema=None) as batch_op:
        batch_op.drop_index('ix_tracker_answers_indicator_answer')
    op.drop_table('tracker_answers')
    with op.batch_alter_table('tracker_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tracker_responses_ward_id'))
        batch_op.drop_index(batch_op.f('ix_tracker_responses_round_id'))
    op.drop_table('tracker_responses')
    op.drop_table('tracker_rounds')
