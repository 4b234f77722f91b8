"""A theme's description and coherence.

The description is one sentence a resident wrote: taken from the theme's most
representative comment that has a sentence of reasonable length, redacted
(``redact.redact``), and only lightly trimmed: spacing, an opening filler ("I think",
"Also,"), a capital first letter, and an ellipsis where a long sentence is cut. Nothing
is generated.
"""
from __future__ import annotations

import re

import numpy as np

from .redact import redact
from .text import analyse

MAX_WORDS = 30
MIN_WORDS = 4
# Openings that carry nothing of what the resident asks for.
_FILLER = re.compile(r"^(?:(?:i\s+(?:think|feel|believe|reckon)|also|and|but|so|just|"
                     r"personally|honestly|well|ok|okay|yes|no)\b[\s,:;-]*)+", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\s*\n+\s*")
# Two capitalised words after the first word ("Doreen Clarke", "Kestrel House").
_NAME_LIKE = re.compile(r"(?<=\w\W)\s*\b[A-Z][a-z]+\s+[A-Z][a-z]+")
_LEANS_BACK = re.compile(r"(?:it|its|it's|they|them|this|that|these|those|he|she|there|"
                         r"which|so|and|but|also)\b", re.I)
_CUT = re.compile(r"[,;:\u2013\u2014-]\s")


def sentences(text):
    return [s.strip() for s in _SENTENCE.split(text or "") if s and s.strip()]


def trim(sentence, max_words=MAX_WORDS):
    """Light trimming only, so the result stays a piece of what the resident wrote."""
    text = re.sub(r"\s+", " ", sentence).strip()
    bare = _FILLER.sub("", text)
    if len(bare.split()) >= MIN_WORDS - 1:
        text = bare
    words = text.split(" ")
    if len(words) > max_words:
        head = " ".join(words[:max_words])
        # Cut at the last clause break in the second half, else at a word.
        breaks = [m.start() for m in _CUT.finditer(head) if m.start() > len(head) // 2]
        text = (head[:breaks[-1]] if breaks else head).rstrip(" ,;:-") + "…"
    return text[:1].upper() + text[1:]


def describe(texts, terms=(), spacy_model=None, candidates=8):
    """One sentence for a theme from ``texts`` (its comments, most representative first).

    Among the first ``candidates`` comments, the first with a sentence of 4-30 words is
    used (else the first comment); of its sentences, the one using most of the theme's
    ``terms`` (lemmas), the earliest on a tie."""
    texts = [t for t in texts if t and t.strip()][:candidates]
    if not texts:
        return ""
    terms = set(terms)
    pool = []  # (sentence, rank of its comment, position in the comment)
    for rank, text in enumerate(texts):
        parts = sentences(redact(text, spacy_model))
        pool += [(s, rank, pos) for pos, s in enumerate(parts[:6])
                 if MIN_WORDS <= len(s.split()) <= MAX_WORDS]
    if not pool:  # only very short or very long sentences: the first comment's own
        pool = [(s, 0, pos) for pos, s in enumerate(sentences(redact(texts[0], spacy_model))[:5])]
    lemmas = [set(lem) for lem, _ in analyse([s for s, _, _ in pool])]

    def rank(i):
        sentence, comment, pos = pool[i]
        # Contact details and names are no description, even redacted.
        personal = "[" in sentence or bool(_NAME_LIKE.search(sentence))
        # A sentence that leans on the one before ("It worked years ago") reads badly
        # alone.
        alone = pos == 0 or not _LEANS_BACK.match(sentence)
        return (not personal, bool(lemmas[i] & terms), alone, -comment,
                len(lemmas[i] & terms), -pos)

    return trim(pool[max(range(len(pool)), key=rank)][0])


def separation(sims, labels, n_themes):
    """Per theme, how much closer its members are to its centre than other comments are,
    in 0..1: (mean member similarity - mean outsider similarity) / (1 - the latter)."""
    out = np.zeros(n_themes)
    for t in range(n_themes):
        inside = labels == t
        if not inside.any():
            continue
        own = float(np.mean(sims[inside, t]))
        other = float(np.mean(sims[~inside, t])) if (~inside).any() else 0.0
        out[t] = np.clip((own - other) / max(1.0 - other, 1e-6), 0.0, 1.0)
    return out
