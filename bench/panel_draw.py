"""Benchmark the panel draw: 2,000 members, N=50, quotas on 6 characteristics.

Run:  /work/main/.venv/bin/python bench/panel_draw.py [--members 2000] [--size 50] [--seed 7] [--time-limit 120]
Prints the time taken, the smallest and largest selection probability, the best possible smallest
probability (an upper bound: the LP relaxation or the pricing MILP's proof) and the gap to it, and
how many panels the lottery uses. Needs no database. One core: the solvers run single-threaded.
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from app.panel.sortition import METHOD, Candidate, draw_panel  # noqa: E402

# Skewed like a real panel: older owner-occupiers over-represented.
CHARACTERISTICS = {
    "age_band": (["16_17", "18_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus"],
                 [.01, .04, .10, .15, .18, .20, .20, .12], [.03, .11, .25, .20, .16, .12, .08, .05]),
    "sex": (["female", "male"], [.58, .42], [.51, .49]),
    "ethnic_group": (["asian", "black", "mixed", "white", "other"], [.10, .08, .04, .75, .03],
                     [.16, .18, .06, .54, .06]),
    "disability": (["disabled", "not_disabled"], [.22, .78], [.16, .84]),
    "tenure": (["owned_outright", "owned_mortgage", "shared", "council", "ha", "private", "free"],
               [.30, .30, .03, .15, .06, .14, .02], [.14, .21, .02, .16, .13, .32, .02]),
    "ward": ([f"ward{i}" for i in range(10)], [.1] * 10, [.1] * 10),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--size", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=120.0,
                        help="safety net: seconds before settling for the best so far")
    parser.add_argument("--tolerance", type=float, default=0.01,
                        help="stop when the smallest probability is within this share of the best possible")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    people = []
    for i in range(args.members):
        groups = {c: str(rng.choice(values, p=pool)) for c, (values, pool, _) in CHARACTERISTICS.items()}
        # about 1 in 10 shares a household with the previous member
        household = f"h{i - 1}" if i and rng.random() < 0.1 else f"h{i}"
        people.append(Candidate(id=i + 1, groups=groups, household=household))
    quotas = {}
    for characteristic, (values, _, population) in CHARACTERISTICS.items():
        quotas[characteristic] = {}
        for value, share in zip(values, population):
            target = share * args.size
            quotas[characteristic][value] = (int(np.floor(target * 0.7)), int(np.ceil(target * 1.3)))
    started = time.perf_counter()
    result = draw_panel(people, args.size, quotas, args.seed, time_limit=args.time_limit, tolerance=args.tolerance)
    elapsed = time.perf_counter() - started
    print(f"method: {METHOD}")
    print(f"members: {args.members}, panel size: {args.size}, characteristics: {len(CHARACTERISTICS)}, "
          f"quota groups: {sum(len(v) for v in quotas.values())}, one per household: yes")
    print(f"model: {result.types} types (incl. members of shared households), {result.milp_calls} MILP solve(s)")
    print(f"time: {elapsed:.2f} s, panels in the lottery: {result.panels_used}")
    print(f"selection probability: min {result.probability_min:.5f}, max {result.probability_max:.5f} "
          f"(a plain random draw would give {args.size / args.members:.4f} each)")
    gap = 1 - result.probability_min / result.probability_bound if result.probability_bound else 0
    print(f"best possible minimum probability (upper bound): {result.probability_bound:.5f}; "
          f"gap {100 * gap:.2f}%")
    print(f"selected: {len(result.selected)} members; time limit hit: "
          f"{'yes (a re-run may differ)' if result.time_limit_hit else 'no (same inputs and seed give the same draw)'}")


if __name__ == "__main__":
    main()
