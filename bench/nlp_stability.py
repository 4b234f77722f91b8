"""How stable the themes are when comments are added and the analysis runs again.

    python bench/nlp_stability.py [--data-dir DIR] [--sizes 170,500,3000] [--sets banking77,fft]
                                  [--seeds 3] [--held-out 2] [--fresh | --modes warm,fresh]
                                  [--additions +1,+1%,+10%]

For each labelled set (protocol of the data folder's README: FFT non-answers and "Couldn't be
improved" rows dropped, scored against `subcategory`; banking77 against `category`) and each
size, a seeded sample of comments is fitted as the app's first run would be. Then one comment,
1% and 10% more comments are added and the finder runs again *as the app does*
(``ThemeFinder.fit(texts, previous=<the earlier fit>)``: a warm start unless more than a fifth
of the comments are new). Printed per case:

- ARI of the earlier comments' grouping after the re-run against the earlier run (1 = no
  comment changed group; the target is >= 0.95 when one comment is added);
- NMI against the human labels before and after, so stability is not bought by worse themes;
- the number of themes before and after, and whether the re-run started warm.

``--fresh`` also re-runs every case from scratch (no previous fit), the behaviour before warm
starts, for comparison. The set is shuffled once and cut in two halves: samples with the
first seeds come from the first half (used while choosing the warm-start rules), the last
``--held-out`` seeds come from the second half, which was never looked at while tuning; the two
are printed apart. The data are benchmark only: read from --data-dir, never copied here.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from nlp_quality import DEFAULT_DATA, load_set  # noqa: E402

from nlp import ThemeFinder  # noqa: E402

ADDITIONS = (("+1", lambda n: 1), ("+1%", lambda n: max(1, round(n / 100))),
             ("+10%", lambda n: max(1, round(n / 10))))


def scores(labels_a, labels_b):
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(labels_a, labels_b))


def nmi(truth, labels):
    from sklearn.metrics import normalized_mutual_info_score

    return float(normalized_mutual_info_score(truth, labels))


def finder(seed):
    # The app's settings (app/themes/engine.py): 5 to 40 themes, the run's seed.
    return ThemeFinder(min_themes=5, max_themes=40, random_state=seed)


def run_case(texts, truth, base, extra, previous, fresh):
    rows = base + extra
    f = finder(0)
    start = time.perf_counter()
    f.fit([texts[i] for i in rows], previous=None if fresh else previous)
    seconds = time.perf_counter() - start
    before = previous.labels_
    after = f.labels_[: len(base)]
    return {"ari": scores(before, after), "nmi_after": nmi([truth[i] for i in rows], f.labels_),
            "themes_after": len(f.themes_), "warm": bool(f.warm_started_), "seconds": seconds}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", default=str(DEFAULT_DATA))
    ap.add_argument("--sizes", default="170,500,3000")
    ap.add_argument("--sets", default="banking77,fft")
    ap.add_argument("--seeds", type=int, default=3, help="samples per size from the tuning half")
    ap.add_argument("--held-out", type=int, default=2, help="samples per size from the held-out half")
    ap.add_argument("--fresh", action="store_true", help="also re-run from scratch, for comparison")
    ap.add_argument("--modes", help="re-runs to measure: warm, fresh or both (default warm; --fresh = both)")
    ap.add_argument("--additions", default=",".join(name for name, _ in ADDITIONS))
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    sizes = [int(s) for s in args.sizes.split(",")]
    modes = args.modes.split(",") if args.modes else ["warm"] + (["fresh"] if args.fresh else [])
    additions = [(name, count) for name, count in ADDITIONS if name in args.additions.split(",")]
    print(f"{'set':10} {'part':8} {'n':>5} {'added':>5} {'mode':5} {'ARI prev':>9} {'min':>6} "
          f"{'NMI before':>10} {'NMI after':>9} {'themes':>9} {'warm':>5} {'s/run':>6}")
    for name in args.sets.split(","):
        texts, truth = load_set(name, args.data_dir)
        order = list(range(len(texts)))
        random.Random(2026).shuffle(order)
        halves = {"tuning": order[: len(order) // 2], "held-out": order[len(order) // 2:]}
        plan = [("tuning", s) for s in range(args.seeds)] + \
               [("held-out", 100 + s) for s in range(args.held_out)]
        for n in sizes:
            results = {}
            for part, seed in plan:
                pool = halves[part]
                picked = random.Random(seed).sample(pool, n + max(f(n) for _, f in ADDITIONS))
                base, spare = picked[:n], picked[n:]
                first = finder(0).fit([texts[i] for i in base])
                nmi_before = nmi([truth[i] for i in base], first.labels_)
                for added, count in additions:
                    for mode in modes:
                        r = run_case(texts, truth, base, spare[: count(n)], first, mode == "fresh")
                        r.update(nmi_before=nmi_before, themes_before=len(first.themes_))
                        results.setdefault((part, added, mode), []).append(r)
            for (part, added, mode), rs in results.items():
                mean = lambda key: statistics.mean(r[key] for r in rs)  # noqa: E731
                print(f"{name:10} {part:8} {n:5d} {added:>5} {mode:5} {mean('ari'):9.3f} "
                      f"{min(r['ari'] for r in rs):6.3f} {mean('nmi_before'):10.3f} "
                      f"{mean('nmi_after'):9.3f} {mean('themes_before'):4.1f}>{mean('themes_after'):4.1f} "
                      f"{sum(r['warm'] for r in rs):2d}/{len(rs)} {mean('seconds'):6.1f}", flush=True)
    print("\nARI prev: the earlier comments' grouping after the re-run against the earlier run "
          "(mean over samples; min = worst sample). NMI against the human labels.")


if __name__ == "__main__":
    main()
