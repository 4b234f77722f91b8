"""Time the shared-goals results page on a throwaway SQLite database:
`python bench/tracker_results.py [answers per round]`.

Seeds two closed rounds the way the demo does (default 5,000 answers each, with "About you"),
then prints how long the results computation (overall, by ward, by group through the pseudonyms,
over time) and the whole public results page take.
"""
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from app import create_app  # noqa: E402
from config import TestConfig  # noqa: E402


def main(count: int):
    path = os.path.join(tempfile.mkdtemp(), "bench.sqlite3")

    class Settings(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"
        WTF_CSRF_ENABLED = False
        RATELIMIT_ENABLED = False

    app = create_app(Settings)
    with app.app_context():
        import random
        from datetime import timedelta

        from flask_migrate import upgrade

        from app.common.transaction import commit
        from app.demo import loader
        from app.tracker import demo, services
        from app.tracker.models import london_today
        from app.wards.models import Ward

        upgrade()
        loader.load_base()
        wards = Ward.query.order_by(Ward.name).all()
        rng = random.Random(1)
        today = london_today()
        rounds = []
        for which, years_ago in enumerate((2, 1)):
            closes = today - timedelta(days=365 * years_ago)
            r = services.create_round(f"Round {which + 1}", closes - timedelta(days=40), closes)
            started = time.perf_counter()
            demo._seed_answers(r, count, which, wards, rng)
            commit()
            print(f"seeded {count} answers in {time.perf_counter() - started:.2f}s")
            rounds.append(r)
        started = time.perf_counter()
        found = services.round_results(rounds[1])
        services.over_time(rounds)
        print(f"results (overall, {len(found.by_ward.rows)} wards, 3 groups, over time): "
              f"{1000 * (time.perf_counter() - started):.0f} ms")
        client = app.test_client()
        client.get(f"/shared-goals/{rounds[1].id}/results")  # warm the templates
        from app.tracker import charts

        started = time.perf_counter()
        history = services.over_time(rounds)
        charts.comparison_chart("x", found.overall, services.benchmarks())
        charts.ward_chart("x", found.by_ward)
        charts.over_time_chart("x", history)
        print(f"the three charts: {1000 * (time.perf_counter() - started):.0f} ms")
        started = time.perf_counter()
        response = client.get(f"/shared-goals/{rounds[1].id}/results")
        print(f"public results page: {1000 * (time.perf_counter() - started):.0f} ms, "
              f"{len(response.data) // 1024} KiB, status {response.status_code}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
