"""Statements residents vote on: conversations, statements, anonymous participants, votes,
consented "About you" answers (pseudonymous) and cached opinion-group results.

Revision ID: 0030_deliberation
Revises: 0029_ysywversions
"""
from alembic import op
import sqlalchemy as sa


revision = '0030_deliberation'
down_revision = '0029_ysywversions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deliberation_conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=300), nullable=False),
    sa.Column('residents_may_add', sa.Boolean(), nullable=False),
    sa.Column('results_published_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_deliberation_conversations_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_deliberation_conversations_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliberation_conversations')),
    sa.UniqueConstraint('consultation_id', name=op.f('uq_deliberation_conversations_consultation_id'))
    )
    op.create_table('deliberation_about_you',
    sa.Column('respondent_key', sa.String(length=64), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('age_band', sa.String(length=20), nullable=True),
    sa.Column('disability', sa.String(length=20), nullable=True),
    sa.Column('tenure', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['deliberation_conversations.id'], name=op.f('fk_deliberation_about_you_conversation_id_deliberation_conversations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('respondent_key', name=op.f('pk_deliberation_about_you')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('deliberation_about_you', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliberation_about_you_conversation_id'), ['conversation_id'], unique=False)

    op.create_table('deliberation_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('consented', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['deliberation_conversations.id'], name=op.f('fk_deliberation_participants_conversation_id_deliberation_conversations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliberation_participants'))
    )
    with op.batch_alter_table('deliberation_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliberation_participants_conversation_id'), ['conversation_id'], unique=False)

    op.create_table('deliberation_results',
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['deliberation_conversations.id'], name=op.f('fk_deliberation_results_conversation_id_deliberation_conversations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conversation_id', name=op.f('pk_deliberation_results'))
    )
    op.create_table('deliberation_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('from_resident', sa.Boolean(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('moderated_at', sa.DateTime(), nullable=True),
    sa.Column('moderated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name=op.f('ck_deliberation_statements_status')),
    sa.ForeignKeyConstraint(['conversation_id'], ['deliberation_conversations.id'], name=op.f('fk_deliberation_statements_conversation_id_deliberation_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['moderated_by_id'], ['users.id'], name=op.f('fk_deliberation_statements_moderated_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['deliberation_participants.id'], name=op.f('fk_deliberation_statements_submitted_by_id_deliberation_participants'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliberation_statements'))
    )
    with op.batch_alter_table('deliberation_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliberation_statements_conversation_id'), ['conversation_id'], unique=False)

    op.create_table('deliberation_votes',
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.SmallInteger(), nullable=False),
    sa.Column('voted_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('value IN (-1, 0, 1)', name=op.f('ck_deliberation_votes_value')),
    sa.ForeignKeyConstraint(['participant_id'], ['deliberation_participants.id'], name=op.f('fk_deliberation_votes_participant_id_deliberation_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['statement_id'], ['deliberation_statements.id'], name=op.f('fk_deliberation_votes_statement_id_deliberation_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('participant_id', 'statement_id', name=op.f('pk_deliberation_votes'))
    )
    with op.batch_alter_table('deliberation_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliberation_votes_statement_id'), ['statement_id'], unique=False)



def downgrade():
    with op.batch_alter_table('deliberation_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliberation_votes_statement_id'))

    op.drop_table('deliberation_votes')
    with op.batch_alter_table('deliberation_statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliberation_statements_conversation_id'))

    op.drop_table('deliberation_statements')
    op.drop_table('deliberation_results')
    with op.batch_alter_table('deliberation_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliberation_participants_conversation_id'))

    op.drop_table('deliberation_participants')
    with op.batch_alter_table('deliberation_about_you', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliberation_about_you_conversation_id'))

    op.drop_table('deliberation_about_you')
    op.drop_table('deliberation_conversations')
