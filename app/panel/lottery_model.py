"""The integer model behind the panel lottery, written over TYPES of people rather than people.

Two members are interchangeable when they fall in the same quota groups and share a household
with nobody else in the pool: any feasible panel stays feasible when one replaces the other. We
merge each such set into one "type" unit with an integer variable (how many of them the panel
takes, 0..type size). Members who share a household keep a 0/1 variable of their own, tied by
"at most one per household" rows. Maximin over types is exact: averaging an optimal lottery over
the swaps of interchangeable members keeps every panel feasible and the smallest probability, so
some optimal lottery gives every member of a type the same chance (the type's expected count
divided by its size), and that is the one we compute.

People kept from an earlier round (`fixed_in`) are taken out: the places, quota minimums and
maximums they use up are subtracted, and their household-mates can't be drawn.
"""
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix, hstack, vstack


@dataclass
class UnitModel:
    people: list  # Candidates sorted by id
    size: int  # places left to fill (size minus the fixed people)
    unit_members: list  # [[person index, ...]] per unit, indexes ascending
    capacity: np.ndarray  # members per unit
    matrix: csr_matrix  # rows: total, quota groups, households; columns: units
    lower: np.ndarray
    upper: np.ndarray
    fixed: frozenset  # person indexes in every panel
    excluded: frozenset  # person indexes that can't be drawn (household-mate of a fixed person)
    feasible_bounds: bool  # False when the fixed people alone break a maximum
    quota_rows: int = 1  # the first rows (total + quota groups); the rest are households

    @property
    def units(self) -> int:
        return len(self.capacity)

    def best_panel(self, weights, gap=1e-4, cover=None):
        """Counts per unit of the feasible panel with the largest Σ weights·counts, and an upper
        bound on that largest value (from the MILP's dual bound); (None, None) when no panel fits.

        `cover`: bool mask of units to reward once each for being in the panel at all (used to
        find panels that reach units no panel found so far reaches); adds a 0/1 per such unit.
        """
        if not self.feasible_bounds:
            return None, None
        n = self.units
        cost = -np.asarray(weights, dtype=float)
        matrix, lower, upper = self.matrix, self.lower, self.upper
        var_upper = self.capacity.astype(float)
        if cover is not None and cover.any():
            picks = np.flatnonzero(cover)
            k = len(picks)
            # y_j <= x_{picks[j]}  i.e.  x - y >= 0
            link = hstack([csr_matrix((np.ones(k), (np.arange(k), picks)), shape=(k, n)),
                           -csr_matrix(np.eye(k))])
            matrix = vstack([hstack([matrix, csr_matrix((matrix.shape[0], k))]), link]).tocsr()
            lower = np.concatenate([lower, np.zeros(k)])
            upper = np.concatenate([upper, np.full(k, np.inf)])
            cost = np.concatenate([cost, -np.ones(k)])
            var_upper = np.concatenate([var_upper, np.ones(k)])
        res = milp(cost, constraints=[LinearConstraint(matrix, lower, upper)],
                   bounds=Bounds(np.zeros(len(cost)), var_upper), integrality=np.ones(len(cost)),
                   options={"presolve": True, "mip_rel_gap": gap})
        if res.x is None or res.status not in (0, 1):
            return None, None
        counts = np.rint(res.x[:n]).astype(int)
        value = -float(res.fun)
        bound = getattr(res, "mip_dual_bound", None)
        bound = -float(bound) if bound is not None and np.isfinite(bound) else value
        return counts, max(bound, value)

    def lp_bound(self, covered):
        """The best possible smallest probability over the `covered` units if panels could be
        fractional: max z s.t. the expected counts m satisfy every row, 0 ≤ m ≤ capacity and
        m_u ≥ z·capacity_u. Real lotteries average whole panels, so they can't do better."""
        n = self.units
        picks = np.flatnonzero(covered)
        if not len(picks):
            return 1.0
        a = hstack([self.matrix, csr_matrix((self.matrix.shape[0], 1))]).tocsr()
        # z·cap_u - m_u ≤ 0 for covered units
        rows = csr_matrix((np.concatenate([-np.ones(len(picks)), self.capacity[picks].astype(float)]),
                           (np.concatenate([np.arange(len(picks))] * 2),
                            np.concatenate([picks, np.full(len(picks), n)]))), shape=(len(picks), n + 1))
        finite_up, finite_low = np.isfinite(self.upper), self.lower > -np.inf
        a_ub = vstack([a[finite_up], -a[finite_low], rows]).tocsr()
        b_ub = np.concatenate([self.upper[finite_up], -self.lower[finite_low], np.zeros(len(picks))])
        cost = np.zeros(n + 1)
        cost[-1] = -1
        bounds = [(0, c) for c in self.capacity] + [(0, 1)]
        res = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
        return float(res.x[-1]) if res.status == 0 else 1.0


def signature(person, quotas):
    """What the constraints can see of a person: their group in each quota'd characteristic,
    or None when that group has no quota (such groups are all alike to the rows)."""
    return tuple((c, person.groups.get(c) if person.groups.get(c) in quotas[c] else None) for c in sorted(quotas))


def build(people, size, quotas, one_per_household=True, fixed_in=frozenset()) -> UnitModel:
    people = sorted(people, key=lambda p: p.id)
    fixed = frozenset(i for i, p in enumerate(people) if p.id in fixed_in)
    fixed_households = {people[i].household for i in fixed if people[i].household} if one_per_household else set()
    excluded = frozenset(i for i, p in enumerate(people)
                         if i not in fixed and p.household and p.household in fixed_households)
    free = [i for i in range(len(people)) if i not in fixed and i not in excluded]
    household_size = {}
    if one_per_household:
        for i in free:
            if people[i].household:
                household_size[people[i].household] = household_size.get(people[i].household, 0) + 1
    types, singles = {}, []
    for i in free:
        if household_size.get(people[i].household, 0) > 1:
            singles.append([i])
        else:
            types.setdefault(signature(people[i], quotas), []).append(i)
    unit_members = sorted(list(types.values()) + singles, key=lambda members: members[0])
    capacity = np.array([len(m) for m in unit_members], dtype=int)
    n = len(unit_members)
    rows, lower, upper = [np.ones(n)], [size - len(fixed)], [size - len(fixed)]
    feasible = size - len(fixed) >= 0
    for characteristic, groups in sorted(quotas.items()):
        for group, (low, high) in sorted(groups.items()):
            rows.append(np.array([1.0 if people[m[0]].groups.get(characteristic) == group else 0.0
                                  for m in unit_members]))
            already = sum(1 for i in fixed if people[i].groups.get(characteristic) == group)
            lower.append(max(0, (low or 0) - already))
            upper.append(high - already if high is not None else np.inf)
            feasible = feasible and (high is None or high >= already)
    household_rows = {}
    for u, members in enumerate(unit_members):
        if len(members) == 1 and household_size.get(people[members[0]].household, 0) > 1:
            household_rows.setdefault(people[members[0]].household, []).append(u)
    for units in household_rows.values():
        row = np.zeros(n)
        row[units] = 1
        rows.append(row)
        lower.append(0)
        upper.append(1)
    matrix = csr_matrix(np.vstack(rows)) if n else csr_matrix((len(rows), 0))
    return UnitModel(people, size - len(fixed), unit_members, capacity, matrix,
                     np.array(lower, dtype=float), np.maximum(np.array(upper, dtype=float), 0), fixed, excluded,
                     feasible, quota_rows=len(rows) - len(household_rows))


class SwapSearch:
    """Cheap pricing: improve a panel by swapping one person for another while every row stays
    within its bounds. Finds most of the panels the column generation needs in milliseconds; the
    MILP is kept for the panels this misses and for the proof that none is left."""

    def __init__(self, model: UnitModel):
        self.model = model
        dense = model.matrix.toarray() > 0
        q = model.quota_rows
        # Quota rows (the total row never blocks a swap) packed as bits: one uint64 word per 64
        # rows, so checking a swap against every row is a few integer operations.
        self.a = dense[1:q].astype(float)
        self.lower, self.upper = model.lower[1:q], model.upper[1:q]
        words = max(1, -(-(q - 1) // 64))
        self.bits = np.zeros((model.units, words), dtype=np.uint64)
        for r in range(q - 1):
            self.bits[dense[1 + r], r // 64] |= np.uint64(1 << (r % 64))
        self.households = dense.shape[0] - q
        self.household_of = np.full(model.units, -1)
        for h in range(self.households):
            self.household_of[dense[q + h]] = h

    def _row_bits(self, flags):
        out = np.zeros(self.bits.shape[1], dtype=np.uint64)
        for r in np.flatnonzero(flags):
            out[r // 64] |= np.uint64(1 << (int(r) % 64))
        return out

    def improve(self, counts, gains, max_moves=500):
        """Best-improvement swaps for the linear objective `gains`·counts. Returns new counts."""
        m = self.model
        x = counts.copy()
        rows = self.a @ x
        occupied = np.bincount(self.household_of[(x > 0) & (self.household_of >= 0)], minlength=self.households + 1)
        for _ in range(max_moves):
            inside = np.flatnonzero(x > 0)
            room = np.flatnonzero(x < m.capacity)
            if not len(inside) or not len(room):
                break
            # Only swaps that gain can matter: drop the hopeless ones before checking rows.
            room = room[gains[room] > gains[inside].min() + 1e-12]
            if not len(room):
                break
            inside = inside[gains[inside] < gains[room].max() - 1e-12]
            if not len(inside):
                break
            delta = gains[room][None, :] - gains[inside][:, None]
            no_add = self._row_bits(rows + 1 > self.upper + 1e-9)
            no_remove = self._row_bits(rows - 1 < self.lower - 1e-9)
            b_in, b_room = self.bits[inside][:, None, :], self.bits[room][None, :, :]
            bad = (((b_room & ~b_in & no_add) | (b_in & ~b_room & no_remove)) != 0).any(axis=2)
            h_room, h_in = self.household_of[room], self.household_of[inside]
            taken = (h_room >= 0) & (occupied[np.maximum(h_room, 0)] > 0)
            bad |= taken[None, :] & (h_in[:, None] != h_room[None, :])
            bad |= inside[:, None] == room[None, :]
            delta[bad] = -np.inf
            best = int(np.argmax(delta))
            if delta.flat[best] <= 1e-12:
                break
            u, v = inside[best // len(room)], room[best % len(room)]
            x[u] -= 1
            x[v] += 1
            rows += self.a[:, v] - self.a[:, u]
            if self.household_of[u] >= 0:
                occupied[self.household_of[u]] -= 1
            if self.household_of[v] >= 0:
                occupied[self.household_of[v]] += 1
        return x
