"""The draw runs as a background job: queued, running, done or failed, with a status page that
survives a reload and refreshes itself without <meta refresh>."""
import os

import pytest

from app.common import jobs
from app.common.transaction import commit
from app.extensions import db
from app.panel import draws
from app.panel.models import Draw
from tests.panel.conftest import member


def _pool(n=12):
    return [member(age_band="18_24" if i % 2 else "65_74") for i in range(n)]


def test_status_page_while_queued_then_the_result(db, officer, officer_client):
    _pool()
    draw = draws.create_draw("Jury", 4, {"age_band": {"18_24": (2, 2)}}, 5, True, officer)
    db.session.commit()  # a plain commit does not start the job: it stays queued, as on a busy worker
    page = officer_client.get(f"/staff/panel/draws/{draw.id}").get_data(as_text=True)
    assert "Drawing the group for Jury" in page and "Waiting to start" in page
    assert 'http-equiv="refresh"' not in page
    assert "window.location.reload()" in page and 'id="refresh-link"' in page
    nonce = officer_client.get(f"/staff/panel/draws/{draw.id}").headers["Content-Security-Policy"]
    assert "'nonce-" in nonce
    quiet = officer_client.get(f"/staff/panel/draws/{draw.id}?refresh=off").get_data(as_text=True)
    assert "window.location.reload()" not in quiet and 'id="refresh-link"' in quiet
    # Nothing to act on until it has finished.
    assert officer_client.post(f"/staff/panel/draws/{draw.id}/invite", data={"details": "x"}).status_code == 404
    assert "Waiting to start" in officer_client.get("/staff/panel/draws").get_data(as_text=True)

    draws.run_draw(draw.id)
    db.session.expire_all()
    done = db.session.get(Draw, draw.id)
    assert done.status == "done" and done.progress == 100 and len(done.selections) == 4
    assert done.probability_bound >= done.probability_min > 0 and done.seconds is not None
    page = officer_client.get(f"/staff/panel/draws/{draw.id}").get_data(as_text=True)
    assert "People drawn" in page and "window.location.reload()" not in page
    draws.run_draw(draw.id)  # a second delivery of the job changes nothing
    assert len(db.session.get(Draw, draw.id).selections) == 4


def test_quotas_that_no_longer_fit_fail_with_a_clear_message(db, officer, officer_client):
    people = _pool()
    draw = draws.create_draw("Jury", 4, {"age_band": {"18_24": (3, 3)}}, 5, True, officer)
    db.session.commit()
    for person in people:  # the young members pause before the job runs
        if person.age_band == "18_24":
            person.pause()
    db.session.commit()
    draws.run_draw(draw.id)
    db.session.expire_all()
    failed = db.session.get(Draw, draw.id)
    assert failed.status == "failed" and not failed.selections
    assert "Only 0 members in Age: 18 to 24 can be drawn, but the minimum is 3." in failed.message
    response = officer_client.get(f"/staff/panel/draws/{draw.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "The group was not drawn" in page and "minimum is 3" in page
    assert "window.location.reload()" not in page
    assert "Failed" in officer_client.get("/staff/panel/draws").get_data(as_text=True)


def test_an_unexpected_error_is_recorded_not_raised(db, officer, officer_client):
    _pool()
    draw = draws.create_draw("Jury", 4, {}, 5, True, officer)
    draw.seed = "not a number"  # corrupt the stored input: the job must fail cleanly
    db.session.commit()
    draws.run_draw(draw.id)
    db.session.expire_all()
    failed = db.session.get(Draw, draw.id)
    assert failed.status == "failed" and "Something went wrong" in failed.message
    assert officer_client.get(f"/staff/panel/draws/{draw.id}").status_code == 200


def test_posting_a_draw_redirects_to_its_page(officer_client):
    _pool()
    response = officer_client.post("/staff/panel/draws/new", data={"title": "Jury", "size": "4", "seed": "3",
                                                                    "one_per_household": "y"})
    assert response.status_code == 302
    draw = Draw.query.one()
    assert response.headers["Location"].endswith(f"/staff/panel/draws/{draw.id}")
    assert draw.status == "done"  # no REDIS_URL: ran in-process right after the commit




def test_draw_runs_on_a_real_rq_worker(redis_queue, officer):
    from rq import SimpleWorker

    _pool()
    draw = draws.create_draw("Jury", 4, {"age_band": {"18_24": (2, 2)}}, 8, True, officer)
    commit()
    assert len(redis_queue) == 1
    assert db.session.get(Draw, draw.id).status == "queued"  # nothing ran in-process
    SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)
    db.session.expire_all()
    done = db.session.get(Draw, draw.id)
    assert done.status == "done", done.message
    assert len(done.selections) == 4
