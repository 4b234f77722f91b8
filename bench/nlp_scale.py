"""How nlp/ scales: seconds and peak memory for 1k, 10k and 100k comments on one core.

    python bench/nlp_scale.py [--data-dir DIR] [--sizes 1000,10000,100000] [--cores 1]

Comments are synthesised by resampling the two benchmark sets (banking77 and FFT) with
replacement; half of the draws lose one random word so that most of the 100k are
distinct strings, as copy-edited campaign answers would be. Each size runs in a fresh
subprocess pinned to one core (BLAS threads too), with the default pipeline and an
automatic theme count; time and peak memory include imports and model loading.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = (ROOT / ".." / "shared" / "data" / "nlp").resolve()


def synthesise(n, data_dir, seed=0, mode="resample"):
    import random

    pool = []
    with open(Path(data_dir) / "banking77_train.csv", newline="", encoding="utf-8") as fh:
        pool += [r["text"] for r in csv.DictReader(fh) if r["text"].strip()]
    with open(Path(data_dir) / "fft_phase1.csv", newline="", encoding="utf-8") as fh:
        pool += [r["feedback"] for r in csv.DictReader(fh) if (r["feedback"] or "").strip()]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = rng.choice(pool).split()
        if mode == "splice":
            # First half of one comment + second half of another: nearly all distinct,
            # the worst case for clustering cost (no duplicate groups to collapse).
            other = rng.choice(pool).split()
            words = words[: max(1, len(words) // 2)] + other[len(other) // 2:]
        elif len(words) >= 4 and rng.random() < 0.5:
            del words[rng.randrange(len(words))]
        out.append(" ".join(words))
    return out


def child(args):
    if args.cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(range(args.cores)))
    start = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    import resource

    from nlp import ThemeFinder

    texts = synthesise(args.n, args.data_dir, mode=args.mode)
    t_fit = time.perf_counter()
    finder = ThemeFinder(random_state=0).fit(texts)
    fit_s = time.perf_counter() - t_fit
    print(json.dumps({
        "seconds": time.perf_counter() - start, "fit_seconds": fit_s,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "themes": len(finder.themes_), "non_answers": len(finder.non_answers_),
        "duplicates": sum(len(g) - 1 for g in finder.duplicate_groups_),
    }))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--cores", type=int, default=1)
    ap.add_argument("--modes", default="resample,splice",
                    help="resample: draws with one word dropped half the time; "
                         "splice: halves of two comments joined (nearly all distinct)")
    ap.add_argument("--mode", default="resample", help=argparse.SUPPRESS)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args)
    print(f"nlp scale benchmark (default pipeline, automatic k, {args.cores} core(s))")
    head = (f"{'synthesis':<10}{'comments':>9}{'seconds':>9}{'fit s':>8}{'peak MB':>9}"
            f"{'themes':>8}{'dupes':>8}{'non-ans':>8}")
    print(head)
    print("-" * len(head))
    threads = str(args.cores)
    env = dict(os.environ, OMP_NUM_THREADS=threads, OPENBLAS_NUM_THREADS=threads,
               MKL_NUM_THREADS=threads)
    runs = [(m, int(n)) for m in args.modes.split(",") for n in args.sizes.split(",")]
    for mode, n in runs:
        cmd = [sys.executable, __file__, "--child", "--n", str(n), "--data-dir",
               str(args.data_dir), "--cores", str(args.cores), "--mode", mode]
        out = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if out.returncode != 0:
            raise SystemExit(f"run failed for {mode} {n}:\n{out.stderr[-2000:]}")
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{mode:<10}{n:>9}{r['seconds']:>9.1f}{r['fit_seconds']:>8.1f}{r['peak_mb']:>9.0f}"
              f"{r['themes']:>8}{r['duplicates']:>8}{r['non_answers']:>8}", flush=True)
    print("target: 100k comments in under 60 s and 2 GB on one core")


if __name__ == "__main__":
    main()
