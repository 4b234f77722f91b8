"""Readable theme labels and key terms from class-based TF-IDF (as in BERTopic).

Candidate terms are lemma n-grams that never cross a stop word, so phrases such as
"bus service" or "exchange rate" survive while "of the" never can. A label is the best
multi-word phrase, shown in the wording commenters used most, or else two distinctive
nouns joined by "and", or "Comments about <noun>"; labels are kept distinct across
themes. Word classes come from ``wordclass`` (no tagger in the default pipeline). Key
terms leave out people's names and forms of address: they are shown to officers and
scored against actions.
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from .text import analyse, stop_words
from .wordclass import (ADJ_LY, LIGHT_VERBS, PEOPLE, VAGUE, VERBS, WordClasses,
                        capitalised_words, person_words, titles_in_use, variant)

# Labels for a theme without enough shared words, in the order they are handed out.
MIXED = ("mixed comments", "other mixed comments", "more mixed comments")
ABOUT = "comments about "


def _ends_badly(word):
    """A past tense or adverb ("delivered", "honestly"): not a label's last word."""
    w = word.lower().strip(",")
    if w in ADJ_LY:  # "friendly", "lovely": adjectives, not adverbs
        return False
    return len(w) > 4 and (w.endswith("ed") and not w.endswith("eed") or w.endswith("ly"))


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

    def __init__(self, n_keywords=8, max_ngram=3, spacy_model=None, min_df=3,
                 min_coverage=0.15):
        self.n_keywords = n_keywords
        self.max_ngram = max_ngram
        self.spacy_model = spacy_model
        self.min_df = min_df
        self.min_coverage = min_coverage

    def _prepare_labels(self, texts, X, rows, terms, stops, lemma_docs, surface, scores):
        """Per-theme comment counts of each term and which terms may appear in a label."""
        present = X.copy().tocsr()
        present.data[:] = 1.0
        self._cover = sparse.csr_matrix(rows @ present)
        self._scores = scores
        self._terms = list(terms)
        self._nwords = np.array([len(t.split()) for t in terms], dtype=np.int64)
        self._lemma_docs, self._surface_docs = lemma_docs, surface
        self._pair_cache = {}
        wc = self._classes = WordClasses(lemma_docs, surface)
        vocab = {w for t in terms for w in t.split()}
        # People's names and forms of address never become key terms; names of places
        # ("Cedar") neither, though the ordinary nouns in them ("Road") may.
        names, places = capitalised_words(texts)
        people = names | person_words(texts, self.spacy_model)
        hidden = people | titles_in_use(texts)
        self._hidden = {w for w in vocab
                        if w in hidden or set(w) == {"x"} or wc.forms.get(w, {}).keys() & people}
        # Parts of place names ("Northbrook Park", "Kestrel House") are not themes alone.
        usable = {w for w in vocab
                  if len(w) >= 3 and w not in stops and w not in self._hidden
                  and w not in places and not wc.forms.get(w, {}).keys() & places}
        self._clean_words = {w for w in usable if w not in VAGUE and wc.kind(w) == "noun"}
        self._usable = usable
        clean = []
        for t in terms:
            words = t.split()
            if len(words) == 1:
                clean.append(words[0] in self._clean_words)
                continue
            good = all(w in usable for w in words) and len(set(words)) == len(words)
            good = good and (any(w in self._clean_words for w in words)
                             or (len(words) == 2 and words[1] in PEOPLE
                                 and wc.kind(words[0]) == "adj"))  # "Young people"
            # Adjectives and participles may open a phrase ("Broken lifts", "Missed
            # appointments"); only a noun may close it.
            good = good and wc.kind(words[0]) != "adv" and words[0] not in VERBS \
                and wc.kind(words[-1]) == "noun"
            clean.append(good)
        self._clean = np.array(clean, dtype=bool)

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
        self._prepare_labels(texts, X, rows, terms, stops, lemma_docs, surface, scores)
        used = set()
        for t in range(n_themes):
            row = scores.getrow(t)
            ranked = row.indices[np.argsort(-row.data, kind="stable")]  # best first
            members = np.flatnonzero(labels == t)
            label, key = self._label(t, members, used, ranked)
            used.update((label.lower(), key))
            self.labels_.append(label)
            # Key terms are shown in the app and scored against actions: no names.
            shown = [terms[i] for i in ranked if not set(terms[i].split()) & self._hidden]
            self.keywords_.append(self._with_label_terms(shown[: self.n_keywords], key))
        # Working state only: keep it out of pickled finders (the app stores them).
        for attr in ("_cover", "_scores", "_terms", "_nwords", "_lemma_docs", "_surface_docs",
                     "_pair_cache", "_clean", "_clean_words", "_usable", "_classes", "_hidden"):
            self.__dict__.pop(attr, None)
        return self

    def _label(self, t, members, used, row_order):
        """The best readable 2-5 word label for theme ``t`` (see module docstring);
        ``row_order`` is the theme's terms by c-TF-IDF, best first."""
        size = len(members)
        cover = self._cover.getrow(t).toarray().ravel()
        ctf = self._scores.getrow(t).toarray().ravel()
        # A label word or phrase must be used by several commenters and a fair share of
        # the theme, otherwise one odd answer can name it.
        min_df = min(size, max(self.min_df, int(np.ceil(self.min_coverage * size))))
        # A phrase names a theme more precisely than a word, so half that share will do
        # ("Excellent care" in a theme of praise).
        min_phrase = min(size, max(self.min_df, int(np.ceil(0.5 * self.min_coverage * size))))
        ok = (cover >= np.where(self._nwords >= 2, min_phrase, min_df)) & self._clean
        cand = np.flatnonzero(ok)
        share = cover / max(size, 1)
        score = ctf * share
        order = cand[np.argsort(-score[cand], kind="stable")]
        singles = [i for i in order if self._nwords[i] == 1]
        phrases = [i for i in order if self._nwords[i] >= 2]
        top_single = score[singles[0]] if singles else 0.0

        # A commenters' phrase reads best ("Friendly staff"), then "X and Y" for two
        # distinctive nouns written together, then "Comments about X" for a noun.
        phrase_opts = [(score[i] * (1.0 + 0.15 * (self._nwords[i] - 1)), self._terms[i])
                       for i in phrases[:10]]
        pair_docs = self._pair_counts(members)
        phrase_words = [set(self._terms[i].split()) for i in phrases]
        pair_opts = []
        for a_pos, a in enumerate(singles[:4]):
            for b in singles[a_pos + 1:5]:
                wa, wb = self._terms[a], self._terms[b]
                if any(wa in pw and wb in pw for pw in phrase_words) or variant(wa, wb):
                    continue  # "Service charge", not "Service and charge" nor "Fee and fees"
                together = pair_docs.get((wa, wb), 0) + pair_docs.get((wb, wa), 0)
                if together >= max(2, int(np.ceil(0.1 * size))) and \
                        min(score[a], score[b]) >= 0.3 * top_single:
                    pair_opts.append((0.5 * (score[a] + score[b]), self._and(wa, wb, members)))
        phrase_opts.sort(key=lambda o: -o[0])
        pair_opts.sort(key=lambda o: -o[0])
        ordered = []  # lemma labels, best first; the first that reads well wins
        if singles:
            best_word = self._terms[singles[0]]
            for opts in (phrase_opts, pair_opts):
                ordered += [lab for sc, lab in opts
                            if sc >= 0.35 * top_single or best_word in lab.split()]
            ordered += [lab for _, lab in phrase_opts + pair_opts]
            # A partner word among the key terms, used in some of the same comments (two,
            # or 5% of a large theme).
            relaxed = np.flatnonzero((cover >= min(size, 2)) & self._clean)
            relaxed = relaxed[np.argsort(-score[relaxed], kind="stable")]
            key_words = {w for i in row_order[:15] for w in self._terms[i].split()}
            together = max(2, int(np.ceil(0.05 * size)))
            for b in relaxed[:12]:
                wb = self._terms[b]
                if self._nwords[b] == 1 and wb != best_word and not variant(best_word, wb) and \
                        wb in key_words and pair_docs.get((best_word, wb), 0) + \
                        pair_docs.get((wb, best_word), 0) >= together:
                    ordered.append(self._and(best_word, wb, members))
            ordered.append(ABOUT + best_word)  # "Comments about toilets"
        else:
            ordered += [lab for _, lab in phrase_opts + pair_opts]
        # Praise or complaint with no noun in common: the two describing words most of
        # its commenters use ("Happy and cheerful"), before a noun only a few mention.
        # Not one mostly written before a noun: "young" in "young people" names a group.
        wc = self._classes
        before_noun = Counter()
        for j in row_order[:30]:
            if self._nwords[j] >= 2:
                first = self._terms[j].split()[0]
                before_noun[first] = max(before_noun[first], cover[j])
        describing = [self._terms[i] for i in row_order[:10]
                      if self._nwords[i] == 1 and self._terms[i] in self._usable
                      and wc.kind(self._terms[i]) == "adj" and cover[i] >= min_df
                      and before_noun[self._terms[i]] < 0.5 * cover[i]]
        if len(describing) >= 2 and not variant(describing[0], describing[1]):
            ordered.append(f"{describing[0]} and {describing[1]}")
        # Any clean keyword shared by two comments of the theme.
        top_terms = row_order[:30]
        for i in top_terms:
            w = self._terms[i]
            if self._nwords[i] == 1 and w in self._clean_words and cover[i] >= min(2, size):
                ordered.append(ABOUT + w)
        # Labels whose words are all among the theme's key terms come first: a label
        # should name what the key terms and comments show ("Dog and sign" did not).
        support = {w for i in top_terms[:15] for w in self._terms[i].split()} - self._hidden
        ordered = sorted(dict.fromkeys(ordered), key=lambda lab: not set(
            lab.removeprefix(ABOUT).replace(" and ", " ").split()) <= support)
        # Last resort before "Mixed comments": what commenters do, as a noun ("Comments
        # about waiting"), when a verb is their common ground.
        for i in top_terms[:10]:
            w = self._terms[i]
            if self._nwords[i] == 1 and w in self._usable and w not in VAGUE | LIGHT_VERBS and \
                    wc.kind(w) == "verb" and cover[i] >= max(3, int(np.ceil(0.15 * size))):
                ordered.append(ABOUT + wc.gerund(w))
        for cand in dict.fromkeys(ordered):
            if cand in used:
                continue
            about = cand.removeprefix(ABOUT)
            if about == cand:
                label = self._surface(cand, members)
            elif about.endswith("ing") and about not in self._clean_words:
                label = cand  # a verb's "-ing" form from ``gerund``: shown as it is
            else:
                label = ABOUT + self._surface(about, members)
            words = label.split()
            if label.lower() in used or not 2 <= len(words) <= 5:
                continue
            if _ends_badly(words[-1]) or (words[0].endswith("ly") and words[0] not in ADJ_LY):
                continue  # "Card and delivered", "Charged and fee" reads as a verb
            if _ends_badly(words[0]) and len(words) > 2:
                continue
            return label[:1].upper() + label[1:], cand
        # No word is shared by enough of the theme: say so rather than guess.
        for lab in MIXED:
            if lab not in used:
                return lab[:1].upper() + lab[1:], lab
        return self._fallback(used)

    def _with_label_terms(self, keywords, key):
        """Key terms that include every word of the label, so that the two agree."""
        if key in MIXED or key.startswith("other comments "):
            return keywords
        terms = key.removeprefix(ABOUT).split(" and ")
        shown = {w for k in keywords for w in k.split()}
        missing = [term for term in terms
                   if term in self._terms and not set(term.split()) <= shown]
        if not missing:
            return keywords
        return keywords[: max(self.n_keywords - len(missing), 0)] + missing

    def _and(self, a, b, members):
        """"a and b" in the order commenters write them most ("damp and mould")."""
        counts = self._pair_counts(members)
        if counts.get((b, a), 0) > counts.get((a, b), 0):
            a, b = b, a
        return f"{a} and {b}"

    def _pair_counts(self, members):
        """Comments (among ``members``) containing both words of each clean word pair,
        keyed in the order the words first appear."""
        key = tuple(members[:3].tolist()) + (len(members),)
        if self._pair_cache.get("key") == key:
            return self._pair_cache["counts"]
        counts = Counter()
        for m in members[:500]:
            seen = list(dict.fromkeys(w for w in self._lemma_docs[m] if w in self._clean_words))
            for x in range(len(seen)):
                for y in range(x + 1, min(len(seen), x + 12)):
                    counts[(seen[x], seen[y])] += 1
        self._pair_cache = {"key": key, "counts": counts}
        return counts

    @staticmethod
    def _fallback(used):
        n = len(used) // 2 + 1
        while f"other comments {n}" in used:
            n += 1
        fallback = f"Other comments {n}"
        return fallback, fallback.lower()

    def _surface(self, label, members):
        """Show a lemma phrase as commenters most often wrote it ("wait card" stays
        lemmatised only if nobody wrote it otherwise); a word standing alone is shown as
        a noun ("care", not "so caring")."""
        parts = [p for p in re.split(r",\s*|\s+and\s+", label) if p]
        shown = []
        for part in parts:
            words = part.split()
            n = len(words)
            seen = Counter()
            for m in members[:500]:
                lem, sur = self._lemma_docs[m], self._surface_docs[m]
                for i in range(len(lem) - n + 1):
                    if lem[i:i + n] == words:
                        # Only spellings close to the lemma: "lifts" for "lift", never
                        # "lit" for "light" (the lookup table maps both ways).
                        if all(s == w or s.startswith(w[:max(3, len(w) - 1)])
                               for s, w in zip(sur[i:i + n], words)):
                            seen[" ".join(sur[i:i + n])] += 1
            if n == 1:
                seen = Counter({f: c for f, c in seen.items()
                                if not self._classes.adjective_form(f)}) or seen
            # The commonest spelling, but "charges" before "charged".
            ranked = sorted(seen.items(), key=lambda kv: (_ends_badly(kv[0].split()[-1]), -kv[1]))
            shown.append(ranked[0][0] if ranked else part)
        if len(shown) == 1:
            return shown[0]
        return ", ".join(shown[:-1]) + " and " + shown[-1]
