"""Theme identity across re-runs: only an officer's merge lets several new themes
continue one stored theme."""
import json
from collections import Counter

from nlp import ThemeFinder, match_themes
from nlpcorpus import THEMES


def _theme_of(finder, texts):
    return Counter(finder.predict(texts)).most_common(1)[0][0]


def _setup(corpus):
    texts, _ = corpus
    old = ThemeFinder(n_themes=4, random_state=0).fit(texts)
    snaps = {s["id"]: s for s in json.loads(json.dumps(old.snapshot(texts)))}
    new = ThemeFinder(n_themes=4, random_state=7).fit(texts[::-1])
    parking, bins = (_theme_of(old, THEMES[k]) for k in ("parking", "bins"))
    others = [s for i, s in snaps.items() if i not in (parking, bins)]
    return snaps, others, parking, bins, new


def _combined(a, b, **extra):
    return {"id": 100, "label": a["label"], "keywords": a["keywords"] + b["keywords"],
            "texts": a["texts"] + b["texts"], **extra}


def test_a_theme_nobody_merged_is_matched_one_to_one(corpus):
    snaps, others, parking, bins, new = _setup(corpus)
    # A stored theme that happens to cover parking and bins, with no record of a merge.
    broad = _combined(snaps[parking], snaps[bins])
    # (A lenient threshold: both new themes are close enough to the broad one.)
    mapping = match_themes(others + [broad], new, threshold=0.5)
    assert list(mapping.values()).count(100) == 1, mapping
    assert len(set(mapping.values())) == len(mapping)


def test_an_officer_merge_keeps_both_parts(corpus):
    snaps, others, parking, bins, new = _setup(corpus)
    merged = _combined(snaps[parking], snaps[bins], parts=[snaps[parking], snaps[bins]])
    mapping = match_themes(others + [merged], new)
    new_parking, new_bins = (_theme_of(new, THEMES[k]) for k in ("parking", "bins"))
    assert mapping.get(new_parking) == 100 and mapping.get(new_bins) == 100, mapping
    # The parts spread out as entries sharing the merged theme's id work the same way.
    spread = [dict(snaps[parking], id=100), dict(snaps[bins], id=100)]
    assert match_themes(others + spread, new) == mapping


def test_merges_can_be_turned_off(corpus):
    snaps, others, parking, bins, new = _setup(corpus)
    # One part only: the other new theme may join it only through allow_merges.
    merged = dict(snaps[parking], id=100, parts=[snaps[parking]])
    with_merges = match_themes(others + [merged], new)
    without = match_themes(others + [merged], new, allow_merges=False)
    assert list(without.values()).count(100) == 1
    assert len(with_merges) >= len(without)
    assert without.items() <= with_merges.items()
    # A merge stored as one combined part: Hungarian matching gives it one new theme, and
    # only allow_merges lets the other half join it (the lenient threshold of the first test).
    both = _combined(snaps[parking], snaps[bins])
    merged = dict(both, parts=[both])
    joined = match_themes(others + [merged], new, threshold=0.5)
    apart = match_themes(others + [merged], new, threshold=0.5, allow_merges=False)
    assert list(joined.values()).count(100) == 2, joined
    assert list(apart.values()).count(100) == 1, apart
