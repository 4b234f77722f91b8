"""Theme descriptions (a resident's own sentence, redacted), coherence and the weak flag."""
import re

from nlp.describe import describe, trim
from nlp.redact import redact


def _norm(text):
    return re.sub(r"\s+", " ", text).strip().lower().rstrip("…")


def test_description_is_a_redacted_sentence_of_a_member_comment():
    comments = [
        "Call me on 07700 900123. The bins on our street are never emptied on time.",
        "Bins overflowing again",
    ]
    desc = describe(comments, terms=["bin", "empty"])
    assert desc == "The bins on our street are never emptied on time."
    # A sentence that only exists with personal data in it is shown redacted.
    desc = describe(["Email jo.bloggs@example.com about the bins left out on Cedar Road"],
                    terms=["bin"])
    assert "[email]" in desc and "example.com" not in desc
    assert _norm(desc) in _norm(redact("Email jo.bloggs@example.com about the bins left out "
                                       "on Cedar Road"))


def test_description_is_trimmed_lightly():
    long = ("I think the bins should be emptied more often, because they overflow every "
            "weekend and the foxes get in, and then the whole street is covered in rubbish "
            "for days on end which is awful")
    desc = trim(long)
    assert desc.startswith("The bins should be emptied") and desc.endswith("…")
    assert _norm(desc) in _norm(long) and len(desc.split()) <= 30
    assert trim("  Also,   more benches   please ") == "More benches please"


def test_every_theme_has_a_description_coherence_and_weak_flag(fitted, corpus):
    texts, _ = corpus
    labels = fitted.assignments_
    for th in fitted.themes_:
        members = [texts[i] for i, a in enumerate(labels) if a == th.id]
        assert th.description
        assert any(_norm(th.description) in _norm(redact(m)) for m in members), th.description
        assert 0.0 <= th.coherence <= 1.0
        assert th.weak == (th.label.startswith("Mixed comments")
                           or th.coherence < fitted.weak_below)
        assert th.to_dict()["description"] == th.description
