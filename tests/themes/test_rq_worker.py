"""The analysis job through a real RQ worker and Redis (skipped when Redis is not running)."""
import os

import pytest

from app.common import jobs
from app.common.transaction import commit
from app.extensions import db
from app.themes import services
from app.themes.models import ThemeAnalysis



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
