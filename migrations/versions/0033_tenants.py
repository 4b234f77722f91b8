"""Tenant voice: tenant perception surveys, what each of their questions measures, Tenant Board reviews.

New tables only (the Tenant Board role is a value of users.role, which needs no change).

Revision ID: 0033_tenants
Revises: 0032_conversations
"""
from alembic import op
import sqlalchemy as sa


revision = '0033_tenants'
down_revision = '0032_conversations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tenant_surveys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('consultation_id'),
    )
    op.create_table(
        'tenant_survey_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('key', sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(['question_id'], ['questions.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['survey_id'], ['tenant_surveys.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('question_id'),
    )
    op.create_index('ix_tenant_survey_items_survey_id', 'tenant_survey_items', ['survey_id'])
    op.create_table(
        'tenant_board_reviews',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=True),
        sa.Column('plan_title', sa.String(length=200), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('signed_off', sa.Boolean(), nullable=False),
        sa.Column('reviewer_id', sa.Integer(), nullable=True),
        sa.Column('reviewer_name', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['plan_id'], ['action_plans.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['survey_id'], ['tenant_surveys.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_tenant_board_reviews_survey_id', 'tenant_board_reviews', ['survey_id'])


def downgrade():
    op.drop_index('ix_tenant_board_reviews_survey_id', table_name='tenant_board_reviews')
    op.drop_table('tenant_board_reviews')
    op.drop_index('ix_tenant_survey_items_survey_id', table_name='tenant_survey_items')
    op.drop_table('tenant_survey_items')
    op.drop_table('tenant_surveys')
