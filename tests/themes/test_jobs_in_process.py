"""Background work without Redis: on its own thread in a web request (IN_PROCESS_JOBS="thread")."""
import threading

import pytest

from app.common import transaction
from app.extensions import db
from app.themes import services


@pytest.fixture()
def threaded(app):
    app.config["IN_PROCESS_JOBS"] = "thread"
    try:
        yield
    finally:
        app.config["IN_PROCESS_JOBS"] = "sync"
        assert transaction.wait_for_jobs(120), "a background thread did not finish"


def test_request_returns_while_its_job_runs_on_another_thread(app, db, threaded):
    release, seen = threading.Event(), {}

    def job(value):
        assert release.wait(30)
        seen.update(value=value, thread=threading.current_thread(), session=db.session())

    with app.test_request_context("/"):
        transaction.after_commit(job, 42)
        transaction.commit()  # returns although the job is still waiting
        assert seen == {}
        request_session = db.session()
    release.set()
    assert transaction.wait_for_jobs(30)
    assert seen["value"] == 42 and seen["thread"] is not threading.current_thread()
    assert seen["session"] is not request_session  # its own app context and session


def test_cli_work_still_runs_before_commit_returns(app, db, threaded):
    seen = []
    with app.app_context():
        transaction.after_commit(seen.append, "done")
        transaction.commit()
    assert seen == ["done"]


def test_analysis_started_from_the_page_finishes_on_its_thread(officer_client, question, threaded):
    reply = officer_client.post(f"/staff/themes/questions/{question.id}/run", data={"themes": "4"})
    assert reply.status_code == 302 and "/staff/themes/analyses/" in reply.headers["Location"]
    assert transaction.wait_for_jobs(120)
    db.session.expire_all()
    analysis = services.latest_analysis(question.id)
    assert analysis.status == "done", analysis.message
    assert len(services.question_themes(question.id)) == 4
    page = officer_client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "The analysis has finished" in page and "This page updates itself" not in page


def test_a_burst_of_requests_shares_a_bounded_pool_of_threads(app, db, threaded):
    release, lock, running, most = threading.Event(), threading.Lock(), [0], [0]

    def job():
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        assert release.wait(30)
        with lock:
            running[0] -= 1

    with app.test_request_context("/"):
        for _ in range(6):
            transaction.after_commit(job)
            transaction.commit()
    assert not transaction.wait_for_jobs(0.5)  # held: still running or queued
    release.set()
    assert transaction.wait_for_jobs(30)
    assert most[0] == app.config["IN_PROCESS_JOB_WORKERS"] == 2  # not 6 threads at once
