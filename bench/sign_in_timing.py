"""Sign-in server time for a real address and an unknown one, with the production Argon2 settings.

    .venv/bin/python bench/sign_in_timing.py          # or with DATABASE_URL=postgresql://...

Builds the schema in a temporary SQLite file (or uses DATABASE_URL), adds one officer, then times
wrong-password sign-ins through the Flask test client, alternating a real address and an unknown
one (a fresh address and client address each time, so throttling never refuses). Also times the
hash itself. Prints medians and the real/unknown ratio; the ratio should be close to 1.
"""
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.accounts.models import User  # noqa: E402
from app.accounts.passwords import hash_password, verify_password  # noqa: E402
from app.extensions import db  # noqa: E402
from pages import BenchConfig as PagesBenchConfig  # noqa: E402  (the same throw-away database)

ROUNDS = int(os.environ.get("BENCH_ROUNDS", 25))


class BenchConfig(PagesBenchConfig):
    LOGIN_MAX_FAILURES = 10_000


def main():
    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()
        email = "bench.officer@example.org"
        user = User.query.filter_by(email=email).one_or_none() or User(email=email, name="Bench", role="officer")
        user.set_password("lantern orbit meadow quarry")
        db.session.add(user)
        db.session.commit()
        stored = user.password_hash
        started = time.perf_counter()
        for _ in range(5):
            verify_password(stored, "wrong")
        verify_ms = (time.perf_counter() - started) / 5 * 1000
        print(f"Argon2id t={app.config['ARGON2_TIME_COST']} m={app.config['ARGON2_MEMORY_KIB']} KiB "
              f"p={app.config['ARGON2_PARALLELISM']}: one verification {verify_ms:.0f} ms; hash "
              f"{hash_password('x')[:30]}...")
        client = app.test_client()
        times = {"real": [], "unknown": []}
        for n in range(ROUNDS):
            for kind, address in (("real", email), ("unknown", f"nobody{n}@example.org")):
                started = time.perf_counter()
                client.post("/sign-in", data={"email": address, "password": "wrong password!"},
                            environ_base={"REMOTE_ADDR": f"10.0.{n // 250}.{n % 250}"})
                times[kind].append((time.perf_counter() - started) * 1000)
        real, unknown = statistics.median(times["real"]), statistics.median(times["unknown"])
        print(f"{ROUNDS} wrong-password sign-ins each: real address median {real:.0f} ms, "
              f"unknown address median {unknown:.0f} ms, ratio {real / unknown:.2f}")
        db.session.execute(db.text("DELETE FROM login_throttles"))
        db.session.execute(db.text("DELETE FROM audit_events"))
        db.session.delete(user)
        db.session.commit()


if __name__ == "__main__":
    main()
