"""Time a responses CSV import: `python bench/bulk_import.py [rows] [existing]`.

On a throwaway SQLite database unless BENCH_DATABASE_URL names a PostgreSQL one (its tables are
dropped and rebuilt). Prints the time to check a file of N rows (default 2,000, the limit) against
a consultation that already has M free-text answers (default 20,000; campaign copies are looked
for among them), to import it in one transaction, and to undo it.
"""
import os
import random
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import text as sql  # noqa: E402

from app import create_app  # noqa: E402
from config import TestConfig  # noqa: E402


def main(count: int, existing: int):
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{os.path.join(tempfile.mkdtemp(), 'bench.sqlite3')}"

    class Settings(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        RATELIMIT_ENABLED = False

    app = create_app(Settings)
    with app.app_context():
        from flask_migrate import upgrade

        from app.accounts.models import User
        from app.common.transaction import commit
        from app.common.timeutil import utcnow
        from app.consultations import csv_import, imports
        from app.consultations.models import Answer, Consultation, Question, QuestionOption, Response
        from app.extensions import db
        from datetime import timedelta

        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sql("DROP SCHEMA public CASCADE"))
                conn.execute(sql("CREATE SCHEMA public"))
        upgrade()
        officer = User(email="bench@example.org", name="Bench", role="officer")
        officer.set_password("bench-password-123")
        now = utcnow()
        consultation = Consultation(title="Bench", summary="s", body="b", opens_at=now - timedelta(days=60),
                                    closes_at=now + timedelta(days=30), launched_at=now - timedelta(days=60))
        kinds = [("single_choice", "How often?", ["Daily", "Weekly", "Monthly", "Never"]),
                 ("agreement", "Parks should open later.", []),
                 ("multiple_choice", "What matters?", ["Toilets", "Lighting", "Play", "Benches", "Trees"]),
                 ("free_text", "What one change would you make?", []),
                 ("free_text", "Anything else?", [])]
        for position, (kind, text, options) in enumerate(kinds):
            q = Question(kind=kind, text=text, position=position)
            q.options = [QuestionOption(label=label, position=i) for i, label in enumerate(options)]
            consultation.questions.append(q)
        db.session.add_all([officer, consultation])
        commit()
        rng = random.Random(1)
        words = "park bench light toilet tree play path dog bin cafe gate lake grass flower bike".split()
        free = consultation.questions[3]
        for i in range(existing):
            r = Response(consultation_id=consultation.id, channel="online")
            r.answers = [Answer(question_id=free.id, text=" ".join(rng.choice(words) for _ in range(12)))]
            db.session.add(r)
        commit()
        campaign = "Save the Riverside bandstand, it is the heart of our park and community"
        lines = ["Channel,Collected on," + ",".join(q.text for q in consultation.questions)]
        day = (now - timedelta(days=2)).strftime("%d/%m/%Y")
        for i in range(count):
            change = campaign if i % 10 == 0 else " ".join(rng.choice(words) for _ in range(20))
            lines.append(f"Paper form,{day},Weekly,{1 + i % 5},Toilets; Trees,\"{change}\",\"Thank you {i}\"")
        data = ("\n".join(lines) + "\n").encode("utf-8")

        start = time.perf_counter()
        checked = csv_import.check_file(consultation, csv_import.decode(data))
        first_check = time.perf_counter() - start  # includes loading the nlp package once per process
        start = time.perf_counter()
        checked = csv_import.check_file(consultation, csv_import.decode(data))
        check = time.perf_counter() - start
        assert checked.ok, checked.problems[:3]
        start = time.perf_counter()
        batch = imports.import_responses(consultation, checked, user=officer, file_name="bench.csv")
        commit()
        imported = time.perf_counter() - start
        start = time.perf_counter()
        imports.undo_import(batch, officer)
        commit()
        undone = time.perf_counter() - start
        dialect = db.engine.dialect.name
    print(f"{dialect}: {count:,} rows ({len(data) / 1e6:.2f} MB), {existing:,} answers already saved")
    print(f"  check the file (every cell, campaign copies: {checked.copy_lines:,} lines): {check:.2f} s "
          f"({first_check:.2f} s the first time, loading the nlp package)")
    print(f"  import in one transaction: {imported:.2f} s")
    print(f"  undo the import: {undone:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000, int(sys.argv[2]) if len(sys.argv) > 2 else 20000)
