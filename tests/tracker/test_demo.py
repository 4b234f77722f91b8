"""The tracker demo: two closed rounds with a few hundred answers each, an open round, benchmarks."""
from app.demo import loader
from app.extensions import db as _db
from app.tracker import demo, services
from app.tracker.models import TrackerBenchmark, TrackerResponse, TrackerRound


def test_demo_has_two_closed_rounds_to_compare_and_one_open(client):
    loader.load_base()
    lines = demo.load(loader.DATA_DIR)
    _db.session.commit()
    assert any("Shared goals tracker" in line for line in lines)
    rounds = sorted(TrackerRound.query.all(), key=lambda r: r.opens_on)
    assert [r.status() for r in rounds] == ["closed", "closed", "open"]
    assert all(r.responses.count() >= 300 for r in rounds[:2])
    assert {b.indicator for b in TrackerBenchmark.query} == {"belonging", "cohesion", "influence"}

    found = services.round_results(rounds[1])
    assert any(cells["belonging"].suppressed for _, cells in found.by_ward.rows)  # the small ward
    assert all(found.overall[code].percent is not None for code in found.overall)
    page = client.get(f"/shared-goals/{rounds[1].id}/results").get_data(as_text=True)
    assert rounds[0].name in page and "61% (2023/24)" in page

    # Running it again duplicates nothing.
    count = TrackerResponse.query.count()
    assert demo.load(loader.DATA_DIR) == []
    _db.session.commit()
    assert TrackerResponse.query.count() == count and TrackerRound.query.count() == 3
