"""Redaction quality: recall per kind and overall, and over-redaction, with and without the
trained spaCy pipeline, on bench/data/redaction_set.csv (tune half and held-out half).

    .venv/bin/python bench/redaction.py [--show-misses]

An identifier counts as caught when every letter and digit of it is inside something redacted.
Over-redaction: the share of clean comments changed at all, and redacted spans that touch no
planted identifier (per 100 comments). Targets: recall >= 95% with the trained pipeline, >= 85%
with the first-names list alone.
"""
import argparse
import csv
import importlib.util
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.redact import DEFAULT_NER_MODEL, find, find_many  # noqa: E402

DATA = Path(__file__).with_name("data") / "redaction_set.csv"


def caught(comment, span, found) -> bool:
    start, end, _kind = span
    covered = set()
    for s, e, _k in found:
        covered.update(range(s, e))
    return all(i in covered for i in range(start, end) if comment[i].isalnum())


def evaluate(rows, model, batched=False):
    per_kind = defaultdict(lambda: [0, 0])
    clean = changed = stray = 0
    started = time.perf_counter()
    misses = []
    batches = find_many([r["comment"] for r in rows], spacy_model=model) if batched else None
    for n, row in enumerate(rows):
        comment, planted = row["comment"], json.loads(row["identifiers"])
        found = batches[n] if batched else find(comment, spacy_model=model)
        for span in planted:
            hit = caught(comment, span, found)
            per_kind[span[2]][0] += hit
            per_kind[span[2]][1] += 1
            if not hit:
                misses.append((span[2], comment[span[0]:span[1]], comment))
        if not planted:
            clean += 1
            changed += bool(found)
        stray += sum(1 for s, e, _k in found if not any(s < pe and e > ps for ps, pe, _ in planted))
        if not planted and found:
            misses.append(("FALSE POSITIVE", ", ".join(comment[s:e] for s, e, _ in found), comment))
    seconds = time.perf_counter() - started
    return per_kind, clean, changed, stray, seconds, misses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true", help="print every miss and false positive")
    args = parser.parse_args()
    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))
    setups = [("first-names list only (no trained pipeline)", "none")]
    if importlib.util.find_spec(DEFAULT_NER_MODEL):
        setups.append((f"trained pipeline {DEFAULT_NER_MODEL} + first-names list", DEFAULT_NER_MODEL))
    else:
        print(f"({DEFAULT_NER_MODEL} is not installed: only the list-only figures)")
    kinds = ["name", "email", "phone", "address", "postcode", "ni_number", "dob"]
    for label, model in setups:
        find("Warm up: Jane at 3 bedroom house, born 1 May 1950.", spacy_model=model)  # loads word lists, pipeline
        print(f"\n== {label}")
        print(f"{'half':<8} {'comments':>8} {'planted':>7} " + " ".join(f"{k:>9}" for k in kinds)
              + f" {'overall':>8} {'clean changed':>14} {'stray/100':>9} {'ms/comment':>10}")
        for split in ("tune", "holdout"):
            part = [r for r in rows if r["split"] == split]
            per_kind, clean, changed, stray, seconds, misses = evaluate(part, model)
            hits = sum(v[0] for v in per_kind.values())
            total = sum(v[1] for v in per_kind.values())
            cells = " ".join(f"{100 * per_kind[k][0] / per_kind[k][1]:8.1f}%" if per_kind[k][1] else f"{'-':>9}"
                             for k in kinds)
            print(f"{split:<8} {len(part):>8} {total:>7} {cells} {100 * hits / total:7.1f}% "
                  f"{changed:>4}/{clean:<4} {100 * changed / clean:4.1f}% {100 * stray / len(part):9.1f} "
                  f"{1000 * seconds / len(part):10.2f}")
            batched_seconds = evaluate(part, model, batched=True)[4]
            print(f"{'':<8} (redact_many, batched: {1000 * batched_seconds / len(part):.2f} ms/comment)")
            if args.show_misses:
                for kind, text, comment in misses:
                    print(f"   {kind:<15} {text!r:<40} in: {comment}")


if __name__ == "__main__":
    main()
