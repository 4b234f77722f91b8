"""The lottery works on types of interchangeable members: check it against brute force over
every feasible panel of tiny pools, where the individual maximin can be solved exactly."""
import itertools

import numpy as np
import pytest
from scipy.optimize import linprog

from app.panel import lottery_model
from app.panel.sortition import Candidate, draw_panel


def _feasible(panel, size, quotas, one_per_household):
    if len(panel) != size:
        return False
    households = [p.household for p in panel if p.household]
    if one_per_household and len(households) != len(set(households)):
        return False
    for characteristic, groups in quotas.items():
        for group, (low, high) in groups.items():
            have = sum(1 for p in panel if p.groups.get(characteristic) == group)
            if (low is not None and have < low) or (high is not None and have > high):
                return False
    return True


def brute_force_maximin(people, size, quotas, one_per_household=True):
    """The individual formulation solved exactly: max z s.t. every member who is in some feasible
    panel has probability ≥ z, over ALL feasible panels (listed with itertools)."""
    panels = [c for c in itertools.combinations(people, size) if _feasible(c, size, quotas, one_per_household)]
    reachable = sorted({p.id for panel in panels for p in panel})
    member = np.array([[1.0 if any(p.id == pid for p in panel) else 0.0 for panel in panels] for pid in reachable])
    k = len(panels)
    res = linprog(np.r_[np.zeros(k), -1], A_ub=np.hstack([-member, np.ones((len(reachable), 1))]),
                  b_ub=np.zeros(len(reachable)), A_eq=np.r_[np.ones(k), 0].reshape(1, -1), b_eq=[1],
                  bounds=[(0, None)] * k + [(None, None)], method="highs")
    return -res.fun, reachable


def _pool():
    """9 people: 4 interchangeable young women (one type), 2 older men (a type of 2), and a
    household of three who must be kept apart."""
    people = [Candidate(i, {"age": "young", "sex": "f"}) for i in range(1, 5)]
    people += [Candidate(i, {"age": "old", "sex": "m"}) for i in (5, 6)]
    people += [Candidate(7, {"age": "old", "sex": "f"}, "flat 2"), Candidate(8, {"age": "young", "sex": "m"}, "flat 2"),
               Candidate(9, {"age": "old", "sex": "m"}, "flat 2")]
    return people


QUOTAS = {"age": {"old": (2, 2)}, "sex": {"m": (1, 2)}}


def test_types_merge_interchangeable_members_only():
    model = lottery_model.build(_pool(), 4, QUOTAS)
    assert model.unit_members == [[0, 1, 2, 3], [4, 5], [6], [7], [8]]
    assert list(model.capacity) == [4, 2, 1, 1, 1]
    # total, 2 quota rows (age old, sex m) and one household row over the three flatmates
    assert model.matrix.shape == (1 + 2 + 1, 5)
    assert list(model.matrix.toarray()[-1]) == [0, 0, 1, 1, 1]


def test_same_smallest_probability_as_the_individual_formulation():
    people = _pool()
    best, reachable = brute_force_maximin(people, 4, QUOTAS)
    result = draw_panel(people, 4, QUOTAS, seed=3, tolerance=1e-6)
    assert result.probability_min == pytest.approx(best, abs=1e-5)
    assert result.probability_bound == pytest.approx(best, abs=1e-5)
    # Every member of a type gets the same chance; quotas and household rule hold in the draw.
    assert len({result.probabilities[i] for i in (1, 2, 3, 4)}) == 1
    assert result.probabilities[5] == result.probabilities[6]
    chosen = [p for p in people if p.id in result.selected]
    assert _feasible(chosen, 4, QUOTAS, True)
    # Expected panel size is 4: the probabilities are a real lottery.
    assert sum(result.probabilities.values()) == pytest.approx(4, abs=1e-4)


@pytest.mark.parametrize("seed", range(6))
def test_random_tiny_pools_match_brute_force(seed):
    rng = np.random.default_rng(seed)
    people = [Candidate(i, {"a": str(rng.integers(3)), "b": str(rng.integers(2))},
                        f"h{rng.integers(6)}" if rng.random() < 0.4 else None) for i in range(10)]
    quotas = {"a": {"0": (1, 2), "1": (None, 2)}, "b": {"1": (1, 3)}}
    best, reachable = brute_force_maximin(people, 4, quotas)
    result = draw_panel(people, 4, quotas, seed=seed, tolerance=1e-6)
    assert result.probability_min == pytest.approx(best, abs=1e-5)
    unreachable = {p.id for p in people} - set(reachable)
    assert all(result.probabilities[i] == 0 for i in unreachable)
    assert _feasible([p for p in people if p.id in result.selected], 4, quotas, True)


def test_fixed_members_are_kept_and_their_household_skipped():
    people = _pool()
    result = draw_panel(people, 4, QUOTAS, seed=1, fixed_in={7}, tolerance=1e-6)
    assert 7 in result.selected and result.probabilities[7] == 1.0
    assert result.probabilities[8] == 0 and result.probabilities[9] == 0  # flatmates of 7
    chosen = [p for p in people if p.id in result.selected]
    assert _feasible(chosen, 4, QUOTAS, True)
