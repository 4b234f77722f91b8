"""Shared text handling: normalisation keys and the spaCy lemmatising tokenizer.

spaCy is used as ``spacy.blank("en")`` plus the lookup lemmatizer so that nothing is
downloaded at run time; a trained pipeline is only used when a setting names one and
it is already installed (see ``load_spacy``).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WS = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w\s]+", re.UNICODE)

# Words that carry no theme on their own in consultation answers. Labels and key terms
# built only from these read like noise, so they are removed on top of spaCy's list.
EXTRA_STOP_WORDS = frozenset(
    """
    also just really would could should get got like think know want make go going
    please thank thanks etc lot lots thing things way much many well good bad
    yes yeah ok okay dont don't cant can't im i'm ive i've u bit need use able
    whilst amongst
    """.split()
)


# The lookup table's lemma for these nouns is another word ("parking" -> "park", the green
# space; "evening" -> "even", a stop word; "ceiling" -> "ceil") or disagrees with their own
# plural ("buildings" -> "building" but "building" -> "build"): they stay as written.
LOOKUP_FIXES = frozenset(
    "parking evening ceiling building booking meeting training clothing".split())


def normalise_key(text: str) -> str:
    """Key under which copy-paste variants (case, spacing, punctuation) compare equal."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _NON_WORD.sub(" ", text)
    return _WS.sub(" ", text).strip()


@lru_cache(maxsize=4)
def load_spacy(model: str | None = None):
    """Return a spaCy pipeline with lemmas, never downloading anything.

    ``model`` names an installed trained pipeline (e.g. ``en_core_web_sm``); if it is not
    installed we fall back to the blank English pipeline with the lookup lemmatizer.
    """
    import spacy

    if model:
        try:
            return spacy.load(model)
        except OSError:
            pass
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


@lru_cache(maxsize=1)
def stop_words() -> frozenset:
    import spacy

    return frozenset(spacy.blank("en").Defaults.stop_words) | EXTRA_STOP_WORDS


def _lemma(tok, stops) -> str:
    """Lemma, except for stop words: the lookup table turns "does" into "doe"."""
    low = tok.text.lower()
    if low in stops:
        return low
    return (tok.lemma_ or tok.text).lower()


def _lookup_table(nlp):
    """The lookup lemmatizer's table (``Table.get`` takes strings), or None when a
    trained pipeline lemmatises by rules."""
    if "lemmatizer" not in nlp.pipe_names:
        return None
    pipe = nlp.get_pipe("lemmatizer")
    if getattr(pipe, "mode", None) != "lookup":
        return None
    return pipe.lookups.get_table("lemma_lookup")


def analyse(texts, model: str | None = None, batch_size: int = 1000):
    """(lemmas, surface words) per text, alphabetic tokens only, lower case.

    Reads token attributes as arrays (``Doc.to_array``) rather than Token objects: on
    100k comments that is several times faster than iterating tokens in Python.
    """
    from spacy.attrs import IS_ALPHA, LEMMA, LOWER

    nlp = load_spacy(model)
    stops = stop_words()
    strings = nlp.vocab.strings
    table = _lookup_table(nlp)
    lemma_of: dict = {}
    word_of: dict = {}
    out = []
    for doc in nlp.pipe((t or "" for t in texts), batch_size=batch_size):
        lemmas, words = [], []
        if len(doc):
            arr = doc.to_array([LOWER, LEMMA, IS_ALPHA])
            for low_h, lem_h, alpha in arr.tolist():
                if not alpha:
                    continue
                word = word_of.get(low_h)
                if word is None:
                    word = word_of[low_h] = strings[low_h]
                key = (low_h, lem_h)
                lem = lemma_of.get(key)
                if lem is None:
                    if word in stops:
                        lem = word
                    elif table is not None:  # lower-case lookup: "Nurses" -> "nurse"
                        lem = word if word in LOOKUP_FIXES else table.get(word, word)
                    else:
                        lem = (strings[lem_h] if lem_h else word).lower()
                    lemma_of[key] = lem
                lemmas.append(lem)
                words.append(word)
        out.append((lemmas, words))
    return out


def lemmatise(texts, model: str | None = None, batch_size: int = 1000) -> list[list[str]]:
    """Lower-cased lemmas of alphabetic tokens (punctuation, numbers, spaces dropped)."""
    return [lem for lem, _ in analyse(texts, model, batch_size)]


def lemma_strings(texts, model: str | None = None) -> list[str]:
    """Space-joined lemmas, ready for a scikit-learn vectoriser with a split analyser."""
    return [" ".join(toks) for toks in lemmatise(texts, model)]
