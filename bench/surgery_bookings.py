"""100 residents try to book 20 slots at the same moment, over real HTTP, on PostgreSQL.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test_surgeries python bench/surgery_bookings.py

Starts the app on 127.0.0.1 (werkzeug, threaded, CSRF on), creates a throwaway ward, host and
surgery with 20 slots, lets 100 clients fetch the form, then releases them together (5 per slot).
Prints bookings made (must be 20), errors, and p50/p99 latency; then removes what it created.
Options: --attempts N --slots N (1 to 144: 5-minute slots from 9am, at most a 12-hour session).
"""
import argparse
import os
import re
import statistics
import sys
import threading
import time
import uuid
from datetime import time as clock, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import requests  # noqa: E402  (requirements-dev.txt)
from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from config import Config  # noqa: E402


MAX_SLOTS = 12 * 60 // 5


class BenchConfig(Config):
    ENV_NAME = "bench"
    SECRET_KEY = "bench-only"
    MAIL_BACKEND = "memory"
    RATELIMIT_ENABLED = False  # 100 bookings from one address would otherwise be throttled
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 20, "max_overflow": 20, "pool_timeout": 60}


def _setup(app, slot_count):
    from flask_migrate import upgrade

    from app.accounts.models import User
    from app.extensions import db
    from app.surgeries import scheduling
    from app.surgeries.models import Venue
    from app.common.timeutil import to_london, utcnow
    from app.wards.models import Ward

    with app.app_context():
        upgrade()
        tag = uuid.uuid4().hex[:8]
        ward = Ward(name=f"Bench ward {tag}", slug=f"bench-{tag}")
        host = User(email=f"bench-{tag}@example.org", name="Bench Host", role="councillor")
        venue = Venue(name=f"Bench hall {tag}", address="1 Bench Road", ward=ward)
        db.session.add_all([ward, host, venue])
        db.session.flush()
        day = to_london(utcnow()).date() + timedelta(days=30)
        plan = scheduling.SurgeryPlan(ward=ward, venue=venue, host=host, day=day, start=clock(9, 0),
                                      end=(clock(9 + (slot_count * 5) // 60, (slot_count * 5) % 60)),
                                      slot_minutes=5)
        surgery = scheduling.build_surgery(plan, day)
        db.session.commit()
        return {"surgery": surgery.id, "slots": [s.id for s in surgery.slots], "ward": ward.id,
                "venue": venue.id, "host": host.id}


def _count_and_cleanup(app, ids):
    from app.accounts.models import User
    from app.extensions import db
    from app.surgeries.models import Booking, Slot, Surgery, Venue
    from app.wards.models import Ward

    with app.app_context():
        active = Booking.query.join(Slot).filter(Slot.surgery_id == ids["surgery"], Booking.status == "active")
        per_slot = db.session.query(Booking.slot_id, db.func.count()).filter(
            Booking.slot_id.in_(ids["slots"]), Booking.status == "active").group_by(Booking.slot_id).all()
        made = active.count()
        Booking.query.filter(Booking.slot_id.in_(ids["slots"])).delete(synchronize_session=False)
        db.session.delete(db.session.get(Surgery, ids["surgery"]))
        db.session.flush()
        for model, key in ((Venue, "venue"), (User, "host"), (Ward, "ward")):
            db.session.delete(db.session.get(model, ids[key]))
        db.session.commit()
        return made, max((n for _, n in per_slot), default=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100)
    parser.add_argument("--slots", type=int, default=20)
    args = parser.parse_args()
    if not 1 <= args.slots <= MAX_SLOTS:
        parser.error(f"--slots must be from 1 to {MAX_SLOTS} (5-minute slots in a session of at most 12 hours)")
    if args.attempts < args.slots:
        parser.error("--attempts must be at least --slots, or some slots can't be booked")
    if "postgresql" not in (os.environ.get("DATABASE_URL") or ""):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgresql://postgres@127.0.0.1:5432/test_surgeries")

    app = create_app(BenchConfig)
    ids = _setup(app, args.slots)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"{base}/surgeries/{ids['surgery']}"

    barrier = threading.Barrier(args.attempts)
    # Every attempt records exactly one outcome (302, 409, another status, or what went wrong),
    # so none can drop out of the totals.
    latencies, outcomes = [], []
    lock = threading.Lock()

    def record(outcome, elapsed=None):
        with lock:
            outcomes.append(outcome)
            if elapsed is not None:
                latencies.append(elapsed)

    def attempt(index):
        session = requests.Session()
        try:
            form = session.get(url, timeout=60)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text)
            data = {"csrf_token": token.group(1) if token else "", "slot": str(ids["slots"][index % len(ids["slots"])]),
                    "name": f"Resident {index}", "email": f"resident{index}@example.com", "meeting_mode": "in_person"}
        except Exception as exc:  # noqa: BLE001 - counted as an error
            record(f"GET: {exc!r}")
            barrier.abort()
            return
        try:
            barrier.wait(timeout=120)
        except threading.BrokenBarrierError:
            record("not released together (barrier broken)")
            return
        started = time.perf_counter()
        try:
            status = session.post(url, data=data, allow_redirects=False, timeout=120).status_code
        except Exception as exc:  # noqa: BLE001
            status = f"POST: {exc!r}"
        record(status, time.perf_counter() - started)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(args.attempts)]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall
    server.shutdown()
    made, worst = _count_and_cleanup(app, ids)
    errors = [str(o) for o in outcomes if o not in (302, 409)]

    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * len(ordered))) - 1)] if ordered else float("nan")
    print(f"Concurrent booking attempts: {args.attempts} over real HTTP against {args.slots} slots "
          f"({args.attempts // args.slots} per slot), PostgreSQL, werkzeug threaded server")
    print(f"Bookings made:        {made} (expected {args.slots}; most active bookings on one slot: {worst})")
    print(f"Accepted (302):       {outcomes.count(302)}")
    print(f"Refused, slot taken:  {outcomes.count(409)}")
    print(f"Errors:               {len(errors)}" + (f"  e.g. {errors[:3]}" if errors else ""))
    if ordered:
        print(f"Latency p50:          {statistics.median(ordered) * 1000:.0f} ms")
        print(f"Latency p99:          {p99 * 1000:.0f} ms")
        print(f"Wall time:            {wall:.2f} s (including each client's GET of the form)")
    ok = made == args.slots and worst <= 1 and not errors and len(outcomes) == args.attempts
    print("RESULT:", "OK" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
