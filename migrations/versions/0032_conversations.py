"""Group conversations: hosts, their records of what was said, and flipchart photos.

New tables only (nothing on `responses` changes: a record points at the response it became).
The "group" channel is a new value in responses.channel (String(10)), so no column changes.

Revision ID: 0032_conversations
Revises: 0031_questionkinds
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0032_conversations'
down_revision = '0031_questionkinds'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('conversation_hosts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decline_reason', sa.String(length=1000), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('link_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_conversation_hosts_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_conversation_hosts_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_conversation_hosts_topic_id_topics'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_hosts'))
    )
    with op.batch_alter_table('conversation_hosts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_hosts_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_hosts_email'), ['email'], unique=False)

    op.create_table('conversation_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('tallies', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('officer_note', sa.String(length=1000), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('response_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('participants > 0', name=op.f('ck_conversation_records_conversation_has_people')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_conversation_records_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_conversation_records_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['host_id'], ['conversation_hosts.id'], name=op.f('fk_conversation_records_host_id_conversation_hosts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_conversation_records_response_id_responses'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_records')),
    sa.UniqueConstraint('response_id', name=op.f('uq_conversation_records_response_id'))
    )
    with op.batch_alter_table('conversation_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_records_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_records_host_id'), ['host_id'], unique=False)

    op.create_table('conversation_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=40), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['conversation_records.id'], name=op.f('fk_conversation_photos_record_id_conversation_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_photos')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_conversation_photos_stored_name'))
    )
    with op.batch_alter_table('conversation_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_photos_record_id'), ['record_id'], unique=False)

    op.create_table('conversation_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('question_text', sa.String(length=500), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], name=op.f('fk_conversation_entries_answer_id_answers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_conversation_entries_question_id_questions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['record_id'], ['conversation_records.id'], name=op.f('fk_conversation_entries_record_id_conversation_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_entries')),
    sa.UniqueConstraint('answer_id', name=op.f('uq_conversation_entries_answer_id'))
    )
    with op.batch_alter_table('conversation_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_entries_record_id'), ['record_id'], unique=False)



def downgrade():
    with op.batch_alter_table('conversation_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_entries_record_id'))

    op.drop_table('conversation_entries')
    with op.batch_alter_table('conversation_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_photos_record_id'))

    op.drop_table('conversation_photos')
    with op.batch_alter_table('conversation_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_records_host_id'))
        batch_op.drop_index(batch_op.f('ix_conversation_records_consultation_id'))

    op.drop_table('conversation_records')
    with op.batch_alter_table('conversation_hosts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_hosts_email'))
        batch_op.drop_index(batch_op.f('ix_conversation_hosts_consultation_id'))

    op.drop_table('conversation_hosts')
