"""Opinion groups from agree / disagree / pass votes on short statements, as Polis finds them.

A plain library (numpy and scikit-learn; no Flask, no database). The vote matrix has one row per
participant and one column per statement: +1 agree, -1 disagree, 0 pass, NaN not voted.

- `OpinionGroups` (scikit-learn style: parameters in __init__, `fit` returns self, learned state
  ends in `_`) keeps the participants with enough votes, fills missing votes with 0 (as Polis
  does), projects them to 2 dimensions with PCA (each participant's position scaled up by
  sqrt(statements / votes), so people who voted on few statements are not all pulled to the
  middle), and groups them with k-means, k from 2 to 5 chosen by the silhouette score.
- `representative_statements` says, for each group, which statements set it apart: the group
  agrees (or disagrees) more often than everyone else, by a two-proportion z-test, with enough
  of the group having voted on it.
- `consensus_statements` finds the statements that most of every group agrees with (or
  disagrees with).
- `summarise` runs all three and returns plain lists and dicts (what an app stores and shows).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

AGREE, DISAGREE, PASS = 1, -1, 0


class NotEnoughVotes(ValueError):
    """Too few participants (with enough votes each) to find groups."""


class OpinionGroups(ClusterMixin, BaseEstimator):
    """Group participants by how they voted.

    Parameters
    ----------
    min_votes : a participant needs this many votes (agree, disagree or pass) to be placed; lowered
        to the number of statements when there are fewer statements than that.
    min_participants : fewer qualifying participants than this raises NotEnoughVotes.
    k_range : the group counts tried (inclusive); the best silhouette wins.
    silhouette_sample : at most this many participants are used to score each k (the score is
        quadratic in the number of points).
    random_state, n_init : passed to KMeans.
    n_threads : BLAS/OpenMP threads while fitting. 1 by default: the problem is small, and on a
        busy server many threads fight each other (10,000 x 200 takes 0.5 s on one thread and
        ten times longer with threads oversubscribed).

    Learned
    -------
    included_ : bool mask over the rows of X, True for the participants placed in a group.
    mean_, components_ : the PCA centre and the two axes (statements weights).
    embedding_ : (n_included, 2) positions.
    labels_ : (n_rows,) group number per row of X, -1 for participants not placed.
    n_groups_, silhouette_ : the chosen k and its score; scores_ : {k: silhouette}.
    cluster_centers_ : (n_groups_, 2) group centres in the projection.
    """

    def __init__(self, min_votes=7, min_participants=10, k_range=(2, 5), silhouette_sample=2000,
                 random_state=0, n_init=4, n_threads=1):
        self.min_votes = min_votes
        self.min_participants = min_participants
        self.k_range = k_range
        self.silhouette_sample = silhouette_sample
        self.random_state = random_state
        self.n_init = n_init
        self.n_threads = n_threads

    def fit(self, X, y=None):
        with threadpool_limits(limits=self.n_threads):
            return self._fit(X)

    def _fit(self, X):
        X = np.asarray(X, dtype=np.float32)
        if X.ndim != 2:
            raise ValueError("X must be a 2-D vote matrix (participants x statements)")
        seen = ~np.isnan(X)
        counts = seen.sum(axis=1)
        needed = max(1, min(self.min_votes, X.shape[1]))
        self.included_ = counts >= needed
        n = int(self.included_.sum())
        low, high = self.k_range
        if n < max(self.min_participants, low + 1):
            raise NotEnoughVotes(f"{n} participants have {needed} or more votes; at least "
                                 f"{max(self.min_participants, low + 1)} are needed to find groups")
        filled = np.where(seen, X, 0.0)[self.included_]
        distinct = len(np.unique(filled, axis=0))
        if distinct < low:
            raise NotEnoughVotes("everyone voted the same way: there are no separate groups")
        pca = PCA(n_components=min(2, filled.shape[1]), random_state=self.random_state)
        embedding = pca.fit_transform(filled)
        # Polis: someone who voted on few statements sits near the centre only because the
        # missing votes are zeros; scale them out by sqrt(statements / their votes).
        embedding *= np.sqrt(X.shape[1] / counts[self.included_])[:, None]
        self.mean_, self.components_ = pca.mean_, pca.components_
        self.embedding_ = embedding

        rng = np.random.RandomState(self.random_state)
        sample = None
        if n > self.silhouette_sample:
            sample = rng.choice(n, self.silhouette_sample, replace=False)
        self.scores_, best = {}, None
        for k in range(low, min(high, n - 1, distinct) + 1):
            km = KMeans(n_clusters=k, n_init=self.n_init, random_state=self.random_state).fit(embedding)
            labels = km.labels_
            if len(np.unique(labels)) < 2:
                continue
            points, marks = (embedding, labels) if sample is None else (embedding[sample], labels[sample])
            if len(np.unique(marks)) < 2:
                continue
            score = float(silhouette_score(points, marks))
            self.scores_[k] = score
            if best is None or score > best[0] + 1e-9:
                best = (score, k, km)
        if best is None:
            raise NotEnoughVotes("everyone voted the same way: there are no separate groups")
        score, k, km = best
        # Number groups by size, largest first, so "Group A" is stable and meaningful.
        order = np.argsort(-np.bincount(km.labels_, minlength=k), kind="stable")
        relabel = np.empty(k, dtype=int)
        relabel[order] = np.arange(k)
        self.labels_ = np.full(X.shape[0], -1, dtype=int)
        self.labels_[self.included_] = relabel[km.labels_]
        self.cluster_centers_ = km.cluster_centers_[order]
        self.n_groups_, self.silhouette_ = k, score
        return self

    def fit_predict(self, X, y=None):
        return self.fit(X).labels_


@dataclass
class StatementStat:
    statement: int  # column index in X
    direction: str  # "agree" or "disagree"
    rate_in: float  # share of the group (who voted on it) voting that way
    rate_out: float  # the same share among everyone else placed in a group
    votes_in: int
    z: float


def _counts(X, labels, n_groups):
    """(agree, disagree, seen) counts per group and statement, each (n_groups, n_statements)."""
    placed = labels >= 0
    X, labels = X[placed], labels[placed]
    onehot = np.zeros((len(labels), n_groups), dtype=np.float32)
    onehot[np.arange(len(labels)), labels] = 1
    with threadpool_limits(limits=1):  # see OpinionGroups.n_threads
        agree = onehot.T @ (X == AGREE).astype(np.float32)
        disagree = onehot.T @ (X == DISAGREE).astype(np.float32)
        seen = onehot.T @ (~np.isnan(X)).astype(np.float32)
    return agree, disagree, seen


def _z(hits_in, n_in, hits_out, n_out):
    """Two-proportion z statistic (pooled), 0 where either side has no votes."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p_in, p_out = hits_in / n_in, hits_out / n_out
        pooled = (hits_in + hits_out) / (n_in + n_out)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n_in + 1 / n_out))
        z = (p_in - p_out) / se
    return np.nan_to_num(z, nan=0.0, posinf=0.0, neginf=0.0)


def representative_statements(X, labels, n_groups, min_votes_in=5, z_min=1.96, min_rate=0.5,
                              max_per_group=5) -> list[list[StatementStat]]:
    """For each group, the statements that set it apart, best first.

    A statement sets a group apart when at least `min_votes_in` of the group voted on it, more
    than `min_rate` of them agreed (or disagreed), and that share is higher than among everyone
    else by a two-proportion z-test at `z_min` (1.96: 5% two-sided). Ranked as Polis ranks
    "repness": (smoothed rate in / smoothed rate out) x smoothed rate in. A statement is listed
    once per group, in the direction that sets the group apart more."""
    X = np.asarray(X, dtype=np.float32)
    agree, disagree, seen = _counts(X, labels, n_groups)
    found = []
    for g in range(n_groups):
        others = [h for h in range(n_groups) if h != g]
        n_in, n_out = seen[g], seen[others].sum(axis=0)
        best = {}
        for direction, hits in (("agree", agree), ("disagree", disagree)):
            h_in, h_out = hits[g], hits[others].sum(axis=0)
            z = _z(h_in, n_in, h_out, n_out)
            p_in, p_out = (h_in + 1) / (n_in + 2), (h_out + 1) / (n_out + 2)
            score = p_in / p_out * p_in
            with np.errstate(divide="ignore", invalid="ignore"):
                rate_in = np.where(n_in > 0, h_in / n_in, 0.0)
                rate_out = np.where(n_out > 0, h_out / n_out, 0.0)
            ok = (n_in >= min_votes_in) & (z >= z_min) & (rate_in > min_rate)
            for s in np.flatnonzero(ok):
                if s not in best or score[s] > best[s][0]:
                    best[s] = (float(score[s]), StatementStat(int(s), direction, float(rate_in[s]),
                                                              float(rate_out[s]), int(n_in[s]), float(z[s])))
        ranked = sorted(best.values(), key=lambda item: -item[0])
        found.append([stat for _score, stat in ranked[:max_per_group]])
    return found


def consensus_statements(X, labels, n_groups, min_rate=0.6, min_votes_per_group=3,
                         max_statements=10) -> list[StatementStat]:
    """Statements that at least `min_rate` of every group agrees with (or disagrees with), each
    group having at least `min_votes_per_group` votes on it; highest lowest-group share first.
    `rate_in` is the lowest group's share, `rate_out` the share among everyone placed."""
    X = np.asarray(X, dtype=np.float32)
    agree, disagree, seen = _counts(X, labels, n_groups)
    found = []
    for direction, hits in (("agree", agree), ("disagree", disagree)):
        with np.errstate(divide="ignore", invalid="ignore"):
            rates = np.where(seen > 0, hits / np.maximum(seen, 1), 0.0)
        lowest = rates.min(axis=0)
        overall = hits.sum(axis=0) / np.maximum(seen.sum(axis=0), 1)
        ok = (seen.min(axis=0) >= min_votes_per_group) & (lowest >= min_rate)
        for s in np.flatnonzero(ok):
            found.append(StatementStat(int(s), direction, float(lowest[s]), float(overall[s]),
                                       int(seen[:, s].sum()), 0.0))
    found.sort(key=lambda stat: (-stat.rate_in, stat.statement))
    return found[:max_statements]


def summarise(X, **params) -> dict:
    """Groups, representative and consensus statements as plain data (JSON-ready).

    Returns {"groups": [{"size", "representative": [...]}], "consensus": [...], "points":
    [[row, group, x, y], ...], "participants": placed, "silhouette", "scores"}; raises
    NotEnoughVotes when there are too few voters to group."""
    X = np.asarray(X, dtype=np.float32)
    model = OpinionGroups(**params).fit(X)
    k = model.n_groups_
    repness = representative_statements(X, model.labels_, k)
    consensus = consensus_statements(X, model.labels_, k)
    rows = np.flatnonzero(model.included_)
    sizes = np.bincount(model.labels_[rows], minlength=k)
    return {
        "groups": [{"size": int(sizes[g]), "representative": [asdict(s) for s in repness[g]]} for g in range(k)],
        "consensus": [asdict(s) for s in consensus],
        "points": [[int(r), int(model.labels_[r]), round(float(x), 4), round(float(y), 4)]
                   for r, (x, y) in zip(rows, model.embedding_)],
        "participants": int(len(rows)),
        "silhouette": round(model.silhouette_, 4),
        "scores": {str(key): round(value, 4) for key, value in model.scores_.items()},
    }


def planted_votes(n_participants=1000, n_statements=60, n_groups=3, vote_rate=0.6, noise=0.15,
                  pass_rate=0.1, seed=0, shared=0):
    """Synthetic votes with planted opinion groups (for tests, benchmarks and demo data).

    Each group has a stance per statement (agree or disagree); each participant votes on about
    `vote_rate` of the statements, follows their group's stance except with chance `noise`, and
    passes with chance `pass_rate`. The first `shared` statements get the same stance (agree) in
    every group: consensus statements. Returns (X, true group per participant)."""
    rng = np.random.default_rng(seed)
    stances = rng.choice([AGREE, DISAGREE], size=(n_groups, n_statements))
    stances[:, :shared] = AGREE
    truth = rng.integers(0, n_groups, size=n_participants)
    votes = stances[truth].astype(np.float32)
    flip = rng.random(votes.shape) < noise
    votes[flip] = -votes[flip]
    votes[rng.random(votes.shape) < pass_rate] = PASS
    votes[rng.random(votes.shape) >= vote_rate] = np.nan
    return votes, truth

