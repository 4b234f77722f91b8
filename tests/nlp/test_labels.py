"""Theme labels and key terms on small fixed inputs (our own text, no benchmark data)."""
import re

import pytest

from nlp.labelling import CTfidfLabeller
from nlp.phrases import trained_pipeline
from nlp.wordclass import capitalised_words, titles_in_use

CARETAKER = [
    "Mr Clarke the caretaker never cleans the bin store",
    "The bin store is filthy and Mr Clarke says it is not his job",
    "Ask Mr Clarke why the bin store is never cleaned",
    "Mr Clarke leaves the bin store door open every night",
    "I complained to Mr Clarke about the bin store twice",
]
BUSES = [
    "The bus service to the hospital is too infrequent",
    "Buses in the evening stop far too early",
    "Bus fares have gone up and the buses are always late",
    "We need a bus route to the new estate",
    "The bus timetable is unreliable and buses never turn up",
]
PRAISE = [
    "The staff were amazing and so kind",
    "Amazing staff, nothing was too much trouble",
    "Everyone was amazing, the staff could not do enough",
    "Staff on the ward were amazing",
    "The nurses and staff were amazing from start to finish",
    "Really amazing staff who listened",
]
INFORMATION = [
    "Very informative session with helpful information",
    "Informative and the information was helpful",
    "The information given was clear and informative",
    "Helpful information about my medication, very informative",
    "Lots of helpful information in an informative leaflet",
]


def _fit(*groups, **kw):
    texts, labels = [], []
    for n, group in enumerate(groups):
        texts += group
        labels += [n] * len(group)
    return texts, labels, CTfidfLabeller(**kw).fit(texts, labels)


def _words(text):
    return set(re.findall(r"[a-z]+", text.lower()))


def test_key_terms_leave_out_names_and_titles():
    _, _, lab = _fit(CARETAKER, BUSES)
    terms = lab.keywords_[0]
    assert terms, terms
    assert not any({"clarke", "mr"} & set(t.split()) for t in terms), terms
    assert any("bin" in t or "store" in t for t in terms), terms
    assert "clarke" not in lab.labels_[0].lower() and "mr " not in lab.labels_[0].lower()


def test_place_nouns_stay_in_key_terms():
    park = [f"The Northbrook Park {w} needs fixing" for w in ("gate", "fence", "path", "bench")]
    park += ["Northbrook Park toilets are shut", "Cleaner toilets in Northbrook Park please"]
    _, _, lab = _fit(park, BUSES)
    words = {w for t in lab.keywords_[0] for w in t.split()}
    assert "northbrook" not in words and "park" in words, lab.keywords_[0]


def test_miss_is_a_title_only_when_written_as_one():
    assert "mr" in titles_in_use(["anything"])
    assert "miss" not in titles_in_use(["They missed our bins again", "bins missed"])
    assert "miss" in titles_in_use(["Miss Patel was lovely", "Thanks to Miss Patel"])
    assert "ms" not in titles_in_use(["Support for people with MS"])
    assert "ms" in titles_in_use(["Ms Okafor called back"])


def test_person_entities_leave_key_terms(ruler_model):
    # Written in lower case, so only the pipeline can tell "bob" is a person.
    bob = ["bob jones on reception sorted my rent account",
           "thanks to bob for sorting the rent arrears letter",
           "bob on reception explained the rent statement",
           "ask bob jones about rent, he knows the rent account",
           "rent account fixed by bob in a day"]
    _, _, lab = _fit(bob, BUSES, spacy_model=ruler_model)
    assert not any({"bob", "jones"} & set(t.split()) for t in lab.keywords_[0]), lab.keywords_
    assert any("rent" in t for t in lab.keywords_[0])


def test_a_name_word_mostly_used_otherwise_stays_a_key_term(ruler_model):
    # "Bill Evans" is a person once; "bill" is what every comment is about.
    hair = ["thanks bill evans for the help", "the water bill doubled this year",
            "my water bill is wrong again", "water bill arrived late", "the bill is too high"]
    _, _, lab = _fit(hair, BUSES, spacy_model=ruler_model)
    words = {w for t in lab.keywords_[0] for w in t.split()}
    assert "evans" not in words and "bill" in words, lab.keywords_[0]


def test_capitalised_words_count_only_mid_sentence_capitals():
    texts = ["We met Mr Clarke at Cedar Road.", "Cedar trees are tall", "Thanks to Clarke",
             "The road by Cedar Road", "Ask Clarke", "Clarke was kind", "Talk to CLARKE NOW",
             "LOUD Noise from the Cedar Road flats", "noise at night"]
    names, places = capitalised_words(texts)
    assert {"clarke", "cedar"} <= names, names
    assert "road" not in names and "noise" not in names and "now" not in names, names
    assert places == {"road"}, places


# -- labels in residents' own words -------------------------------------------------
PARSERS = [None] + ([trained_pipeline()] if trained_pipeline() else [])
BINS = [
    "Please empty the bins more often, they overflow every weekend",
    "The bins are overflowing by Friday, empty the bins more often",
    "Empty the bins more often in summer, the smell is awful",
    "Overflowing bins attract foxes and rats",
    "Bins on our street are only emptied every two weeks, not enough",
    "Can the bins be emptied twice a week please",
]
LIGHTS = [
    "Street lights are out on the canal path",
    "The street lights on the canal path have been out for a month",
    "Fix the street lights by the canal, it is pitch black",
    "Street lights out again near the canal path",
    "Broken street lights make the canal path feel unsafe at night",
]
PLAY = [
    "Keep the Hollybush play area open",
    "Please keep the Hollybush play area open, it is the only one nearby",
    "Do not close the Hollybush play area",
    "The Hollybush play area is where all the children go",
    "Keep the play area at Hollybush open for the little ones",
]


def _no_noun_pair(label):
    return not re.fullmatch(r"\w+ and \w+", label, re.I)


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p or "plain")
def test_labels_are_phrases_residents_wrote(parser):
    texts, labels, lab = _fit(BINS, LIGHTS, PLAY, BUSES, parser=parser)
    for t, label in enumerate(lab.labels_):
        members = [x.lower() for x, y in zip(texts, labels) if y == t]
        assert not label.startswith("Mixed"), lab.labels_
        assert any(label.lower() in m for m in members), (label, lab.labels_)
        assert 2 <= len(label.split()) <= 7 and label[0].isupper(), label
        assert _no_noun_pair(label), label
        assert not lab.weak_[t]
    bins, lights, play, buses = (label.lower() for label in lab.labels_)
    assert "bin" in bins and "play area" in play and "bus" in buses
    assert "light" in lights or "canal" in lights
    # Each label agrees with its theme's key terms.
    for t, terms in enumerate(lab.label_terms_):
        shown = {w for k in lab.keywords_[t] for w in k.split()}
        assert set(terms) <= shown, (lab.labels_[t], lab.keywords_[t])
    assert len(set(lab.labels_)) == len(lab.labels_)


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p or "plain")
def test_praise_is_named_in_its_own_words_never_as_a_pair(parser):
    cheerful = [
        "Everyone was so cheerful and friendly",
        "Friendly and cheerful from the moment we arrived",
        "Always cheerful, always friendly",
        "Cheerful people who were friendly to my mum",
        "So friendly and cheerful",
        "Friendly, cheerful, kind",
    ]
    texts, labels, lab = _fit(cheerful, PRAISE, INFORMATION, BUSES, parser=parser)
    for t, label in enumerate(lab.labels_):
        assert _no_noun_pair(label), lab.labels_
        assert not label.lower().startswith("comments about"), lab.labels_
        members = [x.lower() for x, y in zip(texts, labels) if y == t]
        assert any(label.lower() in m for m in members), (label, lab.labels_)
    assert "cheerful" in lab.labels_[0].lower() or "friendly" in lab.labels_[0].lower()
    assert "staff" in lab.labels_[1].lower() and "information" in lab.labels_[2].lower()


def test_a_theme_of_unrelated_comments_is_labelled_mixed_and_weak():
    mixed = ["The library needs longer opening hours", "Potholes on every road",
             "Council tax is too high", "More trees in the town centre",
             "Nobody answers the phone at the housing office", "Allotment waiting list"]
    texts, labels, lab = _fit(BUSES, mixed)
    assert not lab.weak_[0] and "bus" in lab.labels_[0].lower()
    assert lab.labels_[1].startswith("Mixed comments"), lab.labels_
    assert lab.weak_[1]
    # It names only words its own comments use: no invented topic.
    named = lab.labels_[1].removeprefix("Mixed comments").strip(": ").split(", ")
    own = " ".join(mixed).lower()
    assert all(w and w in own for w in named if w), lab.labels_


def test_labels_leave_out_names():
    texts, labels, lab = _fit(CARETAKER, BUSES)
    assert "clarke" not in lab.labels_[0].lower() and "mr" not in lab.labels_[0].lower().split()
    assert "bin store" in lab.labels_[0].lower(), lab.labels_
