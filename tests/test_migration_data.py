"""Upgrading a database that holds data keeps every row. On SQLite, batch migrations rebuild a
table by copying it and dropping the old one; with foreign keys on, that DROP once cascade-deleted
child rows (0013_submission_keys rebuilt `responses`, taking every answer with it)."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app.extensions import db as _db

BEFORE = "0012_surgeries_fixes"  # 0013 rebuilds `responses` on SQLite


def _count(conn, table):
    return conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()


def test_answers_survive_the_responses_table_being_rebuilt(db):
    _db.session.remove()
    try:
        downgrade(revision=BEFORE)
        with _db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO consultations (id, title, summary, body, borough_wide, audience_tags, opens_at, "
                "closes_at, launched_at, created_at, updated_at) VALUES (1, 'Parks', '', '', true, '[]', "
                "'2026-01-01', '2026-02-01', '2026-01-01', '2026-01-01', '2026-01-01')"))
            conn.execute(text("INSERT INTO questions (id, consultation_id, kind, text, hint, required, position) "
                              "VALUES (1, 1, 'free_text', 'Why?', '', false, 0)"))
            conn.execute(text("INSERT INTO responses (id, consultation_id, reference, channel, submitted_at, "
                              "keep_informed) VALUES (1, 1, 'ABCD-EFGH', 'online', '2026-01-02', false)"))
            conn.execute(text("INSERT INTO answers (response_id, question_id, text) "
                              "VALUES (1, 1, 'More bins')"))
        upgrade()
        with _db.engine.connect() as conn:
            assert [_count(conn, t) for t in ("consultations", "questions", "responses", "answers")] == [1, 1, 1, 1]
    finally:
        upgrade()
        with _db.engine.begin() as conn:  # leave the tables as the db fixture expects them
            for table in ("answers", "responses", "questions", "consultations"):
                conn.execute(text(f"DELETE FROM {table}"))
