"""The schema built by the Alembic migrations matches the models exactly."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db as _db


def test_models_and_migrations_agree(db):
    with _db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, _db.metadata)
    assert differences == [], "Run `flask db migrate`: models and migrations differ:\n" + \
        "\n".join(map(str, differences))
