"""Server time for the public consultation page and the response POST.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test_consultations python bench/pages.py

Without DATABASE_URL it uses a temporary SQLite file. It builds the schema with the
migrations if needed, adds one consultation with ~2,000 responses, times each request
through the Flask test client (wall time, so it includes rendering and the database round
trips but not a network), prints the median and 90th percentile, then deletes what it made.
"""
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from app import create_app  # noqa: E402
from app.common.timeutil import utcnow  # noqa: E402
from app.consultations.models import AboutYou, Answer, Consultation, Question, QuestionOption, Response  # noqa: E402
from app.extensions import db  # noqa: E402
from config import Config  # noqa: E402

RESPONSES = int(os.environ.get("BENCH_RESPONSES", 2000))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 200))


class BenchConfig(Config):
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or "sqlite:///" + os.path.join(
        tempfile.mkdtemp(prefix="council-bench-"), "bench.sqlite3")
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    MAIL_BACKEND = "memory"


def build(rng) -> Consultation:
    now = utcnow()
    consultation = Consultation(title="Benchmark: parks", summary="A benchmark consultation.",
                                body="Paragraph one.\n\nParagraph two.", opens_at=now - timedelta(days=10),
                                closes_at=now + timedelta(days=30), launched_at=now - timedelta(days=11))
    consultation.questions = [
        Question(kind="single_choice", text="How often do you visit a park?", required=True, position=0,
                 options=[QuestionOption(label=f"Option {i}", position=i) for i in range(5)]),
        Question(kind="agreement", text="Parks should open later.", required=True, position=1),
        Question(kind="multiple_choice", text="What matters most?", position=2, max_choices=3,
                 options=[QuestionOption(label=f"Thing {i}", position=i) for i in range(6)]),
        Question(kind="free_text", text="What one change would you make?", required=True, position=3),
    ]
    db.session.add(consultation)
    db.session.flush()
    single, agreement, multiple, free = consultation.questions
    for n in range(RESPONSES):
        response = Response(consultation=consultation, channel=rng.choice(["online"] * 8 + ["paper", "event"]),
                            answers=[Answer(question_id=single.id, option_id=rng.choice(single.options).id),
                                     Answer(question_id=agreement.id, scale_value=rng.randint(1, 5)),
                                     Answer(question_id=multiple.id, option_id=rng.choice(multiple.options).id),
                                     Answer(question_id=free.id, text=f"Comment number {n} about the park.")])
        db.session.add(response)
        if n % 500 == 499:
            db.session.flush()
    db.session.flush()
    for response in consultation.responses.limit(RESPONSES * 7 // 10):
        db.session.add(AboutYou(response_id=response.id, consultation_id=consultation.id,
                                age_band=rng.choice(["18_24", "25_34", "45_54"]), tenure="private_rent"))
    db.session.commit()
    return consultation


def timed(call, count, expect=200) -> list[float]:
    """Milliseconds per request; every response must have the expected status (a POST that
    re-shows the form with errors is 200, not a saved response, so it would time the wrong thing)."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == expect, (response.status_code, response.get_data(as_text=True)[:300])
    return times


def report(name, times):
    ordered = sorted(times)
    p90 = ordered[int(len(ordered) * 0.9) - 1]
    print(f"{name:<42} median {statistics.median(ordered):7.1f} ms   p90 {p90:7.1f} ms   ({len(ordered)} requests)")


def main():
    from flask_migrate import upgrade

    app = create_app(BenchConfig)
    rng = random.Random(7)
    with app.app_context():
        upgrade()
        engine = db.engine.url.render_as_string(hide_password=True)
        started = time.perf_counter()
        consultation = build(rng)
        cid = consultation.id
        questions = [(q.field_name, q.kind, [str(o.id) for o in q.options]) for q in consultation.questions]
        print(f"Database: {engine}")
        print(f"Built a consultation with {RESPONSES} responses in {time.perf_counter() - started:.1f} s")
    client = app.test_client()

    def answers():
        data = {}
        for name, kind, options in questions:
            data[name] = {"free_text": "Benchmark answer", "agreement": str(rng.randint(1, 5))}.get(
                kind, rng.choice(options) if options else "")
        data.update(about_age_band="25_34", about_tenure="social_ha")
        return data

    try:
        timed(lambda: client.get(f"/consultations/{cid}"), 10)  # warm up caches and the pool
        report("GET /consultations/<id>", timed(lambda: client.get(f"/consultations/{cid}"), REQUESTS))
        report("GET /consultations/<id>/respond", timed(lambda: client.get(f"/consultations/{cid}/respond"), REQUESTS))
        report("POST /consultations/<id>/respond", timed(
            lambda: client.post(f"/consultations/{cid}/respond", data=answers()), REQUESTS, expect=302))
    finally:
        with app.app_context():
            db.session.delete(db.session.get(Consultation, cid))
            db.session.commit()


if __name__ == "__main__":
    main()
