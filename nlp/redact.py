"""Remove personal data from comments before they are quoted.

Patterns cover e-mail addresses, UK phone numbers, UK postcodes and street addresses
("12 Acacia Road", "Flat 3, 4 High St"). Person names need a trained pipeline with an
entity recogniser: pass ``spacy_model`` (or set NLP_SPACY_MODEL) naming an installed one;
without it names are left alone rather than guessed from capital letters, which would
also blank out places and services people comment on.
"""
from __future__ import annotations

import os
import re

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
# Address words must be capitalised (proper nouns) for the middle part; re-check below.
_CAPS = re.compile(r"^[A-Z]")

PLACEHOLDERS = {
    "email": "[email]",
    "phone": "[phone]",
    "postcode": "[postcode]",
    "address": "[address]",
    "name": "[name]",
}


def _address(match: re.Match) -> str:
    words = match.group(0).split()
    # "12 big trees along the road" is not an address: the name part must be capitalised.
    middle = [w for w in words[1:-1] if not w.rstrip(",").isdigit()
              and w.lower().rstrip(",") not in ("flat", "apartment", "apt", "unit")]
    if middle and all(_CAPS.match(w) for w in middle):
        return PLACEHOLDERS["address"]
    return match.group(0)


def _names(text: str, model: str | None) -> str:
    from .text import load_spacy

    nlp = load_spacy(model)
    if "ner" not in nlp.pipe_names:
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


def redact(text: str, spacy_model: str | None = None) -> str:
    """Return ``text`` with e-mails, phones, postcodes, addresses (and names, when a
    trained pipeline with NER is named) replaced by placeholders such as "[email]"."""
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
