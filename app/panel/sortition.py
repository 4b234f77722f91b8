"""A maximally fair stratified lottery (Flanigan, Gölz, Gupta, Hennig & Procaccia, "Fair
algorithms for selecting citizens' assemblies", Nature 596, 2021), with SciPy's HiGHS solvers.

We compute the MAXIMIN distribution: a probability distribution over feasible panels (panels
of the right size that meet every quota and take at most one person per household) that makes
the smallest selection probability of any member as large as possible. Column generation:

1. Find feasible panels that between them include every member who can be selected at all
   (repeatedly maximise the number of not-yet-covered members in a panel; when that maximum
   is 0 the rest can't be in any feasible panel and get probability 0).
2. Solve the dual LP (min ŷ s.t. Σ_{i∈P} y_i ≤ ŷ for every known panel P, Σ y_i = 1, y ≥ 0)
   and price a new panel with a MILP (max Σ_{i∈P} y_i over feasible panels). Repeat until no
   panel beats ŷ: then the known panels suffice.
3. Solve the primal LP over the known panels for the probabilities, and draw one panel with a
   seeded random generator. Same people, quotas and seed => same result.

This module knows nothing about the database: people are plain Candidate objects.
"""
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix

METHOD = "Maximin stratified lottery (Flanigan et al. 2021), column generation with HiGHS (SciPy)"
EPS = 1e-7


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


class InfeasibleQuotas(Exception):
    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class _Model:
    people: list
    size: int
    quotas: dict
    one_per_household: bool
    fixed_in: frozenset = frozenset()
    rows: list = field(default_factory=list)

    def __post_init__(self):
        n = len(self.people)
        index = {p.id: i for i, p in enumerate(self.people)}
        matrix, lower, upper = [np.ones(n)], [self.size], [self.size]
        for characteristic, groups in sorted(self.quotas.items()):
            for group, (low, high) in sorted(groups.items()):
                row = np.array([1.0 if p.groups.get(characteristic) == group else 0.0 for p in self.people])
                matrix.append(row)
                lower.append(low if low is not None else 0)
                upper.append(high if high is not None else np.inf)
        if self.one_per_household:
            households = {}
            for i, p in enumerate(self.people):
                if p.household:
                    households.setdefault(p.household, []).append(i)
            for members in households.values():
                if len(members) > 1:
                    row = np.zeros(n)
                    row[members] = 1
                    matrix.append(row)
                    lower.append(0)
                    upper.append(1)
        self.constraint = LinearConstraint(csr_matrix(np.vstack(matrix)), lower, upper)
        low_bounds = np.zeros(n)
        for pid in self.fixed_in:
            low_bounds[index[pid]] = 1
        self.bounds = Bounds(low_bounds, np.ones(n))

    def best_panel(self, weights, gap=0.0):
        """The feasible panel with the largest total weight (within relative `gap`), or None when
        there is none. Also sets `self.bound`: no panel weighs more than this."""
        res = milp(-np.asarray(weights, dtype=float), constraints=[self.constraint], bounds=self.bounds,
                   integrality=np.ones(len(self.people)), options={"presolve": True, "mip_rel_gap": gap})
        if res.status != 0 or res.x is None:
            return None
        panel = frozenset(int(i) for i in np.flatnonzero(res.x > 0.5))
        bound = getattr(res, "mip_dual_bound", None)
        self.bound = -bound if bound is not None and np.isfinite(bound) else float(np.dot(weights, res.x))
        return panel


def draw_panel(people, size, quotas, seed, *, one_per_household=True, fixed_in=frozenset(),
               max_iterations=1000, tolerance=0.02, time_limit=120.0, describe=None) -> DrawResult:
    """Draw `size` people. `quotas`: {characteristic: {group: (min|None, max|None)}}.

    `fixed_in`: ids that must be in the panel (people kept when drawing replacements).
    Stops improving when the smallest probability is within `tolerance` (relative) of the best
    possible, or after `time_limit` seconds; `probability_bound` reports the best possible.
    Raises InfeasibleQuotas (with reasons a person can act on) when no panel fits.
    """
    started = time.perf_counter()
    people = sorted(people, key=lambda p: p.id)
    model = _Model(people, size, quotas, one_per_household, frozenset(fixed_in))
    rng = np.random.default_rng(int(seed))
    n = len(people)

    # 1. Cover every member who can be in some feasible panel.
    panels, covered = [], np.zeros(n, dtype=bool)
    while not covered.all():
        weights = (~covered).astype(float) + rng.random(n) * 1e-3
        panel = model.best_panel(weights)
        if panel is None:
            if not panels:
                kwargs = {"describe": describe} if describe else {}
                raise InfeasibleQuotas(explain_infeasible(people, size, quotas, one_per_household, fixed_in, **kwargs)
                                       or ["No group of this size meets every quota."])
            break
        new = [i for i in panel if not covered[i]]
        if not new:
            break  # nobody left uncovered can be in any feasible panel
        panels.append(panel)
        covered[list(panel)] = True
    fixed = np.array([p.id in model.fixed_in for p in people])
    free = np.flatnonzero(covered & ~fixed)  # whose minimum probability we maximise

    # 2. Column generation on the dual. Any y with Σy = 1 bounds the optimum from above by the
    # best panel's weight (weak duality), so we can stop once within `tolerance` of it.
    upper = 1.0
    lower = 0.0
    if len(free):
        for _ in range(max_iterations):
            y, lower = _solve_dual(panels, free, n)
            weights = np.zeros(n)
            weights[free] = y
            candidate = model.best_panel(weights, gap=tolerance / 2)
            if candidate is None:
                break
            value = float(sum(weights[i] for i in candidate))
            upper = min(upper, max(model.bound, value))
            if candidate in panels or value <= lower + EPS or upper - lower <= tolerance * upper \
                    or time.perf_counter() - started > time_limit:
                break
            panels.append(candidate)

    # 3. Primal probabilities, then the seeded lottery.
    probs = _solve_primal(panels, free, n) if len(free) else np.full(len(panels), 1 / len(panels))
    probs = np.clip(probs, 0, None)
    probs = probs / probs.sum()
    marginals = np.zeros(n)
    for p_panel, panel in zip(probs, panels):
        marginals[list(panel)] += p_panel
    chosen = set(panels[int(rng.choice(len(panels), p=probs))])
    # Maximin only lifts the smallest chance; members nobody can tell apart (same groups, own
    # household, not fixed) may still get unequal chances. Shuffling who fills the class's places
    # gives each of them the class average, which keeps every quota and never lowers the minimum.
    for members in _equivalence_classes(people, model.fixed_in):
        places = sum(1 for i in members if i in chosen)
        if 0 < places < len(members):
            chosen -= set(members)
            chosen |= {int(i) for i in rng.choice(members, size=places, replace=False)}
        marginals[members] = marginals[members].mean()
    values = marginals[free] if len(free) else np.array([1.0])
    return DrawResult(
        selected=sorted(people[i].id for i in chosen),  # noqa: C414
        probabilities={p.id: round(float(marginals[i]), 6) for i, p in enumerate(people)},
        panels_used=int((probs > 1e-9).sum()), seconds=time.perf_counter() - started,
        probability_min=round(float(values.min()), 6), probability_max=round(float(values.max()), 6),
        probability_bound=round(max(upper, float(values.min())), 6))


def _equivalence_classes(people, fixed_in):
    """Lists of indexes of interchangeable people (same groups, nobody else in their household)."""
    households = {}
    for p in people:
        if p.household:
            households[p.household] = households.get(p.household, 0) + 1
    classes = {}
    for i, p in enumerate(people):
        if p.id in fixed_in or (p.household and households[p.household] > 1):
            continue
        classes.setdefault(tuple(sorted(p.groups.items())), []).append(i)
    return [members for members in classes.values() if len(members) > 1]


def _membership(panels, free, n):
    """Matrix: row per free member, column per panel, 1 when the member is in the panel."""
    position = {int(i): r for r, i in enumerate(free)}
    data, rows, cols = [], [], []
    for c, panel in enumerate(panels):
        for i in panel:
            if i in position:
                rows.append(position[i]); cols.append(c); data.append(1.0)
    return csr_matrix((data, (rows, cols)), shape=(len(free), len(panels)))


def _solve_dual(panels, free, n):
    """min ŷ s.t. Σ_{i∈P} y_i - ŷ ≤ 0 for each panel; Σ y = 1; y ≥ 0. Variables [y..., ŷ]."""
    a = _membership(panels, free, n).T.tocsr()  # panels x free
    from scipy.sparse import hstack
    a_ub = hstack([a, csr_matrix(-np.ones((len(panels), 1)))]).tocsr()
    cost = np.zeros(len(free) + 1)
    cost[-1] = 1
    a_eq = np.concatenate([np.ones(len(free)), [0]]).reshape(1, -1)
    bounds = [(0, None)] * len(free) + [(None, None)]
    res = linprog(cost, A_ub=a_ub, b_ub=np.zeros(len(panels)), A_eq=a_eq, b_eq=[1], bounds=bounds,
                  method="highs")
    return res.x[:-1], res.x[-1]


def _solve_primal(panels, free, n):
    """max z s.t. Σ_P p_P [i∈P] ≥ z for each free member; Σ p = 1. Variables [p..., z]."""
    from scipy.sparse import hstack
    a = _membership(panels, free, n)
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
    people = sorted(people, key=lambda p: p.id)
    if _Model(people, size, quotas, one_per_household, frozenset(fixed_in)).best_panel(np.ones(len(people))):
        return []
    culprits = [describe(c, None) for c in sorted(quotas)
                if _Model(people, size, {k: v for k, v in quotas.items() if k != c}, one_per_household,
                          frozenset(fixed_in)).best_panel(np.ones(len(people)))]
    if culprits:
        return ["Each quota can be met on its own, but not all together. Relaxing the quotas for "
                + " or ".join(culprits) + " would make a draw possible."]
    return ["Each quota can be met on its own, but not all together. Widen the minimums and maximums, "
            "or draw fewer people."]
