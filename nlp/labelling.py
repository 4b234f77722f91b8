"""Theme labels in residents' own words, and key terms from class-based TF-IDF.

Key terms: lemma n-grams that never cross a stop word, ranked by c-TF-IDF (as in
BERTopic), without people's names.

Labels: every candidate is a phrase one resident wrote (``phrases``: noun chunks, verb
phrases and clauses with a trained pipeline, clause windows without one), including the
clauses of the theme's most central comment. A candidate stands for its content lemmas
(its *key*: "bins not emptied" -> {bin, empty}); it scores by how many of the theme's
comments use all of those lemmas, how many use at least one, and how distinctive they
are for the theme (lift over the whole consultation, c-TF-IDF style), with a small
bonus per extra content word. The label is the commonest wording of the best key, 2-7
words, capitalised on its first letter only, distinct across themes. When no phrase is
shared by enough of a theme, it is labelled "Mixed comments: <key term>, <key term>" and
flagged weak: never an invented topic.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from .phrases import candidate_spans, is_content, trained_pipeline
from .text import analyse, stop_words
from .wordclass import capitalised_words, person_words, titles_in_use

MIXED = "Mixed comments"
# Among wordings used equally often: a request or report before a bare noun phrase.
_KIND_ORDER = {"verb": 0, "clause": 0, "noun": 1, "window": 2}
_ACRONYM = re.compile(r"^[A-Z&]{2,5}s?$")
# Verbs that say little on their own: a label opening on one reads as half a request
# ("Put lights", "Pay more"), so such wordings score lower.
_LIGHT_VERBS = frozenset("put get got give take make have pay do go see".split())
# Past this many words, a label reads like a comment rather than a heading.
_LONG = 4


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


def is_mixed(label):
    return label.startswith(MIXED)


class CTfidfLabeller:
    """Learns per-theme key terms and labels from texts and their theme labels.

    Parameters
    ----------
    n_keywords : int
    max_ngram : int
        Longest key term, in words.
    spacy_model : str or None
        Installed trained pipeline to use for names (PERSON entities) in key terms.
    parser : str, None or "auto"
        Trained pipeline whose tagger and parser give label candidates; "auto" uses
        ``en_core_web_sm`` when installed, None the POS-free windows.
    min_support : float
        A label's lemmas must all appear in at least this share of the theme's comments
        (and in 3), else the theme is "Mixed comments".
    phrase_sample : int
        Comments per theme (most central first) read for candidate phrases.
    reach_weight, n_rescored : float, int
        The best ``n_rescored`` wordings are re-scored with this weight on the share
        of the theme's comments that use any of their words.
    max_parsed : int
        With a trained parser, at most about this many comments are parsed in all.
    n_topic_words : int
        A label must hold one of the theme's this many most distinctive words; its
        support is counted on those words only.
    """

    def __init__(self, n_keywords=8, max_ngram=3, spacy_model=None, parser="auto",
                 min_support=0.12, phrase_sample=120, min_df=3, n_topic_words=15,
                 max_parsed=1500, reach_weight=0.8, n_rescored=30):
        self.n_keywords = n_keywords
        self.max_ngram = max_ngram
        self.spacy_model = spacy_model
        self.parser = parser
        self.min_support = min_support
        self.phrase_sample = phrase_sample
        self.min_df = min_df
        self.n_topic_words = n_topic_words
        self.max_parsed = max_parsed
        self.reach_weight = reach_weight
        self.n_rescored = n_rescored

    # -- key terms ----------------------------------------------------------------
    def _key_terms(self, lemma_docs, labels, n_themes, stops):
        cv = CountVectorizer(analyzer=lambda toks: _phrases(toks, stops, self.max_ngram))
        try:
            X = cv.fit_transform(lemma_docs)
        except ValueError:
            X = sparse.csr_matrix((len(lemma_docs), 0))
        terms = cv.get_feature_names_out() if X.shape[1] else np.array([])
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
        out, topics = [], []
        for t in range(n_themes):
            row = scores.getrow(t)
            order = np.argsort(-row.data, kind="stable")
            ranked = [(terms[row.indices[i]], row.data[i]) for i in order
                      if not set(terms[row.indices[i]].split()) & self._hidden]
            out.append([term for term, _ in ranked])
            # The theme's topic words: its most distinctive single lemmas, weighted.
            singles = [(w, v) for w, v in ranked if " " not in w and is_content(w, stops)]
            top = singles[: self.n_topic_words]
            topics.append({w: v / top[0][1] for w, v in top} if top else {})
        return out, topics

    # -- fitting ------------------------------------------------------------------
    def fit(self, texts, labels, y=None):
        labels = np.asarray(labels)
        texts = list(texts)
        stops = stop_words()
        analysed = analyse(texts, self.spacy_model)
        lemma_docs = [lem for lem, _ in analysed]
        ids = np.unique(labels[labels >= 0])
        n_themes = int(ids.max()) + 1 if len(ids) else 0
        # People's names and forms of address never become key terms or label words.
        names, _ = capitalised_words(texts)
        self._names = names
        self._hidden = (person_words(texts, self.spacy_model) | titles_in_use(texts)
                        | {w for lem in lemma_docs for w in lem if set(w) == {"x"}})
        self._hidden |= names
        ranked_terms, topics = self._key_terms(lemma_docs, labels, n_themes, stops)

        # Content lemmas of every comment, as a binary matrix (comments x lemmas).
        self._lemma_of = {}
        for lem, sur in analysed:
            for a, b in zip(lem, sur):
                self._lemma_of.setdefault(b, a)
        vocab = {}
        rows, cols = [], []
        for d, lem in enumerate(lemma_docs):
            for w in set(lem):
                if is_content(w, stops) and w not in self._hidden:
                    rows.append(d)
                    cols.append(vocab.setdefault(w, len(vocab)))
        self._vocab = vocab
        self._B = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                                    shape=(len(texts), max(len(vocab), 1))).tocsc()

        parser = trained_pipeline() if self.parser == "auto" else self.parser
        self.labels_, self.keywords_, self.weak_ = [], [], []
        self.support_, self.coverage_, self.label_terms_ = [], [], []
        self.parsed_ = False
        members_of = [np.flatnonzero(labels == t) for t in range(n_themes)]
        # A trained parser reads about 100-300 comments a second on a busy machine: cap
        # what it reads on large consultations (the most central comments of each theme).
        per_theme = self.phrase_sample if not parser else \
            min(self.phrase_sample, max(15, self.max_parsed // max(n_themes, 1)))
        samples = [self._central(m)[:per_theme] for m in members_of]
        flat = [int(i) for s in samples for i in s]
        spans, self.parsed_ = candidate_spans([texts[i] for i in flat], parser) \
            if flat else ([], False)
        span_of = dict(zip(flat, spans))
        order = sorted(range(n_themes), key=lambda t: -len(members_of[t]))
        chosen = {}
        used_keys, used_text = set(), set()
        for t in order:
            label, key, sup, cov = self._label(t, members_of[t], samples[t], span_of,
                                               used_keys, used_text, ranked_terms[t],
                                               topics[t], stops)
            used_keys.add(key)
            used_text.add(label.lower())
            chosen[t] = (label, key, sup, cov)
        for t in range(n_themes):
            label, key, sup, cov = chosen[t]
            self.labels_.append(label)
            self.weak_.append(is_mixed(label))
            self.support_.append(round(sup, 3))
            self.coverage_.append(round(cov, 3))
            self.label_terms_.append(sorted(key))
            self.keywords_.append(self._with_label_terms(ranked_terms[t], key))
        # Working state only: keep it out of pickled finders (the app stores them).
        for attr in ("_B", "_vocab", "_lemma_of", "_hidden", "_names"):
            self.__dict__.pop(attr, None)
        return self

    def _central(self, members):
        """Members ordered by how much of the theme's vocabulary they share, short
        comments first among equals: the comments whose phrases speak for the theme."""
        if not len(members):
            return members
        sub = self._B[members]
        share = np.asarray(sub.sum(axis=0)).ravel() / len(members)
        per = np.asarray(sub @ share).ravel()
        n = np.asarray(sub.sum(axis=1)).ravel()
        return members[np.argsort(-(per / (n + 3.0)), kind="stable")]

    def _key(self, span, topic):
        """The theme's topic words in a phrase, or None for a phrase with a name or
        without a topic word."""
        lemmas = [self._lemma_of.get(w, w) for w in span.words]
        if any(w in self._hidden for w in span.words + tuple(lemmas)):
            return None
        return frozenset(w for w in lemmas if w in topic) or None

    def _content_key(self, text):
        words = re.findall(r"[a-z]+", text.lower())
        return frozenset(self._lemma_of.get(w, w) for w in words
                         if self._lemma_of.get(w, w) in self._vocab) or frozenset()

    def _support(self, keys, rows):
        """Per key: comments among ``rows`` (None: all) that hold all, and any, of its lemmas."""
        cols = [[self._vocab[w] for w in k] for k in keys]
        K = sparse.csr_matrix(
            (np.ones(sum(map(len, cols)), dtype=np.float32),
             ([i for i, c in enumerate(cols) for _ in c], [j for c in cols for j in c])),
            shape=(len(keys), self._B.shape[1]))
        B = self._B if rows is None else self._B[rows]
        hits = (B @ K.T).tocsc()
        sizes = np.array([len(c) for c in cols], dtype=np.float32)
        all_ = np.zeros(len(keys))
        any_ = np.diff(hits.indptr).astype(float)
        for j in range(len(keys)):
            col = hits.data[hits.indptr[j]:hits.indptr[j + 1]]
            all_[j] = float((col >= sizes[j]).sum())
        return all_, any_

    def _label(self, t, members, sample, span_of, used_keys, used_text, terms, topic, stops):
        size = len(members)
        forms = defaultdict(Counter)   # key -> wording -> comments
        kinds = {}                     # wording -> what sort of phrase it is
        docs = defaultdict(set)        # key -> comments holding one of its wordings
        for i in sample:
            seen = set()
            for span in span_of.get(int(i), []):
                key = self._key(span, topic)
                if key is None:
                    continue
                wording = self._display(span)
                kinds.setdefault(wording, _KIND_ORDER.get(span.kind, 2))
                if (key, wording) not in seen:  # once per comment
                    seen.add((key, wording))
                    forms[key][wording] += 1
                    docs[key].add(int(i))
        # A phrase qualifies when the theme shares its topic words, even if only one
        # comment put them in exactly those words ("Fix the damp and mould first").
        need = max(min(self.min_df, size), self.min_support * size)
        keys = [k for k in forms if k not in used_keys]
        best = None
        if keys and size:
            sup_t, any_t = self._support(keys, members)
            df = np.asarray(self._B[members].sum(axis=0)).ravel()
            options = []  # (score, share, key, wording)
            for j, key in enumerate(keys):
                # One of its topic words must be shared by enough of the theme
                # ("bus" in "Bus timetable is unreliable").
                if max(df[self._vocab[w]] for w in key) < need:
                    continue
                # Extra topic words count only when the theme shares them too.
                weights = sorted((topic[w] if df[self._vocab[w]] >= need else 0.0
                                  for w in key), reverse=True)
                weight = weights[0] + 0.3 * sum(weights[1:])
                # Comments using all of its topic words, or at least one of them.
                share, reach = sup_t[j] / size, any_t[j] / size
                for text, count in forms[key].items():
                    if text.lower() in used_text:
                        continue
                    repeat = min(count, 5) / 5.0  # the very wording, in several comments
                    score = ((1 - self.reach_weight) * share + self.reach_weight * reach) \
                        * weight * (1.0 + repeat) * self._readable(text) \
                        - 0.001 * kinds[text] - 0.0001 * len(text)
                    options.append((score, share, key, text))
            if options:
                # The best few, re-scored on how many comments share any of their words
                # (the officer's test: does the label speak for most of the theme?).
                options = sorted(options, reverse=True)[: self.n_rescored]
                _, reach = self._support([self._content_key(o[3]) for o in options], members)
                rescored = [(o[0] * (1.0 - self.reach_weight + self.reach_weight * r / size),
                             o[1], o[2], o[3], r / size) for o, r in zip(options, reach)]
                score, share, key, text, reach = max(rescored)
                best = (score, text, key, share, reach)
        if best is not None:
            _, text, key, share, reach = best
            return text[:1].upper() + text[1:], key, share, reach
        return self._mixed(members, terms, used_text, stops)

    @staticmethod
    def _readable(text):
        """1 for a short heading-like wording, less for a long one or one opening on a
        light verb."""
        words = text.lower().split()
        factor = 0.9 ** max(0, len(words) - _LONG)
        return factor * (0.8 if words and words[0] in _LIGHT_VERBS else 1.0)

    def _mixed(self, members, terms, used_text, stops):
        """'Mixed comments: a, b' from the theme's own key terms (never a topic made up)."""
        words = [w for w in terms if " " not in w and is_content(w, stops)][:4]
        n, label = 0, MIXED
        for n in range(min(2, len(words)), len(words) + 1):
            label = f"{MIXED}: {', '.join(words[:n])}" if n else MIXED
            if label.lower() not in used_text:
                break
        else:
            label = f"{MIXED} ({len(used_text) + 1})"
        key = frozenset(w for w in words[:n] if w in self._vocab)
        sup, reach = self._support([key], members) if key and len(members) else ([0], [0])
        size = max(len(members), 1)
        return label, key, 0.0 if not key else float(sup[0]) / size, float(reach[0]) / size

    def _display(self, span):
        """The wording as written, in lower case except names and acronyms ("GP", "NHS",
        "Hollybush")."""
        return "".join((text if _ACRONYM.match(text) or word in self._names else word) + space
                       for word, (text, space) in zip(span.words, span.tokens)).strip()

    def _with_label_terms(self, ranked, key):
        """The top key terms, with the label's own lemmas added when missing, so that the
        two agree."""
        keywords = list(ranked[: self.n_keywords])
        shown = {w for k in keywords for w in k.split()}
        missing = [w for w in sorted(key) if w not in shown]
        if missing:
            keywords = keywords[: max(self.n_keywords - len(missing), 0)] + missing
        return keywords
