"""Time the action-plan pages on a throwaway SQLite database: `python bench/actions_bench.py [actions]`.

Prints how long it takes to check and import a CSV plan, render the public dashboard, the scrutiny
report (page and CSV) and a page of the API, with N actions (default 300), each with 4 milestones
and 3 updates.
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
        from flask_migrate import upgrade

        from app.accounts.models import User
        from app.actions import importer
        from app.actions.models import ProgressUpdate
        from app.common.transaction import commit
        from app.extensions import db
        from datetime import date

        upgrade()
        officer = User(email="bench@example.org", name="Bench", role="officer")
        officer.set_password("bench-password-123")
        db.session.add(officer)
        commit()
        rows = ["Objective,Action,How will we know we have achieved it?,Key milestones,Timescale"]
        for i in range(count):
            rows.append(f'"Objective {i % 12}","{i // 10 + 1}.{i % 10 + 1}.{i} Action {i}. Description of action {i}.",'
                        f'"Measure {i}","April to June 2025: step one; July to September 2026: step two; '
                        f'January to March 2027: step three; Spring 2028: step four",2025 to 2028')
        text = "\n".join(rows) + "\n"
        start = time.perf_counter()
        result = importer.parse_plan_csv(text)
        parse = time.perf_counter() - start
        assert result.ok, result.problems[:3]
        start = time.perf_counter()
        plan = importer.import_plan("Bench plan", result)
        for a in plan.actions:
            for d in range(3):
                db.session.add(ProgressUpdate(action=a, update_date=date(2026, 1 + d * 3, 1), text="Update", percent=d * 30))
        commit()
        imported = time.perf_counter() - start

    client = app.test_client()
    client.post("/sign-in", data={"email": "bench@example.org", "password": "bench-password-123"})

    def timed(url, repeat=3):
        best = None
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, (url, response.status_code)
            best = elapsed if best is None else min(best, elapsed)
        return best

    print(f"Actions: {count} (4 milestones, 3 updates each)")
    print(f"  CSV check ({len(text) // 1024} KB):      {parse * 1000:8.1f} ms")
    print(f"  Import and save:           {imported * 1000:8.1f} ms")
    for label, url in [("Public dashboard /progress", "/progress"),
                       ("Scrutiny report page", "/staff/actions/report?date_from=2025-01-01&date_to=2026-12-31"),
                       ("Scrutiny report CSV", "/staff/actions/report.csv?date_from=2025-01-01&date_to=2026-12-31"),
                       ("API /api/v1/actions (100)", "/api/v1/actions?per_page=100"),
                       ("Public action page", "/actions/1")]:
        print(f"  {label:<27}{timed(url) * 1000:8.1f} ms (best of 3)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
