"""Rough word classes for theme labels and key terms, without a tagger.

The default pipeline is blank English with a lookup lemmatizer, which has no parts of
speech and maps "amazing" to "amaze" and "learnt" to "learn". Labels read badly when an
adjective or a verb stands where a noun should ("Comments about perfect", "Staff and
amazing"), so each lemma is classed from the words as commenters wrote them: word lists,
suffixes, plural and past-tense spellings, and the words written just before them.
Proper names (people and places) are found from capitals in mid-sentence.
"""
from __future__ import annotations

import os.path
import re
from collections import Counter

from .redact import finds_entities
from .text import load_spacy

# Vague nouns: never a label on their own, allowed inside a phrase ("play area",
# "young people").
VAGUE = frozenset("""
    honestly actually basically literally obviously probably apparently definitely
    stuff anything everything something nothing anyone everyone someone people person
    time times day days week weeks year years month months hour hours today yesterday
    thing kind sort lot bit loads place places area areas council councils
    boys girls guys mum dad son daughter kid kids child children
    ago already still even ever anymore recently instead couple moment minute minutes
    while half hello hi sir madam everybody anybody somebody nobody
""".split())
# Verb-like words: never at either end of a label ("Waited and clarke", "Photos and send").
VERBS = frozenset("""
    include including happen happening build built say said tell told ask asked
    seem seems let bring mean hear try tried give put keep take come send turn
    find leave stay start stop see look call ring feel want wish hope believe
    fix wait visit report pay walk run go sent taken done work make made use need
    help break check close open live move deal understand improve explain eat
    mind receive recognize recognise verify steal cancel reach delete learn learnt
    meet talk listen speak teach taught enjoy provide solve decide suppose appear
    treat act share sort thank agree disagree save miss lose reply
""".split())
# Adjectives: fine at the start of a phrase ("Broken lifts"), never at the end
# ("Repairs and long", "Dog and clean") nor alone ("Comments about perfect").
ADJECTIVES = frozenset("""
    long short clean new old big small safe unsafe free dark high low late early full
    empty broken dirty poor nice great better best worse worst proper local same
    different young older elderly disabled disable cold hot wet quick slow sure little
    right wrong hard easy away near ridiculous brilliant impossible terrible awful lit fine antisocial
    excellent fantastic amazing wonderful lovely kind friendly helpful approachable caring
    professional polite rude useful comfortable far pending extra happy perfect super superb
    outstanding pleasant calm quiet busy tidy efficient knowledgeable fab fabulous good bad
    welcoming reassuring accommodating understanding thorough prompt quickly fast lucky
    glad grateful pleased satisfied impressed exceptional marvellous spot smooth clear
    informative attentive supportive courteous considerate respectful
    sorry ok okay awesome incredible top cheerful lonely ugly unhappy upset outdoor indoor
    unfair fair accessible public private main general online satisfactory
""".split())
# "-ly" words that are adjectives ("Friendly staff"), not adverbs ("Honestly staff").
ADJ_LY = frozenset("""
    friendly lovely early elderly lonely likely ugly silly costly timely orderly daily
    weekly monthly yearly smelly curly holy jolly poorly unfriendly unlikely
""".split())
# Nouns ending in "-y" whose stem is also a word ("lady"/"lad", "copy"/"cop").
NOUN_Y = frozenset("lady body study party county city baby copy army penny jury diary "
                   "bunny puppy nappy hobby lobby belly buddy".split())
# Words of place names that are ordinary nouns on their own ("Northbrook Park").
PLACE_NOUNS = frozenset("""
    park parks road lane street avenue close house court walk gardens garden common
    fields field way green grove estate centre center hall school station wood woods
    place places square hill bridge river
""".split())
# Verbs too general to name a theme even as "Comments about ...ing" ("turning").
LIGHT_VERBS = frozenset("""
    come go turn take put give make get keep let say tell seem find look bring mean try
    start stop leave stay happen ask feel want need use work do be have
""".split())
# Nouns for groups of people: vague alone, a good label after an adjective ("Young people").
PEOPLE = frozenset("people person children child kids kid boys girls residents".split())
# Forms of address: never a key term or label word ("Mr Clarke").
TITLES = frozenset("mr mrs ms mx dr miss sir madam".split())
# Titles that are also ordinary words ("missed bins", "MS"): hidden only where written
# before a name.
_NAME_TITLES = ("Miss", "Ms", "Sir", "Madam")
# Words after which an "-ing" word is an adjective ("so caring", "was amazing").
_DEGREE = frozenset("""
    very so really absolutely extremely most too quite always incredibly truly
    was were is are been be being am seem seemed felt look looked sounds
""".split())
_ADJ_SUFFIXES = ("ive", "ful", "ous", "less", "able", "ible")
_NOT_ADJ_Y = ("ity", "ety", "ary", "ery", "ory", "ry", "cy", "gy", "phy", "ey", "ay", "oy",
              "uy")

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


def _plural_of(lemma, form):
    return form != lemma and form in (lemma + "s", lemma + "es", lemma[:-1] + "ies")


def variant(a, b):
    """Two spellings of one word family ("informative"/"information", "fee"/"fees")."""
    n = len(os.path.commonprefix((a, b)))
    return n >= max(4, -(-3 * min(len(a), len(b)) // 4)) or a.startswith(b) or b.startswith(a)


class WordClasses:
    """Classes each lemma as "noun", "adj", "verb" or "adv" from how it was written."""

    def __init__(self, lemma_docs, surface_docs, limit=5000):
        self.forms = {}
        self._degree, self._seen = Counter(), Counter()
        for lem, sur in zip(lemma_docs[:limit], surface_docs[:limit]):
            prev = None
            for a, b in zip(lem, sur):
                self.forms.setdefault(a, Counter())[b] += 1
                self._seen[b] += 1
                if prev in _DEGREE:
                    self._degree[b] += 1
                prev = b
        self._vocab = set(self.forms) | set(self._seen)
        self._cache = {}

    def kind(self, lemma):
        if lemma not in self._cache:
            self._cache[lemma] = self._kind(lemma)
        return self._cache[lemma]

    def _kind(self, lemma):
        forms = self.forms.get(lemma) or Counter({lemma: 1})
        total = sum(forms.values())
        top = forms.most_common(1)[0][0]
        if lemma in ADJ_LY or top in ADJ_LY:
            return "adj"
        if all(f.endswith("ly") for f in forms):
            return "adv"
        if lemma in ADJECTIVES or top in ADJECTIVES:
            return "adj"
        if lemma in VERBS or top in VERBS:
            return "verb"
        plural = sum(n for f, n in forms.items() if _plural_of(lemma, f))
        if plural >= 0.25 * total:
            return "noun"  # "patients", "relatives", "signs"
        past = sum(n for f, n in forms.items() if f != lemma and (
            f.endswith("ed") or (f.endswith("t") and not lemma.endswith("t"))))
        if past >= 0.5 * total:
            return "verb"  # "learnt", "waited"
        if top.endswith("ing") and len(top) > 5:
            # "so caring" is an adjective; "parking", "lighting" are nouns.
            return "adj" if self._after_degree(top) else "noun"
        if len(top) >= 9 and top.endswith("ate"):
            return "adj"  # compassionate, appropriate (plural nouns returned above)
        if len(top) >= 6 and (top.endswith(_ADJ_SUFFIXES)
                              or (top.endswith("ent") and not top.endswith("ment"))):
            return "adj"  # informative, helpful, courteous, useless, reliable, efficient
        if self._adjective_y(top):
            return "adj"  # noisy, messy, healthy, rainy
        return "noun"

    def _adjective_y(self, w):
        if len(w) < 4 or not w.endswith("y") or w.endswith(_NOT_ADJ_Y) or w in NOUN_Y:
            return False
        stem = w[:-1]
        return (stem in self._vocab or stem + "e" in self._vocab
                or (len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in self._vocab))

    def adjective_form(self, form):
        """Whether a spelling reads as an adjective ("amazing", "so caring")."""
        return form in ADJECTIVES or (form.endswith("ing") and self._seen[form] > 0
                                      and self._after_degree(form))

    def _after_degree(self, form):
        """Written after "very", "so", "was"... often enough to read as an adjective."""
        return self._degree[form] >= 0.2 * self._seen[form]

    def gerund(self, lemma):
        """The "-ing" form of a verb lemma, as written if anyone wrote it ("waiting")."""
        for f, _ in (self.forms.get(lemma) or Counter()).most_common():
            if f.endswith("ing"):
                return f
        if lemma.endswith("e") and not lemma.endswith("ee"):
            return lemma[:-1] + "ing"
        return lemma + "ing"

