"""Readable theme labels and key terms from class-based TF-IDF (as in BERTopic).

Candidate terms are lemma n-grams that never cross a stop word, so phrases such as
"bus service" or "exchange rate" survive while "of the" never can. A label is the best
multi-word phrase, shown in the wording commenters used most, or else the two best
single words joined by "and"; labels are kept distinct across themes.
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from .text import analyse, stop_words


def _phrases(tokens, stops, max_n):
    """n-grams (1..max_n) over runs of non-stop tokens."""
    out, run = [], []
    for tok in tokens + [None]:
        if tok is None or tok in stops or len(tok) < 2:
            for n in range(1, max_n + 1):
                out.extend(" ".join(run[i:i + n]) for i in range(len(run) - n + 1))
            run = []
        else:
            run.append(tok)
    return out


class CTfidfLabeller:
    """Learns per-theme key terms and labels from texts and their theme labels.

    Parameters
    ----------
    n_keywords : int
    max_ngram : int
    spacy_model : str or None
        Installed trained pipeline to use for lemmas; blank English otherwise.
    """

    def __init__(self, n_keywords=8, max_ngram=3, spacy_model=None):
        self.n_keywords = n_keywords
        self.max_ngram = max_ngram
        self.spacy_model = spacy_model

    def fit(self, texts, labels, y=None):
        labels = np.asarray(labels)
        stops = stop_words()
        analysed = analyse(texts, self.spacy_model)
        lemma_docs = [lem for lem, _ in analysed]
        surface = [sur for _, sur in analysed]
        cv = CountVectorizer(analyzer=lambda toks: _phrases(toks, stops, self.max_ngram))
        try:
            X = cv.fit_transform(lemma_docs)
        except ValueError:
            X = sparse.csr_matrix((len(lemma_docs), 0))
        terms = cv.get_feature_names_out() if X.shape[1] else np.array([])
        ids = np.unique(labels[labels >= 0])
        n_themes = int(ids.max()) + 1 if len(ids) else 0
        rows = sparse.csr_matrix(
            (np.ones(len(labels)), (np.clip(labels, 0, None), np.arange(len(labels)))),
            shape=(max(n_themes, 1), len(labels)),
        ).multiply((labels >= 0)[None, :].astype(float))
        counts = sparse.csr_matrix(rows @ X)
        # c-TF-IDF: term frequency per theme x log(1 + average words per theme / term freq)
        tf = counts.multiply(1.0 / np.maximum(counts.sum(axis=1), 1)).tocsr()
        total = np.asarray(counts.sum(axis=0)).ravel()
        avg = counts.sum() / max(n_themes, 1)
        idf = np.log1p(avg / np.maximum(total, 1))
        scores = tf.multiply(idf[None, :]).tocsr()
        self.keywords_, self.labels_ = [], []
        used = set()
        index = {term: i for i, term in enumerate(terms)}
        for t in range(n_themes):
            row = scores.getrow(t)
            order = row.indices[np.argsort(-row.data, kind="stable")]
            theme_counts = counts.getrow(t).toarray().ravel()
            keys = [terms[i] for i in order[: self.n_keywords * 3]]
            self.keywords_.append(keys[: self.n_keywords])
            members = np.flatnonzero(labels == t)
            label, key = self._label(keys, theme_counts, index, members, lemma_docs, surface, used)
            used.update((label.lower(), key))
            self.labels_.append(label)
        return self

    def _label(self, keys, theme_counts, index, members, lemma_docs, surface, used):
        # A phrase must be used by a few commenters, otherwise one odd answer can name a theme.
        min_count = max(2, int(0.03 * len(members)))
        phrases = [k for k in keys[:6] if 2 <= len(k.split()) <= 4
                   and theme_counts[index[k]] >= min_count]
        singles = [k for k in keys if len(k.split()) == 1]
        candidates = []
        candidates.extend(phrases[:2])
        if len(singles) >= 2:
            candidates.append(f"{singles[0]} and {singles[1]}")
        if len(singles) >= 3:
            candidates.append(f"{singles[0]}, {singles[1]} and {singles[2]}")
        if not candidates:
            candidates = [(" and ".join(keys[:2]) if len(keys) >= 2 else "Other comments")]
        for cand in candidates:
            if 2 <= len(cand.split()) <= 5 and cand not in used:
                label = self._surface(cand, members, lemma_docs, surface)
                if label.lower() not in used:
                    return label[:1].upper() + label[1:], cand
        fallback = f"Other comments {len(used) // 2 + 1}"
        return fallback, fallback.lower()

    @staticmethod
    def _surface(label, members, lemma_docs, surface):
        """Show a lemma phrase as commenters most often wrote it ("wait card" stays
        lemmatised only if nobody wrote it otherwise)."""
        parts = [p for p in re.split(r",\s*|\s+and\s+", label) if p]
        shown = []
        for part in parts:
            words = part.split()
            n = len(words)
            seen = Counter()
            for m in members[:500]:
                lem, sur = lemma_docs[m], surface[m]
                for i in range(len(lem) - n + 1):
                    if lem[i:i + n] == words:
                        seen[" ".join(sur[i:i + n])] += 1
            shown.append(seen.most_common(1)[0][0] if seen else part)
        if len(shown) == 1:
            return shown[0]
        return ", ".join(shown[:-1]) + " and " + shown[-1]
