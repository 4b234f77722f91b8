"""Theme labels and key terms on small fixed inputs (our own text, no benchmark data)."""
import re

from nlp.labelling import CTfidfLabeller
from nlp.wordclass import WordClasses, capitalised_words, titles_in_use, variant
from nlp.text import analyse

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


def test_word_classes_read_the_words_as_written():
    texts = ["The staff were so amazing", "amazing care", "very informative and helpful",
             "a courteous and efficient service", "the noise at night", "it was noisy",
             "patients waited", "other patients", "the patient", "I learnt a lot",
             "we learned", "parking is a nightmare", "more parking", "staff are so caring"]
    analysed = analyse(texts)
    wc = WordClasses([a for a, _ in analysed], [b for _, b in analysed])
    for lemma in ("amaze", "informative", "helpful", "courteous", "efficient", "noisy"):
        assert wc.kind(lemma) == "adj", lemma
    assert wc.kind("learn") == "verb"
    for lemma in ("patient", "park", "noise", "staff"):
        assert wc.kind(lemma) == "noun", lemma
    assert variant("informative", "information") and variant("fee", "fees")
    assert not variant("transfer", "transaction") and not variant("staff", "ward")


def test_labels_never_name_an_adjective_or_a_variant_pair():
    texts, labels, lab = _fit(PRAISE, INFORMATION, BUSES)
    praise, info, buses = (label.lower() for label in lab.labels_)
    assert "comments about amazing" != praise and " and amazing" not in praise
    assert not praise.startswith("amazing and"), praise
    assert not ("informative" in info and "information" in info), info
    assert "bus" in buses, buses
    for t, label in enumerate(lab.labels_):
        words = label.lower().replace(",", "").split()
        assert 2 <= len(words) <= 5, label
        members = " ".join(texts[i] for i, y in enumerate(labels) if y == t).lower()
        content = [w for w in words if w not in ("and", "comments", "about")]
        # Every label word is written in the theme's comments and named in its key terms.
        assert all(w in _words(members) for w in content), label
        key_words = {w for k in lab.keywords_[t] for w in k.split()}
        lemmas = analyse([" ".join(content)])[0][0]
        assert set(lemmas) <= key_words, (label, lab.keywords_[t])


def test_praise_with_no_shared_noun_is_named_by_its_two_commonest_describing_words():
    cheerful = [
        "Everyone was so cheerful and friendly",
        "Friendly and cheerful from the moment we arrived",
        "Always cheerful, always friendly",
        "Cheerful people who were friendly to my mum",
        "So friendly and cheerful",
        "Friendly, cheerful, kind",
    ]
    _, _, lab = _fit(cheerful, BUSES)
    assert lab.labels_[0].lower() in ("cheerful and friendly", "friendly and cheerful"), lab.labels_


def test_comments_about_needs_a_noun():
    # Only adjectives are shared: no "Comments about perfect".
    vague = ["perfect", "Perfect thanks", "all perfect", "just perfect", "perfect really"]
    _, _, lab = _fit(vague, BUSES)
    assert lab.labels_[0].lower() != "comments about perfect", lab.labels_


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
