"""Suggest which council actions a comment or a theme informs, and flag what no action covers.

Each action is read as the council publishes it: title, objective, description, progress
measures and milestones, cut into short segments (a clause of the description, a measure, a
milestone). A comment is compared with each action three ways, all from the install's own
files (no model download):

- meaning of the whole comment against the closest segment (distilled static vectors,
  ``nlp/static.py``): "somewhere to kick a ball about" finds "games area for football";
- each of the comment's words against the action's closest word (the same vectors): short
  comments ("lifts!!!", "moldy walls") match on the one word that says it all;
- BM25 over lemmas (shared words, rare words counting most).

The same three are computed against a short list of ordinary council services that action
plans seldom cover (parking, potholes, council tax, bin collections...; ``BACKGROUND_TOPICS``,
minus any topic close to one of the council's own actions). A comment that matches one of
those better than any action is probably about something the plan does not cover, and its
scores drop: this is what separates "informs no action" from a weak match.

The weighted sum is turned into a score in [0, 1] by a logistic curve; the weights were fitted
on the dev part of ``bench/data/links_dev.csv`` (see ``bench/nlp_links.py`` and docs/nlp.md).

Officers' confirmed links teach the linker: ``fit(actions, examples=[(theme, action index)])``
adds the confirmed themes' labels and comments to the action they were linked to, so the words
residents of that council use for an action count as the action's own.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy as np

from .static import DEFAULT_PATH, WordPiece, _strip_accents, load_static
from .text import lemma_strings, stop_words

ACTION_FIELDS = ("title", "description", "objective", "measures", "milestones")
THEME_FIELDS = ("label", "keywords", "examples", "texts")

# Ordinary council services, written from the usual list of what a borough does (not from the
# labelled set). Only topics that no action of the council resembles are used.
BACKGROUND_TOPICS = (
    "parking permits, parking charges and parking spaces",
    "potholes and road resurfacing",
    "traffic, speeding, road safety, crossings and speed limits",
    "buses, trains and public transport",
    "cycle lanes and bike parking",
    "council tax, council spending and value for money",
    "household bin collections, recycling and bulky waste",
    "gritting roads and pavements in winter",
    "libraries and opening hours",
    "leisure centres and swimming pools",
    "schools, school places and admissions",
    "doctors, GP surgeries, hospitals and health services",
    "planning applications and new developments",
    "waiting list for a council home, bidding and housing benefit",
    "high street shops, markets and local businesses",
    "jobs, training and the local economy",
    "adult social care and care homes",
    "noise from neighbours, pubs and licensing",
    "public toilets",
    "events and festivals",
    "allotments",
    "electric vehicle charging points",
    "air pollution",
    "crime and policing in the town centre",
    "rent levels and rent increases",
    "cemeteries and funerals",
    "births, marriages and deaths registration",
)
# A background topic whose best segment similarity to an action reaches this is dropped:
# the council's plan does cover it.
BACKGROUND_OVERLAP = 0.8
# Council shorthand residents use that no action spells that way.
ABBREVIATIONS = {"muga": "multi use games area", "asb": "antisocial behaviour", "ot": "occupational therapist"}
# A capitalised word inside an action's text is mostly a place ("Kestrel House", "Coldharbour
# Fields"): it says where, not what, so it weighs this much of an ordinary word.
PLACE_WEIGHT = 0.3
# Logistic weights, each for (segment meaning, word match, BM25): the action's own, the best
# background topic's, and the best action's (a pair loses to a better action for the same
# comment); then the intercept. Fitted on the dev part of the labelled set (C=3, chosen by
# 5-fold cross-validation within that part).
WEIGHTS = ((6.7, 6.9, 3.2), (-1.6, -3.3, -0.6), (-2.1, -3.7, -1.3), -4.0)
BM25_HALF = 2.0  # BM25 score mapped to 0.5 (s / (s + BM25_HALF)), so every feature is in [0, 1)

_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_CLAUSE = re.compile(r",\s*(?:and\s+)?|\s+and\s+|;\s*|\(|\)")


def _as_list(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(x) for x in value if x]
    return [str(value)] if value else []


def _expand(text: str) -> str:
    return " ".join(ABBREVIATIONS.get(w.lower().strip("!?.,"), w) for w in (text or "").split())


def action_segments(action) -> list[str]:
    """The short pieces an action is read as: title, objective, each clause of its description
    and measures, each milestone. A plain string is cut the same way."""
    if isinstance(action, str):
        action = {"description": action}
    segments = _as_list(action.get("title")) + _as_list(action.get("objective"))
    for field in ("description", "measures"):
        for text in _as_list(action.get(field)):
            for sentence in _SENTENCE.split(text):
                clauses = [c.strip() for c in _CLAUSE.split(sentence) if c.strip()]
                segments += clauses if len(clauses) > 1 else [sentence.strip()]
    segments += _as_list(action.get("milestones"))
    return [s for s in segments if s.strip()] or [""]


def theme_texts(theme) -> list[str]:
    """A theme as separate texts: its label, its key terms, then each example comment."""
    if isinstance(theme, str):
        return [theme]
    texts = _as_list(theme.get("label"))
    keywords = _as_list(theme.get("keywords"))
    if keywords:
        texts.append(", ".join(keywords))
    for field in ("examples", "texts"):
        texts += _as_list(theme.get(field))
    return texts or [""]


class _Vectors:
    """Word and sentence vectors from the distilled static table (SIF-weighted)."""

    def __init__(self):
        self.vectors, self.weights, index = load_static()
        self.pieces = WordPiece(index)
        self.stops = _stops()
        self.dim = self.vectors.shape[1]

    def words(self, text: str, places: bool = False, content_only: bool = False):
        """(unit vectors, weights) of the words in ``text``."""
        rows, weights = [], []
        for k, word in enumerate(_WORD.findall(_strip_accents(text or ""))):
            low = word.lower()
            if content_only and low in self.stops:
                continue
            ids = self.pieces.word_ids(low)
            if not ids:
                continue
            v = self.weights[ids] @ self.vectors[ids]
            norm = float(np.linalg.norm(v))
            if norm < 1e-9:
                continue
            weight = float(self.weights[ids].mean())
            if places and k and word[0].isupper():
                weight *= PLACE_WEIGHT
            rows.append(v / norm)
            weights.append(weight)
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32), np.zeros(0, dtype=np.float32)
        return np.asarray(rows, dtype=np.float32), np.asarray(weights, dtype=np.float32)

    def sentence(self, text: str, places: bool = False) -> np.ndarray:
        rows, weights = self.words(text, places)
        v = weights @ rows if len(weights) else np.zeros(self.dim, dtype=np.float32)
        return v / max(float(np.linalg.norm(v)), 1e-9)


class _BM25:
    """Okapi BM25 over lemmas (a few lines; the registry packages add nothing we need)."""

    def __init__(self, docs: list[list[str]], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.counts = [Counter(d) for d in docs]
        self.lengths = np.array([max(len(d), 1) for d in docs], dtype=float)
        self.average = float(self.lengths.mean()) if len(docs) else 1.0
        df = Counter(w for d in docs for w in set(d))
        n = len(docs)
        self.idf = {w: float(np.log(1 + (n - c + 0.5) / (c + 0.5))) for w, c in df.items()}

    def scores(self, query: list[str]) -> np.ndarray:
        out = np.zeros(len(self.counts))
        for j, counts in enumerate(self.counts):
            norm = self.k1 * (1 - self.b + self.b * self.lengths[j] / self.average)
            out[j] = sum(self.idf[w] * counts[w] * (self.k1 + 1) / (counts[w] + norm)
                         for w in query if w in counts)
        return out


@lru_cache(maxsize=1)
def _stops() -> frozenset:
    return stop_words()


def _lemmas(texts: list[str], stops) -> list[list[str]]:
    return [[w for w in doc.split() if w not in stops and len(w) > 1] for doc in lemma_strings(texts)]


class ActionLinker:
    """Scores comments and themes against a council's actions.

    Parameters
    ----------
    top_n : int
        Suggestions kept per theme.
    threshold : float
        Pairs scoring at least this are suggested; a theme with none has ``covered`` False
        (the engine sees nothing in the plan for it; the app counts only officers' links).
    background : bool
        Compare with ordinary council services the plan does not cover (see the module text).
    """

    def __init__(self, top_n=3, threshold=0.25, background=True):
        self.top_n = top_n
        self.threshold = threshold
        self.background = background

    def fit(self, actions, y=None, examples=None):
        """``actions``: strings or dicts (title, description, objective, measures, milestones).
        ``examples``: officers' confirmed links of this council, as (theme, action index) pairs;
        a theme is a string or a dict like those given to ``score``."""
        self.n_actions_ = len(actions)
        segments = [action_segments(a) for a in actions]
        self.n_examples_ = 0
        for theme, index in examples or ():
            if 0 <= int(index) < self.n_actions_:
                segments[int(index)] = segments[int(index)] + [t for t in theme_texts(theme) if t.strip()]
                self.n_examples_ += 1
        if not DEFAULT_PATH.exists():
            raise RuntimeError(f"the distilled static vectors are missing: {DEFAULT_PATH}")
        self.vectors_ = _Vectors()
        self.background_topics_ = []
        if not actions:
            return self
        seg_vectors = [np.array([self.vectors_.sentence(s, places=True) for s in segs]) for segs in segments]
        topics = []
        if self.background and seg_vectors:
            for topic in BACKGROUND_TOPICS:
                v = self.vectors_.sentence(topic)
                if max(float((sv @ v).max()) for sv in seg_vectors) < BACKGROUND_OVERLAP:
                    topics.append(topic)
        self.background_topics_ = topics
        all_segments = seg_vectors + [self.vectors_.sentence(t)[None, :] for t in topics]
        # Stacked, with where each document's rows start, so one product scores all documents.
        self.segment_matrix_ = np.concatenate(all_segments)
        self.segment_starts_ = np.cumsum([0] + [len(m) for m in all_segments[:-1]])
        # Words come from the action's whole text (a clause split must not lose one), without
        # the confirmed themes: their everyday words ("play", "kids") would match everything.
        documents = [" . ".join(_as_list(a) if isinstance(a, str) else
                                [x for f in ACTION_FIELDS for x in _as_list(a.get(f))])
                     for a in actions] + topics
        words = [self.vectors_.words(d, places=True, content_only=True) for d in documents]
        # A document without a content word gets one zero row, so every document has rows.
        words = [(w, wt) if len(wt) else (np.zeros((1, self.vectors_.dim), dtype=np.float32), np.ones(1))
                 for w, wt in words]
        self.word_matrix_ = np.concatenate([w for w, _ in words])
        self.word_starts_ = np.cumsum([0] + [len(w) for w, _ in words[:-1]])
        self.bm25_ = _BM25(_lemmas(documents, self.vectors_.stops))
        return self

    def _features(self, texts: list[str]) -> np.ndarray:
        """(n_texts, n_actions + n_background, 3): segment meaning, word match, BM25."""
        texts = [_expand(t) for t in texts]
        n_docs = len(self.segment_starts_)
        out = np.zeros((len(texts), n_docs, 3), dtype=np.float32)
        sentences = np.array([self.vectors_.sentence(t) for t in texts]).reshape(len(texts), -1)
        out[:, :, 0] = np.maximum.reduceat(sentences @ self.segment_matrix_.T, self.segment_starts_, axis=1)
        # Every text's words in one matrix (one product: small ones each pay BLAS start-up).
        per_text = []
        for text in texts:
            words, weights = self.vectors_.words(text, content_only=True)
            per_text.append((words, weights) if len(weights) else self.vectors_.words(text))
        if sum(len(w) for _, w in per_text):
            words = np.concatenate([w for w, _ in per_text])
            best = np.maximum.reduceat(words @ self.word_matrix_.T, self.word_starts_, axis=1)
            start = 0
            for i, (_, weights) in enumerate(per_text):
                if len(weights):
                    out[i, :, 1] = weights @ best[start:start + len(weights)] / weights.sum()
                start += len(weights)
        for i, lemmas in enumerate(_lemmas(texts, self.vectors_.stops)):
            bm25 = self.bm25_.scores(lemmas)
            out[i, :, 2] = bm25 / (bm25 + BM25_HALF)
        return np.clip(out, 0, None)

    def _combine(self, F: np.ndarray) -> np.ndarray:
        """Scores in [0, 1] for the actions, from mean features of shape (n, n_docs, 3)."""
        A = self.n_actions_
        own = F[:, :A, :]
        other = F[:, A:, :].max(axis=1, keepdims=True) if F.shape[1] > A else np.zeros_like(own[:, :1, :])
        best = own.max(axis=1, keepdims=True)
        w_own, w_other, w_best, intercept = WEIGHTS
        z = own @ np.asarray(w_own) + other @ np.asarray(w_other) + best @ np.asarray(w_best) + intercept
        return 1.0 / (1.0 + np.exp(-z))

    def score_comments(self, comments) -> np.ndarray:
        """Matrix (n_comments x n_actions) of scores in [0, 1], one row per comment."""
        comments = [str(c or "") for c in comments]
        if not comments or not self.n_actions_:
            return np.zeros((len(comments), self.n_actions_))
        return self._combine(self._features(comments))

    def score(self, themes) -> np.ndarray:
        """Matrix (n_themes x n_actions) of scores in [0, 1]. A theme is a string or a dict
        (label, keywords, examples: texts of its most representative comments)."""
        if not len(themes) or not self.n_actions_:
            return np.zeros((len(themes), self.n_actions_))
        pieces = [theme_texts(t) for t in themes]
        F = self._features([p for texts in pieces for p in texts])
        rows, start = [], 0
        for texts in pieces:
            rows.append(F[start:start + len(texts)].mean(axis=0))
            start += len(texts)
        return self._combine(np.stack(rows))

    def suggest(self, themes):
        S = self.score(themes)
        out = []
        for i in range(S.shape[0]):
            order = np.argsort(-S[i], kind="stable")[: self.top_n]
            top = [{"action": int(j), "score": round(float(S[i, j]), 3)} for j in order]
            sugg = [s for s in top if s["score"] >= self.threshold]
            out.append({"theme": i, "suggestions": sugg, "top": top, "covered": bool(sugg)})
        return out


def suggest_links(themes_texts, actions_texts, top_n=3, threshold=0.25, examples=None):
    """For each theme, the top ``top_n`` actions scoring at least ``threshold``.

    ``themes_texts``: strings or dicts (label, keywords, examples/texts as strings).
    ``actions_texts``: strings or dicts (title, description, objective, measures, milestones).
    ``examples``: officers' confirmed links, (theme, action index) pairs, to learn from.
    Returns one dict per theme, in order: {"theme": i, "suggestions": [{"action": j,
    "score": s}], "top": the best ``top_n`` whatever their score, "covered": bool};
    ``covered`` False means "not covered by any action".
    """
    linker = ActionLinker(top_n=top_n, threshold=threshold)
    return linker.fit(actions_texts, examples=examples).suggest(themes_texts)
