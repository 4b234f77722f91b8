"""Static sentence vectors from word vectors distilled out of all-MiniLM-L6-v2.

The vectors (``data/static_minilm.npz``, made once by ``nlp/tools/distill_static.py`` and
then trained on MiniLM's sentence vectors by ``nlp/tools/train_static.py``)
are looked up per word and averaged with SIF weights: numpy only, no transformer at run
time. Words are split the way BERT splits them (lower case, accents stripped,
punctuation apart); whole-word entries are preferred and unknown words fall back to the
model's own WordPiece pieces, so misspellings and rare words still get a vector.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "static_minilm.npz"
_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@lru_cache(maxsize=2)
def load_static(path: str | None = None):
    """Return (vectors float32, weights float32, index dict) for a distilled table."""
    with np.load(path or DEFAULT_PATH, allow_pickle=False) as z:
        vectors = z["vectors"].astype(np.float32)
        if "scale" in z.files:  # int8 rows with a per-row scale
            vectors *= z["scale"].astype(np.float32)[:, None]
        weights = z["weights"].astype(np.float32)
        vocab = z["vocab"].tolist()
    return vectors, weights, {tok: i for i, tok in enumerate(vocab)}


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


class WordPiece:
    """Greedy longest-match-first WordPiece over a fixed vocabulary, cached per word."""

    def __init__(self, index: dict, max_chars: int = 40):
        self.index = index
        self.max_chars = max_chars
        self._cache: dict = {}

    def word_ids(self, word: str) -> list:
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        ids = []
        if word in self.index:
            ids = [self.index[word]]
        elif len(word) <= self.max_chars:
            start = 0
            while start < len(word):
                end = len(word)
                found = None
                while start < end:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    if piece in self.index:
                        found = self.index[piece]
                        break
                    end -= 1
                if found is None:
                    ids = []
                    break
                ids.append(found)
                start = end
        if len(self._cache) < 500_000:
            self._cache[word] = ids
        return ids

    def ids(self, text: str) -> list:
        words = _WORD.findall(_strip_accents((text or "").lower()))
        out = []
        for w in words:
            out.extend(self.word_ids(w))
        return out


class StaticVectoriser:
    """Sentence vectors as SIF-weighted means of distilled static word vectors.

    Parameters
    ----------
    path : str or None
        Distilled table; ``None`` uses the one shipped in ``nlp/data``.
    remove_components : int
        Remove this many principal directions common to all sentences (the "common
        discourse" part of SIF); learned in ``fit``.
    lead_weight : float
        A comment of several sentences is the mean of its words plus this share of its
        first sentence's vector (both unit length). People tend to open with their main
        point and add detail after it; a plain average of a long comment lets the detail
        drown the point. 0.5 lifted FFT from 0.249 to 0.267 NMI and banking77 by 0.01-0.03
        (docs/nlp.md); one-sentence comments are unchanged.
    """

    def __init__(self, path=None, remove_components=1, lead_weight=0.5):
        self.path = path
        self.remove_components = remove_components
        self.lead_weight = lead_weight

    def __setstate__(self, state):
        # The app keeps fitted finders; one saved before lead_weight existed must go on
        # reading new comments as its themes were read, or they land in the wrong theme.
        state.setdefault("lead_weight", 0.0)
        self.__dict__.update(state)

    def _embed(self, texts):
        vectors, weights, index = load_static(str(self.path) if self.path else None)
        wp = WordPiece(index)

        def mean(ids):
            w = weights[ids]
            v = w @ vectors[ids]
            return v / max(float(np.linalg.norm(v)), 1e-9)

        out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
        for i, t in enumerate(texts):
            ids = wp.ids(t)
            if not ids:
                continue
            out[i] = mean(ids)
            if self.lead_weight:
                first = _SENTENCE_END.split(t.strip(), maxsplit=1)
                lead = wp.ids(first[0]) if len(first) == 2 else []
                if lead:
                    out[i] += self.lead_weight * mean(lead)
        return out

    def fit(self, texts, y=None):
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts, y=None):
        X = self._embed(texts)
        self.components_ = np.zeros((0, X.shape[1]), dtype=np.float32)
        if self.remove_components:
            from sklearn.decomposition import TruncatedSVD

            sample = X[:: max(1, len(X) // 20000)]
            k = min(self.remove_components, max(0, min(sample.shape) - 1))
            if k:
                svd = TruncatedSVD(n_components=k, random_state=0).fit(sample)
                self.components_ = svd.components_.astype(np.float32)
        return self._finish(X)

    def transform(self, texts):
        return self._finish(self._embed(texts))

    def _finish(self, X):
        if len(self.components_):
            X = X - (X @ self.components_.T) @ self.components_
        norms = np.linalg.norm(X, axis=1, keepdims=True)
        return X / np.maximum(norms, 1e-9)
