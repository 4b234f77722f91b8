"""Time a ward page and the ward index on a throwaway SQLite database, and count their SQL
queries: `python bench/ward_pages.py [wards]`.

Builds N wards (default 30), each with a councillor, 3 upcoming surgeries, 25 updates, and
3 ward-only consultations (one with a published "You said, we did" page pointing to 4 actions),
plus 5 borough-wide consultations and 60 partners each listed in 5 wards. Prints the best of 5
runs and the number of queries per page.
"""
import os
import sys
import tempfile
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from app import create_app  # noqa: E402
from config import TestConfig  # noqa: E402


def build(count):
    from app.accounts.models import User
    from app.actions.models import Action, ActionPlan, ProgressUpdate, ThemeResponse, YouSaidWeDid
    from app.common.timeutil import utcnow
    from app.consultations.models import Consultation
    from app.extensions import db
    from app.surgeries.models import Surgery, Venue
    from app.wards.models import Partner, Ward
    from app.wards.updates import post

    now = utcnow()
    wards = [Ward(name=f"Ward {i}", slug=f"ward-{i}") for i in range(count)]
    db.session.add_all(wards)
    plan = ActionPlan(title="Plan")
    db.session.add(plan)
    officer = User(email="officer@example.org", name="Officer", role="officer")
    db.session.add(officer)
    db.session.flush()
    for i in range(5):
        db.session.add(Consultation(title=f"Borough {i}", opens_at=now - timedelta(days=1),
                                    closes_at=now + timedelta(days=20 + i), launched_at=now))
    for i in range(60):
        db.session.add(Partner(name=f"Partner {i}", description="What they do. " * 10, website="https://p.example.org",
                               contact="0300 555 0100", wards=[wards[(i + k) % count] for k in range(5)]))
    for n, ward in enumerate(wards):
        councillor = User(email=f"cllr{n}@example.org", name=f"Councillor {n}", role="councillor", ward=ward)
        venue = Venue(name=f"Hall {n}", address="1 Street", ward=ward)
        db.session.add_all([councillor, venue])
        for d in range(3):
            start = now + timedelta(days=7 * (d + 1))
            db.session.add(Surgery(ward=ward, venue=venue, host=councillor, starts_at=start,
                                   ends_at=start + timedelta(hours=2), kind="drop_in"))
        for k in range(3):
            closed = k == 0
            c = Consultation(title=f"{ward.name} consultation {k}", borough_wide=False, wards=[ward], launched_at=now,
                             opens_at=now - timedelta(days=40 if closed else 1),
                             closes_at=now - timedelta(days=5) if closed else now + timedelta(days=10 + k))
            db.session.add(c)
            if closed:
                page = YouSaidWeDid(consultation=c, published_at=now)
                for a in range(4):
                    action = Action(plan=plan, title=f"Action {n}.{a}", number=f"{n}.{a}", position=n * 4 + a)
                    action.updates.append(ProgressUpdate(update_date=date(2026, 1, 1), text="Going", percent=40))
                    page.responses.append(ThemeResponse(kind="we_are_doing", text="Doing it", action=action))
                db.session.add(page)
        db.session.flush()
        for u in range(25):
            post(ward, councillor, f"Update {u}", "Some news for the ward. " * 20, None)
    db.session.commit()


def main(count: int):
    path = os.path.join(tempfile.mkdtemp(), "bench.sqlite3")

    class Settings(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"
        RATELIMIT_ENABLED = False

    app = create_app(Settings)
    with app.app_context():
        from flask_migrate import upgrade
        from sqlalchemy import event

        from app.extensions import db

        upgrade()
        build(count)
        engine = db.engine
    client = app.test_client()
    seen = []
    event.listen(engine, "before_cursor_execute", lambda *args: seen.append(1))

    print(f"Wards: {count} (25 updates, 3 surgeries, 3 ward consultations, 4 linked actions each; "
          "60 partners in 5 wards each; 5 borough-wide consultations)")
    for label, url in [("Ward index /wards", "/wards"), ("Ward page", f"/wards/ward-{count // 2}"),
                       ("Ward page, older updates", f"/wards/ward-{count // 2}?page=2")]:
        best = None
        for _ in range(5):
            seen.clear()
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, (url, response.status_code)
            best = elapsed if best is None else min(best, elapsed)
        print(f"  {label:<28} {best * 1000:8.1f} ms  {len(seen):3d} queries")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
