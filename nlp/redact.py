"""Remove personal data from comments before they are quoted.

Patterns cover e-mail addresses, UK phone numbers, UK postcodes and street addresses
("12 Acacia Road", "flat 2b, 15 Mill Lane", "12 acacia road"). Person names need a
pipeline that finds PERSON entities (a trained recogniser, or an entity ruler): pass
``spacy_model`` (or set NLP_SPACY_MODEL) naming an installed package or a directory saved
with ``nlp.to_disk``; without one names are left alone rather than guessed from capital
letters, which would also blank out places and services people comment on.
"""
from __future__ import annotations

import os
import re

from .text import load_spacy, stop_words

EMAIL = re.compile(r"\b[\w.+'-]+@[\w-]+(?:\.[\w-]+)+\b")
# +44 or 0, then 9-10 more digits in the usual groupings, with spaces, dots, dashes or
# brackets between groups: 07700 900123, +44 (0)20 7946 0958, 0113-496-0000, 01632 960 001.
PHONE = re.compile(
    r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|\(?0)(?:\d[\s.\-()]{0,2}){8,9}\d(?!\d)"
)
POSTCODE = re.compile(
    r"\b(?:GIR\s?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRV-Y\d]?)\s?\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
_STREET_TYPES = (
    "road|rd|street|st|avenue|ave|lane|ln|close|cl|drive|dr|way|court|ct|crescent|cres|"
    "place|pl|terrace|gardens|gdns|grove|square|sq|hill|row|walk|mews|parade|park|rise|"
    "view|green|vale|wharf|yard|boulevard|highway"
)
ADDRESS = re.compile(
    r"\b(?:(?:flat|apartment|apt|unit)\s+\d+[a-z]?,?\s+)?\d{1,4}[a-z]?,?\s+"
    r"(?:[A-Z][a-z'\-]+\s+){1,3}(?:" + _STREET_TYPES + r")\b\.?",
    re.IGNORECASE,
)
# Street types that name a street even when written in lower case ("12 acacia road");
# "park", "drive", "gardens", "way"... also occur in ordinary sentences ("10 cars park").
_LOWER_TYPES = frozenset("road rd street avenue ave lane crescent terrace mews".split())
_UNIT = re.compile(r"^(?:flat|apartment|apt|unit|\d{1,4}[a-z]?),?$", re.IGNORECASE)
# Words after a number that describe it rather than name a street ("a 20 mph road").
_NOT_NAMES = frozenset("""
    mph kph mile miles metre metres meter meters yard yards foot feet minute minutes hour
    hours year years day days week weeks old new main busy lane lanes way car cars bus
    buses lorry lorries van vans bike bikes times mins hrs km
""".split())

PLACEHOLDERS = {
    "email": "[email]",
    "phone": "[phone]",
    "postcode": "[postcode]",
    "address": "[address]",
    "name": "[name]",
}


def _address(match: re.Match) -> str:
    words = match.group(0).rstrip(".").split()
    # The street's name: the words between the house number (and any "flat 2b,") and
    # the street type.
    name = [w.rstrip(",") for w in words[:-1] if not _UNIT.match(w)]
    if not name:
        return match.group(0)
    if all(w[0].isupper() for w in name):
        return PLACEHOLDERS["address"]
    # In lower case only a plain name before a clear street type: "12 acacia road",
    # never "12 big trees along the road" or "a 20 mph road".
    if words[-1].lower() in _LOWER_TYPES and len(name) <= 2 and all(
            w.isalpha() and len(w) >= 3 and w.lower() not in stop_words()
            and w.lower() not in _NOT_NAMES for w in name):
        return PLACEHOLDERS["address"]
    return match.group(0)


def finds_entities(nlp) -> bool:
    """Whether a pipeline marks entities: a trained recogniser or an entity ruler
    (whatever the components are called)."""
    return bool({"ner", "beam_ner", "entity_ruler"} & set(nlp.pipe_factories.values()))


def _names(text: str, model: str | None) -> str:
    nlp = load_spacy(model)
    if not finds_entities(nlp):
        return text
    doc = nlp(text)
    out, last = [], 0
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            out.append(text[last:ent.start_char])
            out.append(PLACEHOLDERS["name"])
            last = ent.end_char
    out.append(text[last:])
    return "".join(out)


def redact(text: str | None, spacy_model: str | None = None) -> str:
    """Return ``text`` with e-mails, phones, postcodes, addresses (and names, when
    ``spacy_model`` or NLP_SPACY_MODEL names an installed pipeline, or a pipeline
    directory, that finds PERSON entities) replaced by placeholders such as "[email]"."""
    if not text:
        return text or ""
    model = spacy_model or os.environ.get("NLP_SPACY_MODEL")
    text = EMAIL.sub(PLACEHOLDERS["email"], text)
    text = ADDRESS.sub(_address, text)
    text = POSTCODE.sub(PLACEHOLDERS["postcode"], text)
    text = PHONE.sub(PLACEHOLDERS["phone"], text)
    if model:
        text = _names(text, model)
    return text
