"""privacy: "About you" and panel equality answers keyed by a pseudonym, not by a person.

about_you loses response_id (and its surrogate id): its key becomes HMAC-SHA256(EQUALITY_KEY,
"response:<id>"). The panel's sex, ethnic_group, disability and tenure move out of panel_members
into panel_equality under HMAC-SHA256(EQUALITY_KEY, "panel-member:<id>"). Draw pools and
probabilities are re-keyed by HMAC-SHA256(EQUALITY_KEY, "draw-member:<id>"); a draw made before
this may no longer re-verify exactly (the lottery orders its pool by key). Existing rows are moved
with the key the app is configured with, so set EQUALITY_KEY before upgrading (and keep it).

Revision ID: 0014_privacy
Revises: 0013_submission_keys
"""
import hashlib
import hmac

from alembic import op
import sqlalchemy as sa
from flask import current_app


revision = '0014_privacy'
down_revision = '0013_submission_keys'
branch_labels = None
depends_on = None

EQUALITY = ['sex', 'ethnic_group', 'disability', 'tenure']
ABOUT = ['age_band'] + EQUALITY + ['ward_id']


def _key(purpose, ident):
    # Frozen copy of app.common.pseudonym.pseudonym, so this migration never changes meaning.
    secret = current_app.config['EQUALITY_KEY']
    return hmac.new(secret.encode(), f"{purpose}:{int(ident)}".encode(), hashlib.sha256).hexdigest()


def _equality_columns():
    return [sa.Column('sex', sa.String(length=20), nullable=True),
            sa.Column('ethnic_group', sa.String(length=40), nullable=True),
            sa.Column('disability', sa.String(length=20), nullable=True),
            sa.Column('tenure', sa.String(length=40), nullable=True)]


def _create_about_you():
    op.create_table(
        'about_you',
        sa.Column('respondent_key', sa.String(length=64), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('age_band', sa.String(length=20), nullable=True),
        *_equality_columns(),
        sa.Column('ward_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'],
                                name=op.f('fk_about_you_consultation_id_consultations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_about_you_ward_id_wards'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('respondent_key', name=op.f('pk_about_you')),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table('about_you', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_about_you_consultation_id'), ['consultation_id'], unique=False)


def upgrade():
    bind = op.get_bind()
    old = sa.table('about_you', sa.column('response_id'), sa.column('consultation_id'),
                   *[sa.column(c) for c in ABOUT])
    rows = [dict(r._mapping) for r in bind.execute(sa.select(old))]
    op.drop_table('about_you')
    _create_about_you()
    new = sa.table('about_you', sa.column('respondent_key'), sa.column('consultation_id'),
                   *[sa.column(c) for c in ABOUT])
    # Shuffled by key order, so the new table's row order doesn't follow the responses'.
    moved = sorted(({'respondent_key': _key('response', r.pop('response_id')), **r} for r in rows),
                   key=lambda r: r['respondent_key'])
    if moved:
        op.bulk_insert(new, moved)

    op.create_table(
        'panel_equality',
        sa.Column('member_key', sa.String(length=64), nullable=False),
        *_equality_columns(),
        sa.PrimaryKeyConstraint('member_key', name=op.f('pk_panel_equality')),
        sqlite_with_rowid=False,
    )
    members = sa.table('panel_members', sa.column('id'), *[sa.column(c) for c in EQUALITY])
    answers = [dict(r._mapping) for r in bind.execute(sa.select(members))]
    answers = sorted(({'member_key': _key('panel-member', r.pop('id')), **r} for r in answers
                      if any(r[c] for c in EQUALITY)), key=lambda r: r['member_key'])
    if answers:
        op.bulk_insert(sa.table('panel_equality', sa.column('member_key'), *[sa.column(c) for c in EQUALITY]),
                       answers)
    with op.batch_alter_table('panel_members', schema=None) as batch_op:
        for column in EQUALITY:
            batch_op.drop_column(column)
    _rekey_draws(lambda k: _key('draw-member', k) if str(k).isdigit() else k)


def _rekey_draws(new_key):
    """Draw pools and probabilities were keyed by member id; now by a pseudonym (and back)."""
    bind = op.get_bind()
    draws = sa.table('panel_draws', sa.column('id'), sa.column('probabilities', sa.JSON),
                     sa.column('pool_snapshot', sa.JSON))
    for row in bind.execute(sa.select(draws.c.id, draws.c.probabilities, draws.c.pool_snapshot)).all():
        bind.execute(draws.update().where(draws.c.id == row.id).values(
            probabilities={new_key(k): v for k, v in (row.probabilities or {}).items()},
            pool_snapshot={new_key(k): v for k, v in (row.pool_snapshot or {}).items()}))


def downgrade():
    bind = op.get_bind()
    member_ids = {_key('draw-member', i): str(i) for (i,) in bind.execute(sa.text('SELECT id FROM panel_members'))}
    _rekey_draws(lambda k: member_ids.get(k, k))
    with op.batch_alter_table('panel_members', schema=None) as batch_op:
        for column in _equality_columns():
            batch_op.add_column(column)
    keys = {_key('panel-member', i): i for (i,) in bind.execute(sa.text('SELECT id FROM panel_members'))}
    members = sa.table('panel_members', sa.column('id'), *[sa.column(c) for c in EQUALITY])
    for row in bind.execute(sa.text('SELECT member_key, sex, ethnic_group, disability, tenure FROM panel_equality')):
        values = dict(row._mapping)
        member_id = keys.get(values.pop('member_key'))
        if member_id is not None:
            bind.execute(members.update().where(members.c.id == member_id).values(**values))
    op.drop_table('panel_equality')

    responses = {_key('response', i): i for (i,) in bind.execute(sa.text('SELECT id FROM responses'))}
    current = sa.table('about_you', sa.column('respondent_key'), sa.column('consultation_id'),
                       *[sa.column(c) for c in ABOUT])
    rows = [dict(r._mapping) for r in bind.execute(sa.select(current))]
    op.drop_table('about_you')
    op.create_table(
        'about_you',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('age_band', sa.String(length=20), nullable=True),
        *_equality_columns(),
        sa.Column('ward_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'],
                                name=op.f('fk_about_you_consultation_id_consultations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_about_you_response_id_responses'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_about_you_ward_id_wards'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_about_you')),
        sa.UniqueConstraint('response_id', name=op.f('uq_about_you_response_id')),
    )
    with op.batch_alter_table('about_you', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_about_you_consultation_id'), ['consultation_id'], unique=False)
    old = sa.table('about_you', sa.column('response_id'), sa.column('consultation_id'),
                   *[sa.column(c) for c in ABOUT])
    back = []
    for r in rows:
        response_id = responses.get(r.pop('respondent_key'))
        if response_id is not None:  # rows made under another key can't be placed: dropped
            back.append({'response_id': response_id, **r})
    if back:
        op.bulk_insert(old, back)
