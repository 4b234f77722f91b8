"""Recognise comments that are not in English, offline.

Such comments are never put into English themes: the vectoriser and labeller only know
English, so a Welsh or Polish comment would land in whichever theme its loan words point
to. They are set aside and counted per language, for someone who reads it.

py3langid (a numpy port of langid.py, model bundled in the wheel) names the language. Short
texts fool it ("Why did my payment get declined?" comes out Dutch), so a comment counts as
another language only when it has at least ``min_words`` words, fewer than
``max_english_share`` of them are English words (spaCy's stop words and the lookup
lemmatizer's word forms) and langid is at least ``min_probability`` sure. On the two shared
English sets (20,337 comments) this flags none; bench/nlp_languages.py prints the figures.
"""
from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=1)
def _english_words():
    from spacy.lang.en.stop_words import STOP_WORDS
    from spacy.lookups import load_lookups

    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    lemmas = frozenset(table.values())
    return STOP_WORDS, table, lemmas


def _is_english_word(word: str) -> bool:
    stop, forms, lemmas = _english_words()
    return word in stop or word in forms or word in lemmas


def detect_language(text: str | None, *, min_words: int = 3, max_english_share: float = 0.5,
                    min_probability: float = 0.9) -> str | None:
    """The ISO 639-1 code of ``text``'s language when it is clearly not English, else None."""
    if not text:
        return None
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < min_words:
        return None
    if sum(_is_english_word(w) for w in words) / len(words) >= max_english_share:
        return None
    code, probability = _identifier().classify(text)
    return str(code) if code != "en" and float(probability) >= min_probability else None


class LanguageFilter:
    """Scikit-learn style: ``fit`` records which texts are clearly in another language."""

    def __init__(self, min_words=3, max_english_share=0.5, min_probability=0.9):
        self.min_words = min_words
        self.max_english_share = max_english_share
        self.min_probability = min_probability

    def _detect(self, text):
        return detect_language(text, min_words=self.min_words, max_english_share=self.max_english_share,
                               min_probability=self.min_probability)

    def fit(self, texts, y=None):
        codes = [self._detect(t) for t in texts]
        self.languages_ = {i: c for i, c in enumerate(codes) if c}  # text index -> language code
        return self

    def predict(self, texts):
        return [self._detect(t) for t in texts]
