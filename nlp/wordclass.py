"""Proper names and forms of address, kept out of theme key terms and labels.

Proper names (people and places) are found from capitals in mid-sentence; with a
trained pipeline, PERSON entities too. (Word classes for labels used to be guessed here
from hand-written lists; labels are now phrases residents wrote, see ``phrases``.)
"""
from __future__ import annotations

import re
from collections import Counter

from .redact import finds_entities
from .text import load_spacy

# Words of place names that are ordinary nouns on their own ("Northbrook Park").
PLACE_NOUNS = frozenset("""
    park parks road lane street avenue close house court walk gardens garden common
    fields field way green grove estate centre center hall school station wood woods
    place places square hill bridge river
""".split())
# Forms of address: never a key term or label word ("Mr Clarke").
TITLES = frozenset("mr mrs ms mx dr miss sir madam".split())
# Titles that are also ordinary words ("missed bins", "MS"): hidden only where written
# before a name.
_NAME_TITLES = ("Miss", "Ms", "Sir", "Madam")
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_SENT_START = re.compile(r"(^|[.!?]\s+|\n)\s*$")
_TITLE_USE = re.compile(r"\b(?:%s)\.?\s+[A-Z][a-z]" % "|".join(_NAME_TITLES))


def capitalised_words(texts, limit=20000):
    """(proper names, place name parts) from one pass over ``texts``, lower-cased.

    Proper names are words written with a capital mostly in mid-sentence (places, people,
    organisations): "Cedar Road", "Mr Clarke"; sentence-initial words and SHOUTING or
    acronyms do not count. Place name parts are ordinary nouns ("park", "house")
    written capitalised mid-sentence at least as often as not ("Northbrook Park")."""
    capital, shouted, lower = Counter(), Counter(), Counter()
    for text in texts[:limit]:
        for m in _WORD.finditer(text or ""):
            w = m.group(0)
            lw = w.lower()
            if not w[0].isupper():
                lower[lw] += 1
            elif m.start() and not _SENT_START.search(text[max(0, m.start() - 3):m.start()]):
                capital[lw] += 1
                if w.isupper() and len(w) > 1:
                    shouted[lw] += 1
    names = frozenset(w for w, c in capital.items()
                      if c - shouted[w] > 3 * lower[w] and w not in PLACE_NOUNS
                      and not w.startswith("i'"))
    places = frozenset(w for w, c in capital.items() if w in PLACE_NOUNS and c >= lower[w])
    return names, places


def titles_in_use(texts, limit=20000):
    """Forms of address to keep out of key terms. "Miss" is a title only where it is
    written as one ("Miss Patel") more often than as the verb ("missed bins"); "Ms"
    only where written before a name (not "MS", the illness)."""
    out = set(TITLES) - {t.lower() for t in _NAME_TITLES}
    title_uses = Counter(m.group(0).split()[0].rstrip(".").lower()
                         for t in texts[:limit] for m in _TITLE_USE.finditer(t or ""))
    verb_uses = sum(len(re.findall(r"\bmiss(?:ed|es|ing)?\b", t or "")) for t in texts[:limit])
    for word, n in title_uses.items():
        if word != "miss" or n > verb_uses:
            out.add(word)
    return frozenset(out)


def person_words(texts, model, limit=5000):
    """Lower-cased words of PERSON entities found by a trained pipeline (statistical NER
    or an entity ruler); empty without one."""
    if not model:
        return frozenset()
    nlp = load_spacy(model)
    if not finds_entities(nlp):
        return frozenset()
    as_name, other = Counter(), Counter()
    for doc in nlp.pipe((t or "" for t in texts[:limit]), batch_size=500):
        in_name = set()
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                in_name.update(range(ent.start, ent.end))
        for tok in doc:
            if tok.is_alpha:
                (as_name if tok.i in in_name else other)[tok.lower_] += 1
    # "Bill" may be a person once, but "bill" is mostly the thing people comment on.
    return frozenset(w for w, n in as_name.items() if n >= other[w] and w not in TITLES)
