"""Group exact and near-duplicate comments (campaign or copy-paste responses).

Exact duplicates compare equal after ``normalise_key``. Near duplicates are found with
MinHash + locality-sensitive hashing over word uni/bi-grams, then checked with the exact
Jaccard similarity; this is linear in the number of comments, so 100k comments never
need an n-by-n similarity matrix.
"""
from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from .text import normalise_key



def _mix64(z):
    """splitmix64 finaliser: a plain a*x+b stays monotonic for small x, so every
    permutation would pick the same minimum; mixing the bits fixes that."""
    z = z ^ (z >> np.uint64(30))
    z = z * np.uint64(0xBF58476D1CE4E5B9)
    z = z ^ (z >> np.uint64(27))
    z = z * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


class _UnionFind:
    def __init__(self, n):
        self.parent = np.arange(n)

    def find(self, i):
        p = self.parent
        root = i
        while p[root] != root:
            root = p[root]
        while p[i] != root:
            p[i], i = root, p[i]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # Keep the smaller index as root so the earliest comment represents a group.
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo


class DuplicateGrouper:
    """Find duplicate groups; each comment is mapped to the first comment of its group.

    Parameters
    ----------
    threshold : float
        Jaccard similarity of word uni/bi-gram sets above which two comments are near
        duplicates. ``None`` keeps exact duplicates only.
    min_tokens : int
        Shorter comments are only grouped when exactly equal: with very few words the
        Jaccard similarity is too coarse to tell a copy from a different short answer.
    n_bands, band_size : int
        LSH layout; with 16 x 4 a pair at Jaccard 0.8 is found with probability > 0.999.
    random_state : int
    """

    def __init__(self, threshold=0.8, min_tokens=6, n_bands=16, band_size=4, random_state=0):
        self.threshold = threshold
        self.min_tokens = min_tokens
        self.n_bands = n_bands
        self.band_size = band_size
        self.random_state = random_state

    def fit(self, texts, y=None):
        keys = [normalise_key(t) for t in texts]
        n = len(keys)
        first = {}
        rep = np.empty(n, dtype=np.int64)
        for i, k in enumerate(keys):
            rep[i] = first.setdefault(k, i)
        uniq = np.array(sorted(first.values()), dtype=np.int64)
        if self.threshold is not None and len(uniq) > 1:
            self._near_duplicates([keys[i] for i in uniq], uniq, rep)
        self.representative_ = rep
        counts = np.bincount(rep, minlength=n)
        self.counts_ = counts
        self.groups_ = self._groups(rep)
        return self

    def _near_duplicates(self, ukeys, uniq, rep):
        hv = HashingVectorizer(
            analyzer="word", ngram_range=(1, 2), n_features=1 << 22, binary=True,
            norm=None, alternate_sign=False, token_pattern=r"(?u)\b\w+\b",
        )
        X = hv.transform(ukeys).tocsr()
        X.sort_indices()
        n_words = np.array([len(k.split()) for k in ukeys])
        ok = n_words >= self.min_tokens
        if ok.sum() < 2:
            return
        rows = np.flatnonzero(ok)
        Xs = X[rows]
        sig = self._minhash(Xs)
        uf = _UnionFind(len(rows))
        rng = np.random.RandomState(self.random_state)
        mix = rng.randint(1, 1 << 31, size=self.band_size).astype(np.uint64)
        for b in range(self.n_bands):
            band = sig[:, b * self.band_size:(b + 1) * self.band_size]
            bucket = (band * mix).sum(axis=1)
            order = np.argsort(bucket, kind="stable")
            sb = bucket[order]
            starts = np.flatnonzero(np.r_[True, sb[1:] != sb[:-1]])
            ends = np.r_[starts[1:], len(sb)]
            for s, e in zip(starts, ends):
                if e - s < 2:
                    continue
                members = order[s:e]
                head = members[0]
                hi = Xs.indices[Xs.indptr[head]:Xs.indptr[head + 1]]
                for m in members[1:]:
                    mi = Xs.indices[Xs.indptr[m]:Xs.indptr[m + 1]]
                    inter = len(np.intersect1d(hi, mi, assume_unique=True))
                    if inter / (len(hi) + len(mi) - inter) >= self.threshold:
                        uf.union(head, m)
        canon = np.arange(len(rep))
        for local, glob in enumerate(rows):
            canon[uniq[glob]] = uniq[rows[uf.find(local)]]
        rep[:] = canon[rep]

    def _minhash(self, X):
        rng = np.random.RandomState(self.random_state)
        n_perm = self.n_bands * self.band_size
        a = rng.randint(1, 1 << 30, size=n_perm).astype(np.uint64)
        b = rng.randint(0, 1 << 30, size=n_perm).astype(np.uint64)
        feats = X.indices.astype(np.uint64)
        starts = X.indptr[:-1]
        empty = np.diff(X.indptr) == 0
        sig = np.full((X.shape[0], n_perm), np.iinfo(np.uint64).max, dtype=np.uint64)
        if len(feats) == 0:
            return sig
        safe_starts = np.minimum(starts, len(feats) - 1)
        for p in range(n_perm):
            h = _mix64(feats * a[p] + b[p])
            col = np.minimum.reduceat(h, safe_starts)
            col[empty] = np.iinfo(np.uint64).max
            sig[:, p] = col
        return sig

    @staticmethod
    def _groups(rep):
        order = np.argsort(rep, kind="stable")
        sr = rep[order]
        starts = np.flatnonzero(np.r_[True, sr[1:] != sr[:-1]])
        ends = np.r_[starts[1:], len(sr)]
        return [order[s:e].tolist() for s, e in zip(starts, ends) if e - s > 1]


def text_keys(texts):
    """64-bit fingerprints of comments (case and spacing ignored): how a later fit recognises
    the comments it has seen without keeping their words."""
    import hashlib

    return np.array([int.from_bytes(hashlib.blake2b(" ".join(t.lower().split()).encode("utf-8"),
                                                    digest_size=8).digest(), "little")
                     for t in texts], dtype=np.uint64)
