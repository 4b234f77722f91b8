"""Where a public page's time goes: pyinstrument over a few requests through the test client.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/council .venv/bin/python bench/profile_pages.py [path ...]

Uses the scaled demo (`flask demo --scale`). Prints, for each path, the mean time per request,
the SQL statements per request, and pyinstrument's call tree (frames under 2 % hidden).
"""
import os
import sys
import time

from pyinstrument import Profiler
from sqlalchemy import event

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from config import Config  # noqa: E402

REPEAT = int(os.environ.get("PROFILE_REPEAT", 20))


class Settings(Config):
    RATELIMIT_ENABLED = False
    REDIS_URL = os.environ.get("REDIS_URL")


def main(paths):
    app = create_app(Settings)
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
    client = app.test_client()
    for path in paths:
        client.get(path)  # warm-up
        statements.clear()
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        with profiler:
            for _ in range(REPEAT):
                status = client.get(path).status_code
        took = (time.perf_counter() - started) / REPEAT * 1000
        print(f"\n=== {path}: {status}, {took:.1f} ms a request, {len(statements) / REPEAT:.0f} SQL statements")
        print(profiler.output_text(unicode=True, color=False, show_all=False, time="percent_of_total"))


if __name__ == "__main__":
    main(sys.argv[1:] or ["/", "/consultations", "/consultations/1", "/consultations/1/respond",
                          "/you-said-we-did/2", "/progress", "/api/v1/consultations"])
