"""Small consultations: the demo parks and housing comments (our own text)."""
import json
import re
from pathlib import Path

import pytest

from nlp import ThemeFinder
from nlp.clustering import theme_bounds

DEMO = Path(__file__).resolve().parents[2] / "app" / "demo" / "data" / "consultations.json"
# Words a phrase can't open or close on ("The bins", "Bins on the").
DANGLING = frozenset("the a an and or but of to in on at for with by my our your their i we "
                     "it is are was were be".split())
EXPECTED = ("damp", "mould", "lift", "repair", "light", "dog", "bin", "play", "toilet",
            "charge", "appointment", "youth", "football", "path")


def _comments(slug_start):
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    spec = next(c for c in data if c["slug"].startswith(slug_start))
    return [c["text"] for c in spec["comments"]]


@pytest.fixture(scope="module", params=["parks", "housing"])
def demo(request):
    texts = _comments(request.param)
    return request.param, texts, ThemeFinder(random_state=0).fit(texts)


def _mostly(finder, texts, pattern):
    rx = re.compile(pattern, re.I)
    for t in finder.themes_:
        hits = sum(bool(rx.search(texts[i])) for i in t.examples)
        if hits * 2 > len(t.examples):
            return t
    return None


def test_theme_bounds_scale_with_comments():
    assert theme_bounds(170, 5, 100) == (5, 13)
    assert theme_bounds(1000, 5, 100)[1] == 32
    assert theme_bounds(10000, 5, 100) == (25, 100)
    assert theme_bounds(10000, 5, 40)[1] == 40  # max_themes still caps
    assert theme_bounds(30, 5, 100) == (5, 5)   # n/6


def test_demo_theme_count_is_officer_sized(demo):
    _, texts, finder = demo
    assert 6 <= len(finder.themes_) <= 16
    assert min(t.size for t in finder.themes_) >= 4  # tiny clusters are folded away
    assert sum(t.size for t in finder.themes_) == len(texts) - len(finder.non_answers_)


def test_demo_largest_themes_make_sense(demo):
    name, texts, finder = demo
    if name == "housing":
        assert _mostly(finder, texts, r"damp|mould|condensation") is not None
        assert _mostly(finder, texts, r"\blifts?\b") is not None
    else:
        assert _mostly(finder, texts, r"\bdogs?\b|fouling|\bbins?\b") is not None
        assert _mostly(finder, texts, r"play ?area|playground") is not None


def test_demo_labels_are_readable(demo):
    _, texts, finder = demo
    labels = [t.label for t in finder.themes_]
    assert len(set(labels)) == len(labels)
    for th in finder.themes_:
        label = th.label
        if label.startswith("Mixed comments"):
            assert th.weak, label
            continue
        words = label.split()
        assert 2 <= len(words) <= 7, label
        assert words[0].lower() not in DANGLING and words[-1].lower() not in DANGLING, label
        assert label[0].isupper() and not re.search(r"\d", label), label
        assert not re.fullmatch(r"\w+ and \w+", label, re.I), label  # no "Bins and rubbish"
        # Said by a resident of that theme, in those words.
        members = [texts[i] for i, a in enumerate(finder.assignments_) if a == th.id]
        assert any(label.lower() in m.lower() for m in members), label
        assert th.description and 0.0 <= th.coherence <= 1.0
    named = [lab for lab in labels if any(w in lab.lower() for w in EXPECTED)]
    assert len(named) >= 5, labels
    assert sum(lab.startswith("Mixed comments") for lab in labels) <= 1, labels
