"""Clusterers on synthetic vectors: groups we made, so the right answer is known."""
import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from nlp.clustering import SpectralKMeans, UmapKMeans


def _groups(n_groups=4, per_group=40, dims=32, noise=0.15, seed=0):
    rng = np.random.RandomState(seed)
    centres = rng.normal(size=(n_groups, dims))
    X = np.vstack([c + noise * rng.normal(size=(per_group, dims)) for c in centres])
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    return X.astype(np.float32), np.repeat(np.arange(n_groups), per_group)


def test_spectral_kmeans_finds_separated_groups_and_their_number():
    X, truth = _groups()
    clusterer = SpectralKMeans(min_clusters=2, random_state=0).fit(X)
    assert clusterer.n_clusters_ == 4
    assert adjusted_rand_score(truth, clusterer.labels_) == 1.0


def test_umap_kmeans_finds_separated_groups_and_repeats_itself():
    pytest.importorskip("umap")  # optional extra (requirements-embeddings.txt)
    X, truth = _groups()
    first = UmapKMeans(min_clusters=2, random_state=0).fit(X)
    again = UmapKMeans(min_clusters=2, random_state=0).fit(X)
    assert first.n_clusters_ == 4
    assert adjusted_rand_score(truth, first.labels_) == 1.0
    assert (first.labels_ == again.labels_).all()
    # New rows go to the nearest theme centre, as with the other clusterers.
    assert (first.predict(X[:5]) == first.labels_[:5]).all()
