"""Recognise non-answers ("n/a", "nothing", "see above", a lone "agree", ...).

They are set aside as their own counted group: clustering them would create a large,
meaningless theme and pull real themes' centroids towards filler.
"""
from __future__ import annotations

import re

from .text import normalise_key

# Compared after ``normalise_key`` (lower case, punctuation removed), so "N/A." -> "n a".
NON_ANSWERS = frozenset(
    """
    n a|na|n a n a|nil|nothing|nothing really|nothing at all|nothing else|nothing to add|
    nothing to say|nothing to report|nothing to improve|nothing more|nothing further|
    none|none really|none at all|none thanks|no|nope|no thanks|no thank you|no comment|
    no comments|no further comment|no further comments|no more comments|no answer|
    did not answer|didn t answer|not answered|no response|no opinion|no view|no views|
    not applicable|not sure|unsure|don t know|dont know|do not know|i don t know|
    i dont know|i do not know|dunno|dk|idk|see above|as above|see previous answer|
    see previous|see my previous answer|as previous|same as above|ditto|agree|agreed|
    i agree|disagree|i disagree|yes|yes please|yeah|ok|okay|fine|maybe|whatever|
    no idea|pass|skip|test|testing|x|xx|xxx|blank|null|n|y|nothing to comment|
    can t think of anything|cannot think of anything|can t think of any|
    not that i can think of|nothing i can think of|no nothing|none that i can think of
    """.replace("\n", "").split("|")
)
NON_ANSWERS = frozenset(s.strip() for s in NON_ANSWERS if s.strip())

_ONLY_SYMBOLS = re.compile(r"^[\W_\d]*$", re.UNICODE)


def is_non_answer(text: str | None, extra: frozenset | set = frozenset()) -> bool:
    """True for empty, symbol-only or stock non-answers."""
    if text is None:
        return True
    if _ONLY_SYMBOLS.match(text.strip()):
        return True
    key = normalise_key(text)
    # Strip a polite tail so "Nothing, thank you" is caught like "nothing".
    for tail in (" thank you", " thanks", " really", " at all", " sorry"):
        if key.endswith(tail) and key[: -len(tail)].strip() in NON_ANSWERS:
            return True
    return key in NON_ANSWERS or key in extra


class NonAnswerFilter:
    """Scikit-learn style filter: ``fit`` records which inputs are non-answers."""

    def __init__(self, extra_phrases=()):
        self.extra_phrases = extra_phrases

    def fit(self, texts, y=None):
        extra = frozenset(normalise_key(p) for p in self.extra_phrases)
        self.mask_ = [is_non_answer(t, extra) for t in texts]
        self.indices_ = [i for i, m in enumerate(self.mask_) if m]
        self.count_ = len(self.indices_)
        return self

    def predict(self, texts):
        extra = frozenset(normalise_key(p) for p in self.extra_phrases)
        return [is_non_answer(t, extra) for t in texts]
