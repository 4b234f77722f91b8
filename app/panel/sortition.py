"""A maximally fair stratified lottery (Flanigan, Gölz, Gupta, Hennig & Procaccia, "Fair
algorithms for selecting citizens' assemblies", Nature 596, 2021), with SciPy's HiGHS solvers.

We compute the MAXIMIN distribution: a probability distribution over feasible panels (panels
of the right size that meet every quota and take at most one person per household) that makes
the smallest selection probability of any member as large as possible. The model works on
TYPES of interchangeable people (app/panel/lottery_model.py), which is exact and much smaller.

1. Cover: find panels that between them reach every type that can be in a feasible panel at
   all (swap search first, a MILP for what it can't reach; what the MILP can't reach gets 0).
2. Column generation: solve the dual LP over the panels found (weights on types whose heaviest
   panel weighs ŷ = the smallest probability so far) and look for a heavier panel, first by
   swap search, then by MILP. Stop when ŷ is within `tolerance` of an upper bound: the LP
   relaxation (panels allowed to be fractional) or the MILP's proof that no panel is heavier.
3. Solve the primal LP over the panels for their probabilities, pick one panel with a seeded
   generator, and pick who fills each type's places at random among that type's members.

Same people, quotas and seed => same result (the stopping rules don't depend on the clock
unless `time_limit` runs out, which the benchmark shows it doesn't at 2,000 members).
This module knows nothing about the database: people are plain Candidate objects.
"""
import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, hstack

from app.panel import lottery_model

METHOD = "Maximin stratified lottery (Flanigan et al. 2021) over member types, column generation with HiGHS"
EPS = 1e-9
STARTS = 8  # panels the swap search starts from per pricing round


@dataclass(frozen=True)
class Candidate:
    id: int
    groups: dict  # {characteristic: group_key}
    household: str | None = None  # same text => same household


@dataclass
class DrawResult:
    selected: list  # candidate ids
    probabilities: dict  # {id: probability} for every candidate
    panels_used: int
    seconds: float
    probability_min: float  # over candidates who could be selected and were not fixed
    probability_max: float
    probability_bound: float = 1.0  # no panel lottery can give everyone more than this
    types: int = 0  # size of the model: type units (incl. members of shared households)
    milp_calls: int = 0
    # The safety-net time limit stopped the search: the result then depends on the machine's
    # speed, so re-running from the same inputs may not give the same group.
    time_limit_hit: bool = False


class InfeasibleQuotas(Exception):
    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


def draw_panel(people, size, quotas, seed, *, one_per_household=True, fixed_in=frozenset(),
               max_iterations=2000, tolerance=0.01, time_limit=120.0, describe=None,
               progress=None) -> DrawResult:
    """Draw `size` people. `quotas`: {characteristic: {group: (min|None, max|None)}}.

    `fixed_in`: ids that must be in the panel (people kept when drawing replacements).
    Stops improving when the smallest probability is within `tolerance` (relative) of the best
    possible (`probability_bound`), or as a safety net after `time_limit` seconds.
    `progress(percent, message)` is called now and then (for the background job's page).
    Raises InfeasibleQuotas (with reasons a person can act on) when no panel fits.
    """
    started = time.perf_counter()
    report = progress or (lambda percent, message: None)
    model = lottery_model.build(people, size, quotas, one_per_household, frozenset(fixed_in))
    people = model.people
    rng = np.random.default_rng(int(seed))
    search = lottery_model.SwapSearch(model)
    calls = [0]
    hit = [False]

    def out_of_time():
        hit[0] = hit[0] or time.perf_counter() - started > time_limit
        return hit[0]

    def exact(weights, gap=1e-4, cover=None):
        calls[0] += 1
        return model.best_panel(weights, gap=gap, cover=cover)

    # 1. Cover every type that can be in some feasible panel.
    report(5, "Finding panels that meet the quotas")
    first, _ = exact(rng.random(model.units)) if model.size else (np.zeros(model.units, dtype=int), None)
    if first is None:
        kwargs = {"describe": describe} if describe else {}
        raise InfeasibleQuotas(explain_infeasible(people, size, quotas, one_per_household, fixed_in, **kwargs)
                               or ["No group of this size meets every quota."])
    panels, seen = [first], {first.tobytes()}
    covered = first > 0
    while model.size and not covered.all() and not out_of_time():
        gains = (~covered) + rng.random(model.units) * 1e-3
        start = panels[int(rng.integers(len(panels)))]
        found = search.improve(start, gains)
        if not (found[~covered] > 0).any():
            found, _ = exact(rng.random(model.units) * 1e-3, cover=~covered)
            if found is None or not (found[~covered] > 0).any():
                break  # the rest can't be in any feasible panel
        if found.tobytes() not in seen:
            panels.append(found)
            seen.add(found.tobytes())
        covered |= found > 0
        report(5 + int(25 * covered.mean()), "Finding panels that meet the quotas")

    # 2. Column generation on the dual, bounded above by the LP relaxation.
    free = np.flatnonzero(covered)
    upper = model.lp_bound(covered) if len(free) else 1.0
    lower = 0.0
    if len(free):
        dual = _DualLP(free, model.capacity)
        for panel in panels:
            dual.add(panel)
        for _ in range(max_iterations):
            w, lower = dual.solve()
            if lower >= (1 - tolerance) * upper or out_of_time():
                break
            report(30 + int(65 * min(1.0, lower / upper)), "Making the chances as equal as possible")
            gains = np.zeros(model.units)
            gains[free] = w / model.capacity[free]
            values = np.array([gains @ p for p in panels])
            new = []
            for index in np.argsort(-values, kind="stable")[:STARTS]:
                found = search.improve(panels[index], gains)
                if gains @ found > lower + EPS and found.tobytes() not in seen:
                    new.append(found)
                    seen.add(found.tobytes())
            if not new:
                found, bound = exact(gains, gap=tolerance / 4)
                upper = min(upper, bound)
                if found is None or gains @ found <= lower + EPS or found.tobytes() in seen:
                    break
                new.append(found)
                seen.add(found.tobytes())
            panels.extend(new)
            for panel in new:
                dual.add(panel)

    # 3. Primal probabilities, then the seeded lottery.
    report(97, "Drawing the group")
    probs = _solve_primal(panels, free, model.capacity) if len(free) else np.full(len(panels), 1 / len(panels))
    probs = np.clip(probs, 0, None)
    probs = probs / probs.sum()
    unit_chance = np.zeros(model.units)
    for p_panel, panel in zip(probs, panels):
        unit_chance += p_panel * panel / np.maximum(model.capacity, 1)
    marginals = np.zeros(len(people))
    for u, members in enumerate(model.unit_members):
        marginals[members] = unit_chance[u]
    marginals[list(model.fixed)] = 1.0
    chosen_panel = panels[int(rng.choice(len(panels), p=probs))]
    chosen = set(model.fixed)
    for u in np.flatnonzero(chosen_panel):
        members = model.unit_members[u]
        chosen |= {int(i) for i in rng.choice(members, size=int(chosen_panel[u]), replace=False)}
    free_people = [i for u in free for i in model.unit_members[u]]
    values = marginals[free_people] if free_people else np.array([1.0])
    return DrawResult(
        selected=sorted(people[i].id for i in chosen),  # noqa: C414
        probabilities={p.id: round(float(marginals[i]), 6) for i, p in enumerate(people)},
        panels_used=int((probs > 1e-9).sum()), seconds=time.perf_counter() - started,
        probability_min=round(float(values.min()), 6), probability_max=round(float(values.max()), 6),
        probability_bound=round(max(upper, float(values.min())), 6) if len(free) else 1.0,
        types=model.units, milp_calls=calls[0], time_limit_hit=hit[0])


def _membership(panels, free, capacity):
    """Matrix: row per covered unit, column per panel: the share of the unit's members it takes."""
    counts = np.vstack(panels)[:, free].T.astype(float)  # free units x panels
    return csr_matrix(counts / capacity[free][:, None])


class _DualLP:
    """min ŷ s.t. Σ_u share_{P,u} w_u - ŷ ≤ 0 for each panel P; Σ w = 1; w ≥ 0. Variables [w..., ŷ].

    Kept in one HiGHS instance and grown a row per new panel, so each solve starts from the last
    basis (a few pivots) instead of from scratch: this made column generation ~10x faster."""

    def __init__(self, free, capacity):
        import highspy

        self.free, self.scale = free, capacity[free].astype(float)
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("threads", 1)
        self.h.setOptionValue("presolve", "off")
        k = len(free)
        inf = highspy.kHighsInf
        self.h.addCols(k + 1, np.r_[np.zeros(k), 1.0], np.r_[np.zeros(k), -inf], np.full(k + 1, inf),
                       0, np.array([], dtype=np.int32), np.array([], dtype=np.int32), np.array([]))
        self.h.addRow(1.0, 1.0, k, np.arange(k, dtype=np.int32), np.ones(k))
        self.inf = inf

    def add(self, panel):
        share = panel[self.free] / self.scale
        cols = np.flatnonzero(share)
        self.h.addRow(-self.inf, 0.0, len(cols) + 1, np.r_[cols, len(self.free)].astype(np.int32),
                      np.r_[share[cols], -1.0])

    def solve(self):
        self.h.run()
        values = np.array(self.h.getSolution().col_value)
        return np.clip(values[:-1], 0, None), float(values[-1])


def _solve_primal(panels, free, capacity):
    """max z s.t. Σ_P p_P share_{P,u} ≥ z for each covered unit; Σ p = 1. Variables [p..., z]."""
    a = _membership(panels, free, capacity)
    a_ub = hstack([-a, csr_matrix(np.ones((len(free), 1)))]).tocsr()
    cost = np.zeros(len(panels) + 1)
    cost[-1] = -1
    a_eq = np.concatenate([np.ones(len(panels)), [0]]).reshape(1, -1)
    bounds = [(0, None)] * len(panels) + [(None, None)]
    res = linprog(cost, A_ub=a_ub, b_ub=np.zeros(len(free)), A_eq=a_eq, b_eq=[1], bounds=bounds,
                  method="highs")
    return res.x[:-1]


def explain_infeasible(people, size, quotas, one_per_household=True, fixed_in=frozenset(),
                       describe=lambda characteristic, group: f"{characteristic} {group}") -> list[str]:
    """Reasons, in plain English, why no panel fits. Empty when a panel does fit."""
    problems = []
    households = {p.household or f"person-{p.id}" for p in people} if one_per_household else None
    if size < 1:
        return ["The number of people to draw must be at least 1."]
    if len(people) < size:
        problems.append(f"Only {len(people)} members can be drawn, but you asked for {size}.")
    elif households is not None and len(households) < size:
        problems.append(f"The {len(people)} members who can be drawn live in only {len(households)} "
                        f"households, and at most one person per household can be drawn, but you asked for {size}.")
    for characteristic, groups in sorted(quotas.items()):
        min_total, max_total = 0, 0
        quoted = set()
        for group, (low, high) in sorted(groups.items()):
            quoted.add(group)
            name = describe(characteristic, group)
            in_group = [p for p in people if p.groups.get(characteristic) == group]
            reachable = len({p.household or f"person-{p.id}" for p in in_group}) if one_per_household else len(in_group)
            fixed = sum(1 for p in in_group if p.id in fixed_in)
            min_total += low or 0
            max_total += min(high, reachable) if high is not None else reachable
            if low is not None and high is not None and low > high:
                problems.append(f"The minimum for {name} ({low}) is more than its maximum ({high}).")
            elif low and reachable < low:
                what = "members" if reachable == len(in_group) else "households"
                problems.append(f"Only {reachable} {what} in {name} can be drawn, but the minimum is {low}.")
            if high is not None and fixed > high:
                problems.append(f"{fixed} people in {name} are already in the group (accepted or awaiting a "
                                f"reply), more than its maximum of {high}.")
        others = sum(1 for p in people if p.groups.get(characteristic) not in quoted)
        if min_total > size:
            problems.append(f"The minimums for {describe(characteristic, None)} add up to {min_total}, "
                            f"more than the {size} people to draw.")
        if max_total + others < size:
            problems.append(f"The maximums for {describe(characteristic, None)} allow at most "
                            f"{max_total + others} people, fewer than the {size} to draw.")
    if problems:
        return problems
    # Each quota can be met on its own: find which characteristics clash when combined.
    if _fits(people, size, quotas, one_per_household, fixed_in):
        return []
    culprits = [describe(c, None) for c in sorted(quotas)
                if _fits(people, size, {k: v for k, v in quotas.items() if k != c}, one_per_household, fixed_in)]
    if culprits:
        return ["Each quota can be met on its own, but not all together. Relaxing the quotas for "
                + " or ".join(culprits) + " would make a draw possible."]
    return ["Each quota can be met on its own, but not all together. Widen the minimums and maximums, "
            "or draw fewer people."]


def _fits(people, size, quotas, one_per_household, fixed_in) -> bool:
    model = lottery_model.build(people, size, quotas, one_per_household, frozenset(fixed_in))
    if model.size == 0:
        return model.feasible_bounds and bool(np.all(model.lower <= 0))
    return model.best_panel(np.ones(model.units))[0] is not None
