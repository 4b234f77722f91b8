"""Re-runs that start from the previous fit (warm start), and comments raising several themes."""
from collections import Counter

import numpy as np
from sklearn.metrics import adjusted_rand_score

from nlp import ThemeFinder
from nlpcorpus import THEMES


def _texts():
    return [t for items in THEMES.values() for t in items]


def test_a_rerun_with_one_new_comment_starts_from_the_previous_grouping(corpus):
    texts, _ = corpus
    first = ThemeFinder(random_state=0).fit(texts)
    assert not first.warm_started_
    again = ThemeFinder(random_state=0).fit(texts + ["The bus to the hospital never comes on time"],
                                            previous=first)
    assert again.warm_started_
    assert len(again.themes_) == len(first.themes_)
    assert adjusted_rand_score(first.labels_, again.labels_[: len(texts)]) == 1.0
    # The fingerprints kept for the next run are not the comments' words.
    assert again.text_keys_.dtype == np.uint64 and set(again.text_keys_) > set(first.text_keys_)


def test_a_rerun_starts_afresh_when_much_is_new_or_the_settings_differ(corpus):
    texts, _ = corpus
    first = ThemeFinder(random_state=0).fit(texts)
    many = [f"The number {i} bus should run every ten minutes at the weekend" for i in range(len(texts))]
    assert not ThemeFinder(random_state=0).fit(texts + many, previous=first).warm_started_
    assert not ThemeFinder(random_state=1).fit(texts, previous=first).warm_started_
    assert not ThemeFinder(n_themes=4, random_state=0).fit(texts, previous=first).warm_started_
    assert ThemeFinder(random_state=0, refit_share=0.0).fit(texts, previous=first).warm_started_


def test_warm_start_on_a_finder_saved_before_fingerprints_is_a_fresh_start(corpus):
    texts, _ = corpus
    first = ThemeFinder(random_state=0).fit(texts)
    del first.text_keys_, first.extra_labels_  # as pickled by an older version
    assert first.extra_assignments_ == [[] if s is None else [s] for s in first.second_assignments_]
    assert not ThemeFinder(random_state=0).fit(texts, previous=first).warm_started_


def test_a_comment_gets_every_theme_it_clearly_raises(corpus):
    texts, _ = corpus
    three = ("Bin collections are missed every week and the recycling is never emptied. "
             "Also the bus service to the hospital is far too infrequent and buses are late. "
             "Please keep the library open, longer library opening hours would help.")
    f = ThemeFinder(n_themes=4, random_state=0).fit(texts + [three])
    i = len(texts)
    owner = {name: Counter(f.assignments_[j] for j, t in enumerate(texts) if t in items).most_common(1)[0][0]
             for name, items in THEMES.items()}
    raised = {f.assignments_[i], *f.extra_assignments_[i]}
    assert raised == {owner["bins"], owner["buses"], owner["library"]}
    assert f.second_assignments_[i] == f.extra_assignments_[i][0]
    assert f.assignments_[i] not in f.extra_assignments_[i]
    capped = ThemeFinder(n_themes=4, random_state=0, max_extra_themes=1).fit(texts + [three])
    assert len(capped.extra_assignments_[i]) == 1
