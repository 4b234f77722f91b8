"""Patterns and word lists behind nlp/redact.py (kept apart so the logic there stays readable)."""
from __future__ import annotations

import datetime as _dt
import re

from .text import stop_words

EMAIL = re.compile(r"\b[\w.+'-]+@[\w-]+(?:\.[\w-]+)+\b")
_DOT = r"\s*(?:[\(\[<{]\s*dot\s*[\)\]>}]|\bdot\b|\.)\s*"
_AT = r"\s*(?:[\(\[<{]\s*at\s*[\)\]>}]|\bat\b|@)\s*"
_TLD = r"(?:com|co|uk|org|net|gov|ac|info|me|io|nhs|sch|biz|edu|ltd|plc)"
# "jane dot doe at gmail dot com", "j.doe (at) btinternet (dot) com", "jo @ mail . co . uk"
SPELLED_EMAIL = re.compile(
    rf"\b[A-Za-z0-9_+\-]+(?:{_DOT}[A-Za-z0-9_+\-]+)*?{_AT}[A-Za-z0-9\-]+(?:{_DOT}[A-Za-z0-9\-]+)*?{_DOT}{_TLD}"
    rf"(?:{_DOT}{_TLD})?\b", re.IGNORECASE)
# +44 or 0, then 9-10 more digits in the usual groupings, with spaces, dots, dashes or
# brackets between groups: 07700 900123, +44 (0)20 7946 0958, 0113-496-0000, 01632 960 001.
PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|\(?0)(?:\d[\s.\-()]{0,2}){8,9}\d(?!\d)")
_SPOKEN = r"(?:zero|oh|o|nought|one|two|three|four|five|six|seven|eight|nine|double|triple|treble|\d+)"
SPOKEN_DIGITS = re.compile(rf"\b{_SPOKEN}(?:[\s,\-]+(?:and\s+)?{_SPOKEN}){{3,}}\b", re.IGNORECASE)
_DIGIT_WORDS = {"zero", "oh", "o", "nought", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}


def digit_count(run: str) -> int:
    """Digits a spoken number stands for: "oh seven double seven" is 4."""
    count = 0
    for token in re.findall(r"[a-z]+|\d+", run.lower()):
        if token.isdigit():
            count += len(token)
        elif token in _DIGIT_WORDS:
            count += 1
        elif token == "double":
            count += 1
        elif token in ("triple", "treble"):
            count += 2
    return count


# National Insurance number: two letters (not D, F, I, Q, U, V; second not O), six digits, A-D.
NI_NUMBER = re.compile(r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][\s\-]?\d{2}[\s\-]?\d{2}[\s\-]?\d{2}[\s\-]?[A-D]\b",
                       re.IGNORECASE)
POSTCODE = re.compile(
    r"\b(?:GIR\s?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRV-Y\d]?)\s?\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)

# --- dates of birth -------------------------------------------------------------------------------
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec")
NUMERIC_DATE = re.compile(r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})")
DATE = re.compile(
    rf"\b(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+(?:{_MONTHS})\.?,?\s+(?:\d{{4}}|'\d{{2}}|\d{{2}})"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})(?!\d)", re.IGNORECASE)
# The cue, then anything short of the end of a sentence (". " before a capital, "!" or "?").
BIRTH_CUE = re.compile(r"\b(?:born|d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birth\s?days?|birth\s?date)"
                       r"(?:(?!\.\s+[A-Z])[^!?])*$", re.IGNORECASE)
BORN_IN_YEAR = re.compile(r"\bborn\s+(?:in\s+)?(?P<year>(?:19|20)\d{2})\b", re.IGNORECASE)


def year_of(date_text: str) -> int | None:
    four = re.findall(r"\d{4}", date_text)
    if four:
        return int(four[-1])
    two = re.findall(r"\d{2}", date_text)
    if not two:
        return None
    year = int(two[-1])
    return 2000 + year if year <= _dt.date.today().year % 100 else 1900 + year


# --- addresses, flats and buildings ----------------------------------------------------------------
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
_BUILDING_TYPES = ("house|court|tower|towers|lodge|mansions|buildings|cottages|cottage|heights|point|hall|villas|"
                   "flats|apartments|manor|farm|works|mill|wharf|place|gardens|block|chambers|quay|close|walk|"
                   "view|row|terrace|mews|yard|square")
# "42 Kestrel House", "Flat 7, Oak Court", "flat 3 in Marlow Heights", "Apartment 12 The Maltings"
BUILDING = re.compile(
    r"\b(?:(?:flat|apartment|apt|unit|room)\s*(?:no\.?\s*)?\d{1,4}[a-z]?\s*,?\s+(?:(?:in|at|of)\s+)?"
    r"|\d{1,4}[a-z]?,?\s+)(?:the\s+)?(?:[A-Z][a-z'\-]+\s+){0,2}[A-Z][a-z'\-]+\s+(?:" + _BUILDING_TYPES + r")\b"
    r"|\b(?:flat|apartment|apt|unit)\s*(?:no\.?\s*)?\d{1,4}[a-z]?,?\s+the\s+[A-Z][a-z'\-]+s\b",
    re.IGNORECASE,
)
FLAT_NUMBER = re.compile(
    r"\b(?:flat|apartment|apt)\s+(?:no\.?\s*|number\s+)?\d{1,4}[a-z]?\b"
    r"(?!\s*(?:%|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|doors?|times?|pounds?|quid|per\b|x\b))",
    re.IGNORECASE)
# Street and building types that name a place even when written in lower case ("12 acacia road",
# "42 kestrel house"); "park", "drive", "gardens", "way"... also occur in ordinary sentences.
_LOWER_TYPES = frozenset("road rd street avenue ave lane crescent terrace mews house court tower lodge mansions "
                         "heights cottages".split())
_UNIT = re.compile(r"^(?:flat|apartment|apt|unit|room|no\.?|\d{1,4}[a-z]?),?$", re.IGNORECASE)
# Words after a number that describe it rather than name a street ("a 20 mph road").
_NOT_NAMES = frozenset("""
    mph kph mile miles metre metres meter meters yard yards foot feet minute minutes hour
    hours year years day days week weeks old new main busy lane lanes way car cars bus
    buses lorry lorries van vans bike bikes times mins hrs km storey storeys floor floors bed
    bedroom bedrooms people families homes houses council social empty
""".split())


def _named(words) -> bool:
    """Whether the words between the number and the street/building type name a place."""
    name = [w.rstrip(",") for w in words[:-1] if not _UNIT.match(w) and w.lower() not in ("in", "at", "of", "the")]
    if not name:
        return False
    if all(w[0].isupper() for w in name):
        return True
    # In lower case only a plain name before a clear type: "12 acacia road", never
    # "12 big trees along the road" or "a 20 mph road".
    return words[-1].lower() in _LOWER_TYPES and len(name) <= 2 and all(
        w.isalpha() and len(w) >= 3 and w.lower() not in stop_words() and w.lower() not in _NOT_NAMES for w in name)


def address_is_real(match: re.Match) -> bool:
    return _named(match.group(0).rstrip(".").split())


def building_is_real(match: re.Match) -> bool:
    words = match.group(0).split()
    if words[-1][0].islower() and words[-1].endswith("s") and words[-2].lower() == "the":
        return True  # "flat 4, the Maltings"
    return _named(words)


# --- names ---------------------------------------------------------------------------------------
WORD = re.compile(r"[A-Za-z]+(?:['\u2019\-][A-Za-z]+)*")
TITLES = frozenset("mr mrs ms miss mx dr cllr councillor sir dame prof professor rev reverend".split())
NAME_CUES = TITLES | frozenset("""
    neighbour neighbours neighbor called named son daughter husband wife partner friend mum mam mom dad
    brother sister grandson granddaughter nan nanna grandma grandad uncle auntie aunt cousin nephew niece
    officer warden manager caretaker carer thanks thank spoke speak asked told contacted contact ask
    landlord landlady tenant lodger colleague boss teacher headteacher worker surveyor named: dear
    hi hello
""".split())
PLACE_WORDS = frozenset("""
    road street avenue lane close drive way court crescent place terrace gardens grove square hill row walk
    mews parade park rise view green vale wharf yard house tower towers lodge mansions hall centre center
    library school college academy university station hospital surgery practice church chapel mosque temple
    gurdwara synagogue estate primary infants junior nursery bridge common field fields wood woods recreation
    ground pool leisure market shopping arcade precinct memorial community cottages heights point villas
    building buildings theatre museum gallery stadium pub inn arms club road's street's
""".split())
SURNAME_PARTICLES = frozenset("de da van von der le la del di al el bin ibn".split())
_WEEKDAYS_MONTHS = ("monday tuesday wednesday thursday friday saturday sunday january february march april may "
                    "june july august september october november december").split()
NOT_SURNAMES = PLACE_WORDS | TITLES | frozenset(_WEEKDAYS_MONTHS) | frozenset("""
    i the a an and or but so we you they he she it this that these those my our your his her their its
    council borough ward city town nhs gp please thanks thank also just ok lol yes no not if when then there
    here what why how who at on in of to for from by with is are was were be been has have had do does did
    can could would should will may might must shall street st mp uk england london
""".split())
MONTH_LIKE = frozenset("may june april august".split())
MONTH_CONTEXT = re.compile(r"(?:\b(?:in|of|since|until|till|by|during|from|last|next|this|early|late|mid|end|"
                           r"before|after|each|every)\s+|\d(?:st|nd|rd|th)?\s+)$", re.IGNORECASE)
# After these a capitalised word is a name even when it isn't in the first-names list.
STRONG_CUES = frozenset("""
    neighbour neighbours neighbor husband wife partner son daughter friend called named caretaker landlord
    landlady lodger carer brother sister grandson granddaughter nephew niece cousin uncle auntie
""".split())
SENTENCE_WORDS = frozenset("will may".split())  # at the start of a sentence these are words, not names
PLACE_PREFIXES = frozenset("st saint king kings queen queens prince princess lord lady port fort mount".split())
# PERSON entities the small trained pipeline sometimes gives that are not people.
NOT_A_PERSON = re.compile(r"\d|\[|\]|@|\b(?:council|road|street|park|lane|house|centre|library|ward|bin|bins)\b",
                          re.IGNORECASE)
