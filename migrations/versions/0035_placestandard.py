"""Place Standard rounds: which consultation is a round for which place, and which theme each of
its generated questions belongs to.

Revision ID: 0035_placestandard
Revises: 0034_maps
"""
from alembic import op
import sqlalchemy as sa


revision = '0035_placestandard'
down_revision = '0034_maps'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'place_standard_surveys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('ward_id', sa.Integer(), nullable=True),
        sa.Column('place_name', sa.String(length=120), nullable=True),
        sa.Column('round_label', sa.String(length=80), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('consultation_id'),
    )
    with op.batch_alter_table('place_standard_surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_standard_surveys_ward_id'), ['ward_id'], unique=False)
    op.create_table(
        'place_standard_questions',
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('theme', sa.String(length=30), nullable=False),
        sa.Column('part', sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(['question_id'], ['questions.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['survey_id'], ['place_standard_surveys.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('question_id'),
    )
    with op.batch_alter_table('place_standard_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_standard_questions_survey_id'), ['survey_id'], unique=False)


def downgrade():
    with op.batch_alter_table('place_standard_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_standard_questions_survey_id'))
    op.drop_table('place_standard_questions')
    with op.batch_alter_table('place_standard_surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_standard_surveys_ward_id'))
    op.drop_table('place_standard_surveys')
