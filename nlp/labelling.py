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


# Vague nouns: never a label on their own, allowed inside a phrase ("play area",
# "young people").
VAGUE = frozenset("""
    honestly actually basically literally obviously probably apparently definitely
    stuff anything everything something nothing anyone everyone someone people person
    time times day days week weeks year years month months hour hours today yesterday
    thing kind sort lot bit loads place places area areas council councils
    boys girls guys mum dad son daughter kid kids child children
    ago already still even ever anymore recently instead
""".split())
# Verb-like words: never at either end of a label ("Waited and clarke", "Photos and send").
VERBS = frozenset("""
    include including happen happening build built say said tell told ask asked
    seem seems let bring mean hear try tried give put keep take come send turn
    find leave stay start stop see look call ring feel want wish hope believe
    fix wait visit report pay walk run go sent taken done work make made use need
    help break care check close open live move deal understand improve explain eat
    mind receive recognize recognise verify steal cancel reach delete
""".split())
# Adjectives: fine at the start of a phrase ("Broken lifts"), never at the end
# ("Repairs and long", "Dog and clean").
ADJECTIVES = frozenset("""
    long short clean new old big small safe unsafe free dark high low late early full
    empty broken dirty poor nice great better best worse worst proper local same
    different young older elderly disabled disable cold hot wet quick slow sure little
    right wrong hard easy away near ridiculous brilliant impossible terrible awful lit fine antisocial
    excellent fantastic amazing wonderful lovely kind friendly helpful approachable caring
    professional polite rude useful comfortable far pending extra
""".split())
# Words of place names that are ordinary nouns on their own ("Northbrook Park").
PLACE_NOUNS = frozenset("""
    park parks road lane street avenue close house court walk gardens garden common
    fields field way green grove estate centre center hall school station wood woods
    place places square hill bridge river
""".split())

_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_SENT_START = re.compile(r"(^|[.!?]\s+|\n)\s*$")


def proper_names(texts, limit=20000):
    """Lower-cased words written with a capital mostly in mid-sentence (places, people,
    organisations): "Cedar Road", "Mr Clarke". Sentence-initial words do not count."""
    capital, lower = Counter(), Counter()
    for text in texts[:limit]:
        for m in _WORD.finditer(text or ""):
            w = m.group(0)
            lw = w.lower()
            if w[0].isupper():
                if w.isupper() and len(w) > 1:
                    continue  # SHOUTING or an acronym
                before = text[max(0, m.start() - 3):m.start()]
                if m.start() == 0 or _SENT_START.search(before):
                    continue
                capital[lw] += 1
            else:
                lower[lw] += 1
    return frozenset(w for w, c in capital.items()
                     if c > 3 * lower[w] and w not in PLACE_NOUNS and not w.startswith("i'"))


def place_name_parts(texts, limit=20000):
    """Ordinary nouns written capitalised mid-sentence at least as often as not."""
    capital, lower = Counter(), Counter()
    for text in texts[:limit]:
        for m in _WORD.finditer(text or ""):
            w = m.group(0)
            lw = w.lower()
            if lw not in PLACE_NOUNS:
                continue
            if w[0].isupper():
                before = text[max(0, m.start() - 3):m.start()]
                if m.start() and not _SENT_START.search(before):
                    capital[lw] += 1
            else:
                lower[lw] += 1
    return frozenset(w for w, c in capital.items() if c >= lower[w])


def _ends_badly(word):
    """A past tense or adverb ("delivered", "honestly"): not a label's last word."""
    w = word.lower().strip(",")
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
        names = proper_names(texts)
        # Parts of place names ("Northbrook Park", "Kestrel House") are not themes alone.
        names = names | place_name_parts(texts)
        # Words as written, per lemma: "-ly" adverbs and "-ed" participles are caught
        # on the surface form ("honestly", "waited").
        forms = {}
        for lem, sur in zip(lemma_docs[:5000], surface[:5000]):
            for a, b in zip(lem, sur):
                forms.setdefault(a, set()).add(b)
        def shapes(w):
            sur = forms.get(w, {w})
            return all(f.endswith("ly") for f in sur), all(f.endswith("ed") for f in sur)

        usable = set()
        for w in {w for t in terms for w in t.split()}:
            if len(w) >= 3 and w not in stops and w not in names and set(w) != {"x"} \
                    and not (forms.get(w, set()) & names):
                usable.add(w)
        clean_words = set()
        for w in usable:
            ly, ed = shapes(w)
            if not (ly or ed or w in VAGUE or w in VERBS or w in ADJECTIVES):
                clean_words.add(w)
        self._clean_words = clean_words
        self._usable = usable
        clean = []
        for t in terms:
            words = t.split()
            if len(words) == 1:
                clean.append(words[0] in clean_words)
                continue
            good = all(w in usable for w in words) and len(set(words)) == len(words)
            good = good and any(w in clean_words for w in words)
            if good:
                ly0, _ = shapes(words[0])
                ly1, ed1 = shapes(words[-1])
                good = not (ly0 or words[0] in VERBS or ly1 or ed1 or words[-1] in VERBS
                            or words[-1] in ADJECTIVES)
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
            order = row.indices[np.argsort(-row.data, kind="stable")]
            self.keywords_.append([terms[i] for i in order[: self.n_keywords]])
            members = np.flatnonzero(labels == t)
            label, key = self._label(t, members, used)
            used.update((label.lower(), key))
            self.labels_.append(label)
        # Working state only: keep it out of pickled finders (the app stores them).
        for attr in ("_cover", "_scores", "_terms", "_nwords", "_lemma_docs", "_surface_docs",
                     "_pair_cache", "_clean", "_clean_words", "_usable"):
            self.__dict__.pop(attr, None)
        return self

    def _label(self, t, members, used):
        """The best readable 2-5 word label for theme ``t`` (see module docstring)."""
        size = len(members)
        cover = self._cover.getrow(t).toarray().ravel()
        ctf = self._scores.getrow(t).toarray().ravel()
        # A label word or phrase must be used by several commenters and a fair share of
        # the theme, otherwise one odd answer can name it.
        min_df = min(size, max(self.min_df, int(np.ceil(self.min_coverage * size))))
        ok = (cover >= min_df) & self._clean
        cand = np.flatnonzero(ok)
        share = cover / max(size, 1)
        score = ctf * share
        order = cand[np.argsort(-score[cand], kind="stable")]
        singles = [i for i in order if self._nwords[i] == 1]
        phrases = [i for i in order if self._nwords[i] >= 2]
        top_single = score[singles[0]] if singles else 0.0

        options = []  # (score, lemma phrase)
        for i in phrases[:10]:
            # A phrase scores like its words but must not be far below the theme's best word.
            options.append((score[i] * (1.0 + 0.15 * (self._nwords[i] - 1)), self._terms[i]))
        # "X and Y": two distinctive words that commenters write together.
        pair_docs = self._pair_counts(members)
        phrase_words = [set(self._terms[i].split()) for i in phrases]
        for a_pos, a in enumerate(singles[:4]):
            for b in singles[a_pos + 1:5]:
                wa, wb = self._terms[a], self._terms[b]
                if any(wa in pw and wb in pw for pw in phrase_words):
                    continue  # "service charge" rather than "service and charge"
                together = pair_docs.get((wa, wb), 0) + pair_docs.get((wb, wa), 0)
                if together >= max(2, int(np.ceil(0.1 * size))) and \
                        min(score[a], score[b]) >= 0.3 * top_single:
                    options.append((0.5 * (score[a] + score[b]) * 1.1, self._and(wa, wb, members)))
        options.sort(key=lambda o: -o[0])
        ordered = []  # lemma labels, best first; the first that reads well wins
        if singles:
            best_word = self._terms[singles[0]]
            ordered += [lab for sc, lab in options
                        if sc >= 0.35 * top_single or best_word in lab.split()]
            ordered += [lab for _, lab in options]
            # A partner word used in at least two of the same comments.
            relaxed = np.flatnonzero((cover >= min(size, 2)) & self._clean)
            relaxed = relaxed[np.argsort(-score[relaxed], kind="stable")]
            for b in relaxed[:12]:
                wb = self._terms[b]
                if self._nwords[b] == 1 and wb != best_word and \
                        pair_docs.get((best_word, wb), 0) + pair_docs.get((wb, best_word), 0) >= 2:
                    ordered.append(self._and(best_word, wb, members))
            ordered.append(f"comments about {best_word}")  # "Comments about toilets"
        else:
            ordered += [lab for _, lab in options]
        # Any clean keyword shared by two comments of the theme.
        row = self._scores.getrow(t)
        for i in row.indices[np.argsort(-row.data, kind="stable")][:30]:
            w = self._terms[i]
            if self._nwords[i] == 1 and w in self._clean_words and cover[i] >= min(2, size):
                ordered.append(f"comments about {w}")
        for cand in dict.fromkeys(ordered):
            if cand in used:
                continue
            if cand.startswith("comments about "):
                label = "comments about " + self._surface(cand[15:], members, self._lemma_docs,
                                                          self._surface_docs)
            else:
                label = self._surface(cand, members, self._lemma_docs, self._surface_docs)
            words = label.split()
            if label.lower() in used or not 2 <= len(words) <= 5:
                continue
            if _ends_badly(words[-1]) or words[0].endswith("ly"):
                continue  # "Card and delivered", "Charged and fee" reads as a verb
            if _ends_badly(words[0]) and len(words) > 2:
                continue
            return label[:1].upper() + label[1:], cand
        # No word is shared by enough of the theme: say so rather than guess.
        for lab in ("mixed comments", "other mixed comments", "more mixed comments"):
            if lab not in used:
                return lab[:1].upper() + lab[1:], lab
        return self._fallback(used)

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
                        # Only spellings close to the lemma: "lifts" for "lift", never
                        # "lit" for "light" (the lookup table maps both ways).
                        if all(s == w or s.startswith(w[:max(3, len(w) - 1)])
                               for s, w in zip(sur[i:i + n], words)):
                            seen[" ".join(sur[i:i + n])] += 1
            # The commonest spelling, but "charges" before "charged".
            ranked = sorted(seen.items(), key=lambda kv: (_ends_badly(kv[0].split()[-1]), -kv[1]))
            shown.append(ranked[0][0] if ranked else part)
        if len(shown) == 1:
            return shown[0]
        return ", ".join(shown[:-1]) + " and " + shown[-1]
