"""End-to-end timing of the Themes feature in the app (not the nlp library alone).

    python bench/themes_app.py [--sizes 1000 3000] [--data ../shared/data/nlp/fft_phase1.csv]

For each size, builds a consultation with that many free-text answers (real NHS Friends and
Family Test comments when the benchmark CSV is there, else the demo comments) in a throwaway
SQLite database (or DATABASE_URL), then times: the analysis job (engine + storing), the themes
page, a theme's page, the "who raised it" page, the CSV export, the analysis report (page and
CSV), and placing 100 new comments.
"""
import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def comments(path, n, seed=0):
    if path and os.path.exists(path):
        with open(path, newline="", encoding="utf-8") as handle:
            texts = [row["feedback"] for row in csv.DictReader(handle) if (row.get("feedback") or "").strip()]
        source = os.path.basename(path)
    else:
        with open(os.path.join(ROOT, "app/demo/data/consultations.json"), encoding="utf-8") as handle:
            texts = [c["text"] for item in json.load(handle) for c in item["comments"]]
        source = "demo comments (resampled)"
    rng = random.Random(seed)
    return [rng.choice(texts) for _ in range(n)] if n > len(texts) else rng.sample(texts, n), source


def timed(label, func):
    start = time.perf_counter()
    result = func()
    print(f"  {label:<38} {time.perf_counter() - start:7.2f} s")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "nlp", "fft_phase1.csv"))
    args = parser.parse_args()
    if not os.path.exists(args.data):
        args.data = "/work/shared/data/nlp/fft_phase1.csv"

    from config import TestConfig

    class Settings(TestConfig):
        SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or \
            f"sqlite:///{tempfile.mkdtemp(prefix='themes-bench-')}/bench.sqlite3"
        WTF_CSRF_ENABLED = False
        REDIS_URL = None

    from flask_migrate import upgrade

    from app import create_app
    from app.common.transaction import commit
    from app.consultations.models import Answer, Response
    from app.extensions import db
    from app.themes import services
    from tests import factories

    app = create_app(Settings)
    with app.app_context():
        upgrade()
        officer = factories.user(role="officer")
        client = app.test_client()
        client.post("/sign-in", data={"email": officer.email, "password": factories.PASSWORD})
        for size in args.sizes:
            texts, source = comments(args.data, size + 100)
            consultation = factories.consultation(status="closed", title=f"Bench {size}")
            question = next(q for q in consultation.questions if q.kind == "free_text")
            agreement = next(q for q in consultation.questions if q.kind == "agreement")
            for i, text in enumerate(texts[:size]):
                response = Response(consultation=consultation)
                response.answers += [Answer(question=question, text=text),
                                     Answer(question=agreement, scale_value=1 + i % 5)]
                db.session.add(response)
            db.session.commit()
            print(f"{size} comments from {source}:")
            analysis = timed("analysis job (engine + storing)", lambda: (
                services.start_analysis(question, None, 0), commit()))[0]
            analysis = db.session.get(type(analysis), analysis.id)
            print(f"  {'  of which the engine':<38} {analysis.seconds:7.2f} s  "
                  f"({len(services.question_themes(question.id))} themes, {analysis.non_answer_count} non-answers, "
                  f"status {analysis.status})")
            theme = services.question_themes(question.id)[0]
            for label, url in [("themes page", f"/staff/themes/questions/{question.id}"),
                               ("largest theme's page", f"/staff/themes/{theme.id}"),
                               ("who raised it page", f"/staff/themes/{theme.id}/who"),
                               ("CSV export", f"/staff/themes/questions/{question.id}/themes.csv"),
                               ("analysis report page", f"/staff/consultations/{consultation.id}/report"),
                               # The first request also loads templates and libraries once.
                               ("analysis report page, again", f"/staff/consultations/{consultation.id}/report"),
                               ("analysis report CSV", f"/staff/consultations/{consultation.id}/report.csv")]:
                status = timed(label, lambda: client.get(url).status_code)
                assert status == 200, (url, status)
            for text in texts[size:]:
                response = Response(consultation=consultation)
                response.answers.append(Answer(question=question, text=text))
                db.session.add(response)
            db.session.commit()
            placed = timed("place 100 new comments", lambda: (services.assign_new_answers(question), commit())[0])
            print(f"  {'  placed':<38} {placed:7d}")


if __name__ == "__main__":
    main()
