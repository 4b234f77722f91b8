"""The deployment of docs/deploy.md brought up for real: nginx, two gunicorn instances and an
RQ worker on one PostgreSQL database and one Redis (deploy/localstack.py).

These tests need PostgreSQL (two servers can't share an SQLite file the way a council's
servers share a database), nginx and Redis; on SQLite runs they are skipped with that reason.
"""
import os
import shutil

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from deploy.localstack import LocalStack
from tests.conftest import REDIS_TEST_URL, skip_or_fail

DEPLOY_DB = "test_deploy"


def _database_urls():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("the multi-server deployment tests run on the PostgreSQL pass (DATABASE_URL)")
    base = make_url(url.replace("postgres://", "postgresql://", 1))
    return base, base.set(database=DEPLOY_DB)


@pytest.fixture(scope="module")
def deploy_db_url():
    base, deploy = _database_urls()
    if not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        skip_or_fail("the deployment tests need nginx (apt-get install nginx-light)")
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DEPLOY_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DEPLOY_DB}"')
    return deploy.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def stack(deploy_db_url):
    with LocalStack(deploy_db_url, REDIS_TEST_URL.rsplit("/", 1)[0] + "/11") as running:
        yield running


@pytest.fixture(scope="module")
def deploy_engine(deploy_db_url):
    engine = create_engine(deploy_db_url.replace("postgresql://", "postgresql+psycopg://", 1),
                           pool_pre_ping=True)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def consultation_id(stack, deploy_engine):
    """An open consultation with one question of each kind, made through the app's own models."""
    script = (
        "from app.extensions import db\n"
        "from tests import factories\n"
        "print(factories.consultation(status='open', title='Parks for everyone').id)\n")
    return int(stack.python(script).strip().splitlines()[-1])


def count_responses(engine, consultation_id):
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM responses WHERE consultation_id = :c"),
                            {"c": consultation_id}).scalar()
