"""Migration 0026_planundo keeps existing plans, actions, milestones and updates, and leaves them
public, both ways (SQLite rebuilds tables in batch mode, which once cascade-deleted every action)."""
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app.extensions import db as _db

REVISION = "0026_planundo"
TABLES = ("action_plans", "actions", "action_milestones", "action_updates")


def _before():
    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_revision(REVISION).down_revision


def _counts(conn):
    return [conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in TABLES]


def test_existing_rows_survive_the_migration_and_stay_published(db):
    _db.session.remove()
    try:
        downgrade(revision=_before())
        with _db.engine.begin() as conn:
            conn.execute(text("INSERT INTO action_plans (id, title, summary, created_at) "
                              "VALUES (1, 'Old plan', '', '2026-01-01')"))
            conn.execute(text("INSERT INTO actions (id, plan_id, position, priority, objective, number, title, "
                              "description, how_we_will_know, lead_officer, timescale, status, created_at) "
                              "VALUES (1, 1, 0, '', '', '1', 'Old action', '', '', '', '', 'not_started', '2026-01-01')"))
            conn.execute(text("INSERT INTO action_milestones (action_id, title, period_text) VALUES (1, 'M', '')"))
            conn.execute(text("INSERT INTO action_updates (action_id, update_date, text, created_at) "
                              "VALUES (1, '2026-02-01', 'Started', '2026-02-01')"))
        upgrade(revision=REVISION)
        with _db.engine.connect() as conn:
            assert _counts(conn) == [1, 1, 1, 1]
            for table in TABLES:
                assert conn.execute(text(f"SELECT published FROM {table}")).scalar() in (True, 1), table
        downgrade(revision=_before())
        with _db.engine.connect() as conn:
            assert _counts(conn) == [1, 1, 1, 1]
    finally:
        upgrade()
        with _db.engine.begin() as conn:  # leave the tables as the db fixture expects them
            for table in reversed(TABLES):
                conn.execute(text(f"DELETE FROM {table}"))
