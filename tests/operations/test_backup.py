"""The restore drill: back up, lose the database, restore, and the app serves the same data.

Runs on whichever database the suite runs on (SQLite file or PostgreSQL with pg_dump/pg_restore).
"""
import os

from sqlalchemy import text

from app.extensions import db as _db
from tests import factories
from tests.conftest import _reset_schema


def _wipe(app):
    """Lose everything, as a failed disk or a bad migration would."""
    _db.session.remove()
    engine = _db.engine
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        else:
            tables = [r[0] for r in conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"))]
            conn.execute(text("PRAGMA foreign_keys=OFF"))
            for table in tables:
                conn.execute(text(f'DROP TABLE "{table}"'))
    engine.dispose()


def test_backup_then_restore_serves_the_same_data(app, db, client, tmp_path):
    consultation = factories.consultation(status="open", title="Library opening hours")
    page_before = client.get(f"/consultations/{consultation.id}")
    assert page_before.status_code == 200 and "Library opening hours" in page_before.get_data(as_text=True)
    runner = app.test_cli_runner()

    made = runner.invoke(args=["backup", "--to", str(tmp_path), "--keep", "3"])
    assert made.exit_code == 0, made.output
    (backup_file,) = list(tmp_path.iterdir())
    assert oct(os.stat(backup_file).st_mode & 0o777) == "0o600"

    _wipe(app)
    try:
        _restore_and_check(app, client, runner, backup_file, consultation.id)
    finally:
        with _db.engine.connect() as conn:
            if "consultations" not in _db.inspect(conn).get_table_names():
                _reset_schema(app)  # a failed drill must not take the rest of the suite with it


def _restore_and_check(app, client, runner, backup_file, consultation_id):
    refused = runner.invoke(args=["restore", str(backup_file)])
    assert refused.exit_code != 0 and "--yes" in refused.output

    restored = runner.invoke(args=["restore", str(backup_file), "--yes"])
    assert restored.exit_code == 0, restored.output
    page_after = client.get(f"/consultations/{consultation_id}")
    assert page_after.status_code == 200
    assert "Library opening hours" in page_after.get_data(as_text=True)
    with app.app_context():
        assert _db.session.scalar(text("SELECT version_num FROM alembic_version"))


def test_keep_prunes_older_backups(app, db, tmp_path):
    from datetime import datetime, timezone

    from app.operations import backup as backups

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    for hour in range(4):
        backups.backup(url, tmp_path, now=datetime(2026, 1, 1, hour, tzinfo=timezone.utc))
    removed = backups.prune(tmp_path, keep=2)
    assert [p.name.split(".")[0] for p in removed] == [
        "have-your-say-20260101T000000Z", "have-your-say-20260101T010000Z"]
    assert len(list(tmp_path.iterdir())) == 2


def test_restore_refuses_a_missing_file(app, db, tmp_path):
    result = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "nope.dump"), "--yes"])
    assert result.exit_code != 0 and "no backup file" in result.output
