"""ThemeFinder: non-answers -> duplicates -> vectors -> clusters -> labels.

Each step is a swappable component in the manner of BERTopic (``vectoriser``,
``clusterer``, ``labeller``, ``deduplicator``); the finder only wires them together and
keeps the results in scikit-learn style attributes ending in ``_``.
"""
from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass

import numpy as np

from .clustering import AutoKMeans, SpectralKMeans, UmapKMeans, theme_bounds, umap_available
from .dedup import DuplicateGrouper
from .describe import describe, separation
from .labelling import CTfidfLabeller
from .language import LanguageFilter
from .settle import settle
from .nonanswers import NonAnswerFilter
from .redact import redact
from .vectorisers import SentenceTransformerVectoriser, make_vectoriser

# Where one comment turns to a second subject: sentence ends, semicolons, "also", "but".
_SEGMENT = re.compile(r"(?<=[.!?;])\s+|\s*[;\n]\s*|\s+(?:but also|and also|also|but|plus)\s+", re.I)


@dataclass
class Theme:
    id: int
    label: str
    keywords: list
    size: int
    examples: list  # row indices of the most representative comments, best first
    duplicates: int = 0  # comments in the theme that repeat another one
    second_size: int = 0  # comments whose second theme this is
    description: str = ""  # one redacted sentence from a representative comment
    coherence: float = 0.0  # 0..1: label coverage and vector separation (see describe_themes)
    weak: bool = False  # a mixed theme, or one of low coherence: the officer looks first

    def to_dict(self):
        return asdict(self)


class ThemeFinder:
    """Find themes in free-text comments.

    Parameters
    ----------
    n_themes : int or None
        Fixed number of themes; ``None`` chooses it within [min_themes, max_themes].
    min_themes, max_themes : int
        Bounds for the automatic count. The bounds actually used also scale with the
        number of distinct comments n: at most round(sqrt(n)) themes (and at most n/6),
        at least max(min_themes, sqrt(n)/4); see ``clustering.theme_bounds``.
    min_theme_size : int or None
        With an automatic count, themes with fewer comments than this are folded into
        their nearest theme (never below the lower bound). ``None``: max(3, n / (4 x the
        upper bound)), i.e. 4 for 170 comments, 25 for 10,000; 0 turns folding off.
    vectoriser : str or object
        A name for ``make_vectoriser`` ("static", "hybrid", "tfidf", "minilm"; None reads
        the NLP_EMBEDDINGS environment variable, else "static") or any
        object with fit_transform/transform returning L2-normalised rows.
    clusterer, labeller, deduplicator, non_answers : objects or None (defaults built in fit;
        the clusterer is ``SpectralKMeans``, or ``UmapKMeans`` for MiniLM vectors when
        umap-learn is installed)
    second_themes : bool
        Give a comment further themes when some of its sentences clearly belong there.
    max_extra_themes : int
        At most this many themes besides the main one per comment (``extra_labels_``).
    refit_share : float
        ``fit(texts, previous=...)`` starts from the previous fit's grouping unless more
        than this share of the distinct comments is new to it (see ``fit``).
    languages : LanguageFilter, None or False
        Sets aside comments clearly not in English (``other_languages_``); None builds the
        default filter, False keeps every comment.
    n_examples : int
        Representative comments kept per theme (3-5 recommended).
    random_state : int
    spacy_model : str or None
        Installed trained spaCy pipeline to use (lemmas, names); blank English otherwise.
    label_sample : int
        At most this many distinct comments (a seeded sample) feed the labeller.
    progress : callable or None
        Called with a short message at each stage (the CLI prints them on stderr).
    settle : bool
        After labelling, move comments that share no word with their theme's label to the
        nearest theme whose label they share one with, then label again (``settle``).
    """

    def __init__(self, n_themes=None, min_themes=5, max_themes=100, vectoriser=None,
                 clusterer=None, labeller=None, deduplicator=None, non_answers=None,
                 second_themes=True, n_examples=5, random_state=0, spacy_model=None,
                 label_sample=20000, progress=None, min_theme_size=None, max_extra_themes=3,
                 refit_share=0.2, languages=None, settle=True):
        self.n_themes = n_themes
        self.min_themes = min_themes
        self.max_themes = max_themes
        self.vectoriser = vectoriser
        self.clusterer = clusterer
        self.labeller = labeller
        self.deduplicator = deduplicator
        self.non_answers = non_answers
        self.second_themes = second_themes
        self.n_examples = n_examples
        self.random_state = random_state
        self.spacy_model = spacy_model
        self.label_sample = label_sample
        self.progress = progress
        self.min_theme_size = min_theme_size
        self.max_extra_themes = max_extra_themes
        self.refit_share = refit_share
        self.languages = languages
        self.settle = settle

    # -- helpers -----------------------------------------------------------------
    def _say(self, msg):
        if self.progress:
            self.progress(f"{msg} ({time.perf_counter() - self._t0:.1f}s)")

    def _build(self):
        vec = self.vectoriser
        if vec is None or isinstance(vec, str):
            vec = make_vectoriser(vec, random_state=self.random_state, spacy_model=self.spacy_model)
        # MiniLM vectors gain from a UMAP layout (+0.03 NMI on banking77) where
        # umap-learn is installed with the other optional extras; static vectors do not.
        spectral = UmapKMeans if isinstance(vec, SentenceTransformerVectoriser) and \
            umap_available() else SpectralKMeans
        clus = self.clusterer or spectral(
            n_clusters=self.n_themes, min_clusters=self.min_themes,
            max_clusters=self.max_themes, random_state=self.random_state)
        lab = self.labeller or CTfidfLabeller(spacy_model=self.spacy_model)
        dedup = self.deduplicator or DuplicateGrouper(random_state=self.random_state)
        na = self.non_answers or NonAnswerFilter()
        return vec, clus, lab, dedup, na

    # -- fitting -----------------------------------------------------------------
    def fit(self, texts, y=None, previous=None):
        """Find the themes of ``texts``.

        previous : a ThemeFinder fitted earlier on (mostly) the same comments, or None.
            Its grouping is the starting point (a *warm start*): the same vector space (its
            fitted vectoriser), the same number of clusters, and k-means started from each
            previous group's mean, so a few new comments join the themes instead of
            reshuffling them. The start is fresh instead when more than ``refit_share`` of
            the distinct comments are new to it, or when its settings (theme count, seed,
            vectoriser, spaCy model) differ from this finder's; ``warm_started_`` says which.
        """
        self._t0 = time.perf_counter()
        texts = ["" if t is None else str(t) for t in texts]
        n = len(texts)
        self.vectoriser_, self.clusterer_, self.labeller_, dedup, na = self._build()
        self.warm_started_ = False

        self.non_answers_ = na.fit(texts).indices_
        self._say(f"{len(self.non_answers_)} non-answers set aside")
        self.other_languages_ = {}  # text index -> language code, for comments not in English
        if self.languages is not False:
            rest = [i for i in range(n) if not na.mask_[i]]
            found = (self.languages or LanguageFilter()).fit([texts[i] for i in rest]).languages_
            self.other_languages_ = {rest[j]: code for j, code in found.items()}
            self._say(f"{len(self.other_languages_)} comments in other languages set aside")
        answered = np.array([i for i in range(n) if not na.mask_[i] and i not in self.other_languages_],
                            dtype=np.int64)

        dedup.fit([texts[i] for i in answered])
        rep_local = dedup.representative_
        self.duplicate_groups_ = [[int(answered[j]) for j in g] for g in dedup.groups_]
        self.duplicate_counts_ = {g[0]: len(g) for g in self.duplicate_groups_}
        uniq_local = np.flatnonzero(rep_local == np.arange(len(rep_local)))
        uniq = answered[uniq_local]
        self._say(f"{len(answered) - len(uniq)} duplicates grouped, {len(uniq)} distinct comments")

        self.labels_ = np.full(n, -1, dtype=np.int64)
        self.second_labels_ = np.full(n, -1, dtype=np.int64)
        self.extra_labels_ = [[] for _ in range(n)]
        self.themes_ = []
        if len(uniq) == 0:
            self.centroids_ = np.zeros((0, 1), dtype=np.float32)
            return self

        from .dedup import text_keys

        utexts = [texts[i] for i in uniq]
        ukeys = text_keys(utexts)
        init = self._warm_labels(previous, ukeys)
        if init is not None:
            self.vectoriser_ = previous.vectoriser_  # the space the previous groups live in
            X = self.vectoriser_.transform(utexts)
            self.clusterer_.fit(X, init_labels=init)
            self.warm_started_ = True
            self._say("comments vectorised and grouped from the previous themes")
        else:
            X = self.vectoriser_.fit_transform(utexts)
            self._say("comments vectorised")
            self.clusterer_.fit(X)
        raw = np.asarray(self.clusterer_.labels_)
        # What a later fit needs to start from this one: each distinct comment's fingerprint
        # and its cluster before small ones were folded (the clusterer's own grouping).
        order_keys = np.argsort(ukeys, kind="stable")
        self.text_keys_, self.text_clusters_ = ukeys[order_keys], raw[order_keys].astype(np.int32)
        # Size counts every comment, duplicates included; ids run from the largest theme.
        weights = np.bincount(rep_local, minlength=len(rep_local))[uniq_local]
        if self.n_themes is None:
            raw = self._fold_small(X, raw, weights)
        self._say(f"{len(set(raw.tolist()))} themes found")

        ulab, sims = self._index(X, raw, weights)
        # Key terms from 20k comments are as stable as from all of them, at a fraction
        # of the lemmatising cost on very large consultations.
        lab_rows = np.arange(len(uniq))
        if len(lab_rows) > self.label_sample:
            rng = np.random.RandomState(self.random_state)
            lab_rows = np.sort(rng.choice(len(uniq), self.label_sample, replace=False))
        self.labeller_.fit([utexts[j] for j in lab_rows], ulab[lab_rows])
        if self.settle:
            ulab, sims = self._settle(X, ulab, sims, weights, utexts, lab_rows)
        pos_of = np.full(n, -1, dtype=np.int64)
        pos_of[uniq] = np.arange(len(uniq))
        self.labels_[answered] = ulab[pos_of[answered[rep_local]]]
        self._say("themes labelled")
        own = sims[np.arange(len(uniq)), ulab]
        self.typical_similarity_ = np.array(
            [float(np.median(own[ulab == t])) for t in range(len(self.centroids_))],
            dtype=np.float32)
        if self.second_themes:
            self._second_themes(utexts, uniq, ulab, answered, rep_local, pos_of)

        for t in range(len(self.centroids_)):
            members = np.flatnonzero(ulab == t)
            best = members[np.argsort(-self._example_score(sims[members, t], utexts, members),
                                      kind="stable")]
            self.themes_.append(Theme(
                id=t,
                label=self.labeller_.labels_[t],
                keywords=list(self.labeller_.keywords_[t]),
                size=int(weights[members].sum()),
                examples=[int(uniq[m]) for m in best[: self.n_examples]],
                duplicates=int(weights[members].sum() - len(members)),
                second_size=int((self.second_labels_ == t).sum()),
            ))
        self.describe_themes(utexts, ulab, sims)
        self._say("done")
        return self

    def _index(self, X, raw, weights):
        """Theme ids from the largest theme (by comments, duplicates included), the
        centroids (``centroids_``) and every distinct comment's similarity to them."""
        present = np.unique(raw)
        sizes = {c: int(weights[raw == c].sum()) for c in present}
        order = sorted(present, key=lambda c: (-sizes[c], c))
        remap = {c: i for i, c in enumerate(order)}
        ulab = np.array([remap[c] for c in raw], dtype=np.int64)
        centres = np.vstack([X[ulab == t].mean(axis=0) for t in range(len(order))])
        self.centroids_ = (centres / np.maximum(np.linalg.norm(centres, axis=1, keepdims=True),
                                                1e-9)).astype(np.float32)
        return ulab, X @ self.centroids_.T

    def _settle(self, X, ulab, sims, weights, utexts, lab_rows):
        """Comments sharing no word with their theme's label move to the nearest theme
        whose label they share one with (``settle.settle``); the themes are then indexed
        and labelled again."""
        lab = self.labeller_
        mixed = [t for t, weak in enumerate(getattr(lab, "weak_", []) or []) if weak]
        moved_rows, moved = settle([utexts[j] for j in lab_rows], ulab[lab_rows],
                                   list(lab.labels_), sims[lab_rows], mixed, self.spacy_model)
        if not moved:
            return ulab, sims
        ulab = ulab.copy()
        ulab[lab_rows] = moved_rows
        ulab, sims = self._index(X, ulab, weights)
        self.labeller_.fit([utexts[j] for j in lab_rows], ulab[lab_rows])
        self._say(f"{moved} comments settled onto a theme sharing their words")
        return ulab, sims

    def _warm_labels(self, previous, ukeys):
        """The previous fit's cluster of each distinct comment (-1 if new to it), or None
        when the fit must start afresh."""
        if previous is None or not hasattr(previous, "text_keys_") or not len(previous.text_keys_):
            return None
        same = ("n_themes", "random_state", "vectoriser", "spacy_model", "min_themes", "max_themes")
        if any(getattr(previous, name, None) != getattr(self, name, None) for name in same):
            return None
        import inspect

        if not hasattr(self.clusterer_, "fit") or "init_labels" not in \
                inspect.signature(self.clusterer_.fit).parameters:
            return None
        pos = np.searchsorted(previous.text_keys_, ukeys)
        pos = np.minimum(pos, len(previous.text_keys_) - 1)
        known = previous.text_keys_[pos] == ukeys
        if len(ukeys) == 0 or (1.0 - known.mean()) > self.refit_share:
            return None
        labels = np.where(known, previous.text_clusters_[pos], -1).astype(np.int64)
        return labels if len(np.unique(labels[labels >= 0])) >= 2 else None

    # Below this coherence a theme is flagged weak. Set by reading the demo and seed-0 runs
    # of bench/nlp_labels.py: it flags the parks demo's mix of pitches, allotments and
    # safety, and few banking77 themes (whose groups are clean).
    weak_below = 0.35

    def describe_themes(self, utexts, ulab, sims):
        """Each theme's description, coherence and weak flag. Coherence is the mean of
        the share of its comments that use a word of its label (``labeller_.coverage_``)
        and how much closer its members are to its centre than other comments are."""
        sep = separation(np.asarray(sims), ulab, len(self.themes_))
        def learned(name, default):
            """Per-theme values from the labeller (a custom one may not have them; a theme
            missing from the labelling sample gets the default)."""
            values = getattr(self.labeller_, name, None) or []
            return [values[t] if t < len(values) else default for t in range(len(self.themes_))]

        cover, mixed = learned("coverage_", 0.0), learned("weak_", False)
        terms_of = learned("label_terms_", [])
        for th in self.themes_:
            members = np.flatnonzero(ulab == th.id)
            order = members[np.argsort(-self._example_score(sims[members, th.id], utexts, members),
                                       kind="stable")]
            terms = list(terms_of[th.id]) + [w for k in th.keywords[:5] for w in k.split()]
            th.description = describe([utexts[m] for m in order[:8]], terms, self.spacy_model)
            th.coherence = round(float(0.5 * cover[th.id] + 0.5 * sep[th.id]), 3)
            th.weak = bool(mixed[th.id]) or th.coherence < self.weak_below

    def _fold_small(self, X, raw, weights):
        """Fold themes smaller than the minimum size into their nearest theme."""
        n = len(raw)
        lo, hi = theme_bounds(n, self.min_themes, self.max_themes)
        min_size = self.min_theme_size
        if min_size is None:
            min_size = max(3, int(np.ceil(n / (4 * max(hi, 1)))))
        raw = raw.copy()
        while True:
            present = np.unique(raw)
            if len(present) <= max(lo, 1):
                break
            sizes = np.array([weights[raw == c].sum() for c in present])
            small = int(np.argmin(sizes))
            if sizes[small] >= min_size:
                break
            c = present[small]
            others = present[present != c]
            cents = np.vstack([X[raw == o].mean(axis=0) for o in others])
            cents /= np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-9)
            rows = np.flatnonzero(raw == c)
            # Each member goes to its own nearest remaining theme.
            raw[rows] = others[np.asarray(X[rows] @ cents.T).argmax(axis=1)]
        return raw

    @staticmethod
    def _example_score(sim, utexts, members):
        # Very short answers are poor quotes even when central; nudge them down.
        lengths = np.array([len(utexts[m].split()) for m in members])
        return sim - 0.05 * (lengths < 4) - 0.02 * (lengths > 80)

    def _second_themes(self, utexts, uniq, ulab, answered, rep_local, pos_of):
        """Every other theme one of a comment's sentences clearly belongs to, closest first
        (at most ``max_extra_themes``); the first of them is also its second theme."""
        seg_owner, segs = [], []
        for j, t in enumerate(utexts):
            parts = [p for p in _SEGMENT.split(t) if p and len(p.split()) >= 3]
            if len(parts) >= 2:
                seg_owner.extend([j] * len(parts))
                segs.extend(parts)
        if not segs or self.max_extra_themes < 1:
            return
        S = self.vectoriser_.transform(segs) @ self.centroids_.T
        best = S.argmax(axis=1)
        extra_u = {}  # distinct comment -> {theme: best similarity of one of its sentences}
        for s, j in enumerate(seg_owner):
            t = best[s]
            # A sentence counts for another theme only when it is as close to that theme
            # as the theme's typical member is: a passing mention is not another theme.
            if t != ulab[j] and S[s, t] >= self.typical_similarity_[t]:
                found = extra_u.setdefault(j, {})
                found[t] = max(found.get(t, -1.0), float(S[s, t]))
        extra_u = {j: [int(t) for t in sorted(found, key=lambda t: (-found[t], t))][: self.max_extra_themes]
                   for j, found in extra_u.items()}
        for i, j in zip(answered, pos_of[answered[rep_local]]):  # row, its distinct comment
            themes = extra_u.get(int(j))
            if themes:
                self.extra_labels_[i] = list(themes)
                self.second_labels_[i] = themes[0]

    # -- using a fitted finder ----------------------------------------------------
    def transform(self, texts):
        """Cosine similarity of each text to each theme centroid (n_texts x n_themes)."""
        return self.vectoriser_.transform([t or "" for t in texts]) @ self.centroids_.T

    def predict(self, texts):
        """Theme id for each new text without re-clustering; None for non-answers."""
        texts = list(texts)
        na = NonAnswerFilter().predict(texts)
        out = [None] * len(texts)
        idx = [i for i, m in enumerate(na) if not m]
        if idx and len(self.themes_):
            best = self.transform([texts[i] for i in idx]).argmax(axis=1)
            for i, t in zip(idx, best):
                out[i] = int(t)
        return out

    @property
    def assignments_(self):
        return [None if v < 0 else int(v) for v in self.labels_]

    @property
    def second_assignments_(self):
        return [None if v < 0 else int(v) for v in self.second_labels_]

    @property
    def extra_assignments_(self):
        """Per comment, the themes besides its main one that it clearly raises, closest first."""
        extra = getattr(self, "extra_labels_", None)
        if extra is None:  # a finder saved before comments could raise several themes
            return [[] if v < 0 else [int(v)] for v in self.second_labels_]
        return [list(themes) for themes in extra]

    def snapshot(self, texts, n_texts=20):
        """JSON-able description of each theme for ``identity.match_themes`` in a later run.

        Stores the label, key terms and up to ``n_texts`` redacted member comments (the
        most representative first) rather than raw vectors, so a later run can compare
        themes even if its vector space differs.
        """
        out = []
        for th in self.themes_:
            members = np.flatnonzero(self.labels_ == th.id)
            sims = self.transform([texts[i] for i in members[:2000]])[:, th.id]
            ranked = [int(members[i]) for i in np.argsort(-sims, kind="stable")]
            chosen = list(dict.fromkeys(th.examples + ranked))[:n_texts]
            out.append({"id": th.id, "label": th.label, "keywords": list(th.keywords),
                        "texts": [redact(texts[i], self.spacy_model) for i in chosen],
                        "centroid": [round(float(v), 5) for v in self.centroids_[th.id]]})
        return out

    def to_dict(self, seconds=None):
        """The CLI's JSON contract."""
        return {
            "themes": [{"id": t.id, "label": t.label, "keywords": list(t.keywords),
                        "size": t.size, "examples": list(t.examples),
                        "description": t.description} for t in self.themes_],
            "assignments": self.assignments_,
            "non_answers": [int(i) for i in self.non_answers_],
            "seconds": round(float(seconds if seconds is not None else 0.0), 3),
        }
