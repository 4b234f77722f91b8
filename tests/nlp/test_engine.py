from collections import Counter

import numpy as np
import pytest

from nlp import ThemeFinder, is_non_answer, match_themes
from nlp.dedup import DuplicateGrouper
from nlp.text import stop_words

from nlpcorpus import CAMPAIGN, CAMPAIGN_VARIANT, NON_ANSWERS, THEMES


def _purity(assignments, truth):
    by_theme = {}
    for a, t in zip(assignments, truth):
        if t is not None and a is not None:
            by_theme.setdefault(a, []).append(t)
    good = sum(Counter(v).most_common(1)[0][1] for v in by_theme.values())
    return good / sum(len(v) for v in by_theme.values())


@pytest.mark.parametrize("text", NON_ANSWERS + ["???", "", "  ", "Nothing really", "idk"])
def test_non_answers_recognised(text):
    assert is_non_answer(text)


@pytest.mark.parametrize("text", ["No parking on Sundays", "Nothing works at the library",
                                  "I agree with closing the road to through traffic"])
def test_real_answers_not_flagged(text):
    assert not is_non_answer(text)


def test_non_answers_set_aside_and_not_clustered(fitted, corpus):
    texts, truth = corpus
    expected = [i for i, t in enumerate(truth) if t is None]
    assert fitted.non_answers_ == expected
    assert all(fitted.assignments_[i] is None for i in expected)
    assert sum(t.size for t in fitted.themes_) == len(texts) - len(expected)


def test_duplicates_grouped_and_counted(fitted, corpus):
    texts, _ = corpus
    campaign = [i for i, t in enumerate(texts) if t in (CAMPAIGN, CAMPAIGN_VARIANT)]
    assert len(campaign) == 6
    group = [g for g in fitted.duplicate_groups_ if campaign[0] in g]
    assert group and sorted(group[0]) == campaign  # near-duplicate variant included
    assert fitted.duplicate_counts_[campaign[0]] == 6
    theme = fitted.themes_[fitted.assignments_[campaign[0]]]
    assert theme.duplicates >= 5
    assert len({fitted.assignments_[i] for i in campaign}) == 1


def test_near_duplicate_threshold_keeps_different_texts_apart():
    texts = ["The bus service to the hospital is too infrequent for patients",
             "The bus service to the hospital is too infrequent for patients.",
             "The bus service to the station is excellent and always on time"]
    g = DuplicateGrouper().fit(texts)
    assert g.representative_.tolist() == [0, 0, 2]


def test_themes_recover_topics(fitted, corpus):
    texts, truth = corpus
    assert len(fitted.themes_) == 4
    assert _purity(fitted.assignments_, truth) >= 0.85


def test_labels_readable(fitted):
    stops = stop_words()
    labels = [t.label for t in fitted.themes_]
    assert len(set(labels)) == len(labels)
    for t in fitted.themes_:
        words = t.label.replace(",", "").split()
        assert 2 <= len(words) <= 5, t.label
        content = [w for w in words if w.lower() not in stops and w.lower() != "and"]
        assert content, t.label
        assert t.keywords and not all(k in stops for k in t.keywords)
        assert 3 <= len(t.examples) <= 5
        assert all(fitted.assignments_[i] == t.id for i in t.examples)


def test_automatic_theme_count_is_bounded(corpus):
    texts, _ = corpus
    f = ThemeFinder(min_themes=2, max_themes=8, random_state=0).fit(texts)
    assert len(f.themes_) == 4  # the four topics of the fixture, found by the eigengap
    f = ThemeFinder(min_themes=5, max_themes=8, random_state=0).fit(texts)
    assert 5 <= len(f.themes_) <= 8  # the bounds hold


def test_same_seed_same_themes(corpus):
    texts, _ = corpus
    a = ThemeFinder(random_state=3, min_themes=3, max_themes=6).fit(texts).to_dict()
    b = ThemeFinder(random_state=3, min_themes=3, max_themes=6).fit(texts).to_dict()
    a.pop("seconds"), b.pop("seconds")
    assert a == b


def test_predict_new_comments(fitted):
    new = ["Car park fees are too expensive in town",
           "My recycling bin was missed again",
           "The last bus leaves too early",
           "Please keep the library open longer",
           "n/a"]
    got = fitted.predict(new)
    assert got[-1] is None
    # Each new comment lands in the theme holding most of its topic's training comments.
    train_theme = {name: Counter(fitted.predict(items)).most_common(1)[0][0]
                   for name, items in THEMES.items()}
    assert got[:4] == [train_theme[n] for n in ("parking", "bins", "buses", "library")]
    sims = fitted.transform(new[:1])
    assert sims.shape == (1, len(fitted.themes_))


def test_second_theme_for_comment_raising_two_things(corpus):
    texts, _ = corpus
    two = ("Bin collections are missed every week and the recycling is never emptied. "
           "Also the bus service to the hospital is far too infrequent and buses are late.")
    f = ThemeFinder(n_themes=4, random_state=0).fit(texts + [two])
    i = len(texts)
    first, second = f.assignments_[i], f.second_assignments_[i]
    bins = Counter(f.assignments_[j] for j in range(8, 16)).most_common(1)[0][0]
    buses = Counter(f.assignments_[j] for j in range(16, 24)).most_common(1)[0][0]
    assert {first, second} == {bins, buses}
    # Single-subject comments do not get a second theme.
    assert sum(s is not None for s in f.second_assignments_[:32]) <= 4


def test_identity_matching_across_reruns(corpus):
    texts, _ = corpus
    old = ThemeFinder(n_themes=4, random_state=0).fit(texts)
    snap = old.snapshot(texts)
    import json

    snap = json.loads(json.dumps(snap))  # what the app stores
    # New run: different seed and extra comments change ids and order.
    extra = ["The car park by the station is always full",
             "Bins are overflowing on market day"] * 3
    new = ThemeFinder(n_themes=4, random_state=7).fit(extra + texts[::-1])
    mapping = match_themes(snap, new)
    assert len(mapping) == 4
    for cur, prev in mapping.items():
        old_members = set(old.themes_[prev].examples)
        cur_examples = [texts[::-1][i - len(extra)] for i in new.themes_[cur].examples
                        if i >= len(extra)]
        old_texts = {texts[i] for i in range(len(texts)) if old.assignments_[i] == prev}
        assert any(t in old_texts for t in cur_examples), (cur, prev, old_members)


def test_identity_threshold_leaves_new_theme_unmatched(corpus):
    texts, _ = corpus
    no_buses = [t for t in texts if t not in THEMES["buses"]]
    old = ThemeFinder(n_themes=3, random_state=0).fit(no_buses)
    new = ThemeFinder(n_themes=4, random_state=0).fit(texts)
    mapping = match_themes(old.snapshot(no_buses), new)
    bus_theme = Counter(new.predict(THEMES["buses"])).most_common(1)[0][0]
    assert bus_theme not in mapping
    assert len(mapping) == 3


def test_to_dict_contract(fitted, corpus):
    texts, _ = corpus
    d = fitted.to_dict(seconds=1.5)
    assert set(d) == {"themes", "assignments", "non_answers", "seconds"}
    assert len(d["assignments"]) == len(texts)
    for t in d["themes"]:
        assert set(t) == {"id", "label", "keywords", "size", "examples", "description"}
        assert isinstance(t["id"], int) and isinstance(t["size"], int)
        assert isinstance(t["description"], str) and t["description"]
    assert np.all(np.diff([t["size"] for t in d["themes"]]) <= 0)


def _blobs(n_groups, per_group, dims=32, seed=0):
    rng = np.random.RandomState(seed)
    centres = rng.normal(size=(n_groups, dims))
    X = np.vstack([c + 0.15 * rng.normal(size=(per_group, dims)) for c in centres])
    return (X / np.linalg.norm(X, axis=1, keepdims=True)).astype(np.float32)


def test_knn_graph_is_symmetric_without_self_loops():
    from nlp.clustering import knn_graph

    A = knn_graph(_blobs(4, 30), n_neighbors=5)
    assert abs(A - A.T).max() == 0
    assert A.diagonal().max() == 0
    assert (np.diff(A.indptr) >= 5).all()  # every row keeps at least its own neighbours


def test_spectral_automatic_count_finds_separated_groups():
    from nlp.clustering import SpectralKMeans

    X = _blobs(9, 40)
    model = SpectralKMeans(min_clusters=5, max_clusters=20, random_state=0).fit(X)
    assert model.n_clusters_ == 9
    # the eigengap is averaged over graphs of several neighbour counts
    assert set(model.k_scores_) and max(model.k_scores_, key=model.k_scores_.get) == 9
