"""Theme labels and descriptions: how often a label is a fallback, how much of its theme a
label speaks for, and whether every description is a resident's own sentence.

    python bench/nlp_labels.py [--data-dir DIR] [--sizes 170,500,3000] [--seeds 0,1,2]
                               [--parser both|auto|none] [--full] [--examples 6]

Sets: the demo consultations (170 comments each, no human labels), and seeded samples of
banking77 and of the NHS Friends and Family Test answers (FFT) from the shared benchmark
data (``--full`` adds the whole sets). Seed 0 was used while tuning the labeller; seeds
1 and 2 are held out. Per run it prints NMI against the human labels, the share of
fallback labels ("Mixed comments...", target <= 5%), the size-weighted share of theme
comments sharing a content lemma with their label (target >= 80%), the share of
descriptions found, after redaction, inside one of the theme's own comments (target
100%), the share of themes flagged weak, and the fit time. Benchmark data stay outside
the repository.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.metrics import normalized_mutual_info_score  # noqa: E402

from nlp import ThemeFinder  # noqa: E402
from nlp.labelling import CTfidfLabeller  # noqa: E402
from nlp.phrases import is_content, trained_pipeline  # noqa: E402
from nlp.redact import redact  # noqa: E402
from nlp.text import analyse, stop_words  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from nlp_quality import DEFAULT_DATA  # noqa: E402  (../shared/data/nlp beside the project)
NON_ANSWERS = {"nothing", "n/a", "none", "no", "did not answer", "no comment"}
FALLBACK = re.compile(r"^(mixed comments|other mixed comments|comments about|other comments)",
                      re.I)


def load_fft(data_dir):
    texts, labels = [], []
    with open(data_dir / "fft_phase1.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = (row["feedback"] or "").strip()
            if not text or text.lower().rstrip(".") in NON_ANSWERS:
                continue
            if row["label"] == "Couldn't be improved":
                continue
            texts.append(text)
            labels.append(row["subcategory"])
    return texts, labels


def load_banking(data_dir):
    with open(data_dir / "banking77_train.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["text"] for r in rows], [r["category"] for r in rows]


def load_demo():
    data = json.loads((ROOT / "app" / "demo" / "data" / "consultations.json").read_text("utf-8"))
    return {f"demo-{c['slug'].split('-')[0]}": [x["text"] for x in c["comments"]]
            for c in data if c.get("comments")}


def _norm(text):
    return re.sub(r"\s+", " ", text or "").strip().lower()


def label_metrics(finder, texts):
    """(fallback share, size-weighted label-word share, description share, weak share)."""
    stops = stop_words()
    themes = finder.themes_
    if not themes:
        return 0.0, 0.0, 0.0, 0.0
    labels = np.asarray(finder.labels_)
    # Content words as the labeller defines them (``phrases.is_content``): spaCy's stop list
    # also holds words that carry a topic ("top up", "empty the bins", "call back").
    label_lemmas = [{w for w in lem if is_content(w, stops)}
                    for lem, _ in analyse([t.label.removeprefix("Mixed comments:")
                                           for t in themes])]
    themed = np.flatnonzero(labels >= 0)
    lemmas = analyse([texts[i] for i in themed])
    covered = sum(bool(set(lem) & label_lemmas[labels[i]]) for i, (lem, _) in zip(themed, lemmas))
    found = 0
    for t in themes:
        desc = _norm(t.description).rstrip("…").strip()
        members = np.flatnonzero(labels == t.id)
        found += bool(desc) and any(desc in _norm(redact(texts[i], finder.spacy_model))
                                    for i in members)
    fallback = sum(bool(FALLBACK.match(t.label)) for t in themes)
    weak = sum(bool(getattr(t, "weak", False)) for t in themes)
    n = len(themes)
    return fallback / n, covered / max(len(themed), 1), found / n, weak / n


def run(texts, truth, parser, seed):
    start = time.perf_counter()
    finder = ThemeFinder(random_state=seed, labeller=CTfidfLabeller(parser=parser)).fit(texts)
    seconds = time.perf_counter() - start
    nmi = None
    if truth is not None:
        nmi = normalized_mutual_info_score(truth, finder.labels_)
    return finder, nmi, seconds


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--sizes", default="170,500,3000")
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--sets", default="demo,banking77,fft")
    ap.add_argument("--parser", default="both", help="both, auto (trained if installed) or none")
    ap.add_argument("--full", action="store_true", help="also the whole banking77 and FFT sets")
    ap.add_argument("--examples", type=int, default=6, help="example labels shown per run")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))

    trained = trained_pipeline()
    parsers = {"both": [trained, None] if trained else [None], "auto": [trained],
               "none": [None]}[args.parser]
    sizes = [int(s) for s in args.sizes.split(",") if s]
    seeds = [int(s) for s in args.seeds.split(",") if s]
    wanted = set(args.sets.split(","))
    runs = []  # (set name, texts, truth, seed)
    if "demo" in wanted:
        for name, texts in load_demo().items():
            runs.append((name, texts, None, 0))
    sources = []
    if "banking77" in wanted:
        sources.append(("banking77", *load_banking(args.data_dir)))
    if "fft" in wanted:
        sources.append(("fft", *load_fft(args.data_dir)))
    for name, texts, truth in sources:
        for size in sizes:
            for seed in seeds:
                rows = np.random.RandomState(seed).choice(len(texts), size, replace=False)
                runs.append((f"{name}-{size}", [texts[i] for i in rows],
                             [truth[i] for i in rows], seed))
        if args.full:
            runs.append((name, texts, truth, 0))

    header = (f"{'set':<16}{'seed':>5} {'split':<9}{'path':<8}{'rows':>6}{'themes':>7}"
              f"{'NMI':>7}{'fallback':>9}{'label-word':>11}{'descr':>7}{'weak':>6}{'time s':>8}")
    print(f"nlp label benchmark (data: {args.data_dir}; trained pipeline: {trained or 'none'})")
    print("targets: fallback <= 5%, label-word >= 80% (size-weighted), descr 100%")
    print(header)
    print("-" * len(header))
    totals, examples = {}, []
    for name, texts, truth, seed in runs:
        for parser in parsers:
            finder, nmi, seconds = run(texts, truth, parser, seed)
            fb, cover, desc, weak = label_metrics(finder, texts)
            path = "parsed" if parser else "plain"
            split = "tuning" if seed == 0 else "held-out"
            totals.setdefault((path, split), []).append((fb, cover, desc, len(finder.themes_)))
            print(f"{name:<16}{seed:>5} {split:<9}{path:<8}{len(texts):>6}"
                  f"{len(finder.themes_):>7}{'-' if nmi is None else f'{nmi:.3f}':>7}"
                  f"{fb:>9.1%}{cover:>11.1%}{desc:>7.0%}{weak:>6.0%}{seconds:>8.1f}", flush=True)
            if seed == seeds[0] or truth is None:
                shown = sorted(finder.themes_, key=lambda t: -t.size)[: args.examples]
                examples.append((f"{name} seed {seed} {path}", shown))
    print()
    for (path, split), rows in sorted(totals.items()):
        themes = sum(r[3] for r in rows)
        fb = sum(r[0] * r[3] for r in rows) / max(themes, 1)
        print(f"all {split:<9} {path:<7}: fallback {fb:.1%}, label-word share "
              f"{np.mean([r[1] for r in rows]):.1%} (mean of runs), descriptions "
              f"{np.mean([r[2] for r in rows]):.0%}, {themes} themes")
    print("\nExample labels (largest themes) and descriptions:")
    for title, themes in examples:
        print(f"  {title}")
        for t in themes:
            flag = " [weak]" if t.weak else ""
            print(f"    {t.size:>5}  {t.label}{flag}  -- {t.description[:90]}")


if __name__ == "__main__":
    main()
