"""The analysis job through a real RQ worker and Redis (skipped when Redis is not running)."""
import os

import pytest

from app.common import jobs
from app.common.transaction import commit
from app.extensions import db
from app.themes import services
from app.themes.models import ThemeAnalysis

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture()
def redis_queue(app):
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue

    connection = Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except RedisError as exc:
        pytest.skip(f"Redis is not answering at {REDIS_TEST_URL} ({exc}); set REDIS_TEST_URL to run this test.")
    queue = Queue("default", connection=connection)
    queue.empty()
    app.config["REDIS_URL"] = REDIS_TEST_URL
    jobs.use_app(app)
    try:
        yield queue
    finally:
        app.config["REDIS_URL"] = None
        jobs.use_app(None)
        queue.empty()


def test_analysis_runs_on_a_real_rq_worker(redis_queue, question):
    from rq import SimpleWorker

    analysis = services.start_analysis(question, 4, 0)
    commit()
    assert len(redis_queue) == 1
    assert db.session.get(ThemeAnalysis, analysis.id).status == "queued"  # nothing ran in-process
    SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)
    db.session.expire_all()
    done = db.session.get(ThemeAnalysis, analysis.id)
    assert done.status == "done", done.message
    assert len(services.question_themes(question.id)) == 4
