"""nlp/opinion.py: planted opinion groups are found again, and so are the statements that set
each group apart and those every group agrees with."""
import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from nlp.opinion import (NotEnoughVotes, OpinionGroups, consensus_statements, planted_votes,
                         representative_statements, summarise)


def test_planted_groups_are_recovered():
    X, truth = planted_votes(600, 40, n_groups=3, vote_rate=0.6, noise=0.15, seed=1)
    model = OpinionGroups().fit(X)
    assert model.n_groups_ == 3
    assert adjusted_rand_score(truth[model.included_], model.labels_[model.included_]) > 0.9
    assert model.embedding_.shape == (model.included_.sum(), 2)
    assert set(model.scores_) == {2, 3, 4, 5}
    # Groups are numbered largest first.
    sizes = np.bincount(model.labels_[model.included_])
    assert list(sizes) == sorted(sizes, reverse=True)


def test_two_groups_are_chosen_when_there_are_two():
    X, truth = planted_votes(300, 30, n_groups=2, seed=2)
    model = OpinionGroups().fit(X)
    assert model.n_groups_ == 2
    assert adjusted_rand_score(truth, model.labels_) > 0.9


def test_participants_with_too_few_votes_are_left_out():
    X, _truth = planted_votes(200, 20, n_groups=2, vote_rate=0.9, seed=3)
    X[:15, 3:] = np.nan  # 3 votes at most
    model = OpinionGroups(min_votes=7).fit(X)
    assert not model.included_[:15].any()
    assert (model.labels_[:15] == -1).all()
    assert (model.labels_[15:] >= 0).all()


def test_fewer_statements_than_min_votes_lowers_the_bar():
    X, _truth = planted_votes(100, 5, n_groups=2, vote_rate=1.0, pass_rate=0, seed=4)
    model = OpinionGroups(min_votes=7).fit(X)
    assert model.included_.all()


def test_too_few_voters_is_a_clear_error():
    X, _truth = planted_votes(6, 20, seed=5)
    with pytest.raises(NotEnoughVotes):
        OpinionGroups().fit(X)
    with pytest.raises(NotEnoughVotes):
        OpinionGroups().fit(np.ones((50, 10)))  # everyone the same: nothing to separate


def test_representative_statements_are_the_ones_the_group_differs_on():
    X, truth = planted_votes(600, 30, n_groups=2, noise=0.1, seed=6, shared=5)
    model = OpinionGroups().fit(X)
    found = representative_statements(X, model.labels_, model.n_groups_)
    assert all(found)
    for group, stats in enumerate(found):
        for stat in stats:
            assert stat.statement >= 5  # never a statement everyone shares
            assert stat.rate_in > 0.5 and stat.rate_in > stat.rate_out and stat.z >= 1.96
            members = model.labels_ == group
            column = X[members, stat.statement]
            voted = column[~np.isnan(column)]
            wanted = 1 if stat.direction == "agree" else -1
            assert stat.rate_in == pytest.approx((voted == wanted).mean(), abs=1e-6)


def test_consensus_is_found():
    X, _truth = planted_votes(600, 30, n_groups=3, noise=0.1, seed=7, shared=4)
    model = OpinionGroups().fit(X)
    consensus = consensus_statements(X, model.labels_, model.n_groups_)
    agreed = {s.statement for s in consensus if s.direction == "agree"}
    assert {0, 1, 2, 3} <= agreed
    assert all(s.rate_in >= 0.6 for s in consensus)


def test_summarise_is_plain_data():
    import json

    X, _truth = planted_votes(120, 12, n_groups=2, seed=8, shared=2)
    result = summarise(X)
    json.dumps(result)
    assert sum(g["size"] for g in result["groups"]) == result["participants"] == len(result["points"])
    row, group, x, y = result["points"][0]
    assert 0 <= group < len(result["groups"])


def test_parameters_follow_scikit_learn_conventions():
    from sklearn.base import clone

    model = OpinionGroups(min_votes=3, k_range=(2, 3))
    assert clone(model).min_votes == 3
    assert not hasattr(model, "labels_")
