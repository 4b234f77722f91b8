import pytest

from nlp import redact, suggest_links
from nlp.linking import ActionLinker


@pytest.mark.parametrize("text,kind,secret", [
    ("Email me at jo.bloggs+council@example.co.uk please", "[email]", "jo.bloggs"),
    ("Ring me on 07700 900123 any time", "[phone]", "900123"),
    ("My number is +44 (0)20 7946 0958.", "[phone]", "7946"),
    ("Office: 0113-496-0000", "[phone]", "496"),
    ("Landline 01632 960001 after six", "[phone]", "960001"),
    ("I live in LS6 2QE, near the park", "[postcode]", "LS6"),
    ("post to sw1a1aa", "[postcode]", "sw1a1aa"),
    ("Noise outside 12 Acacia Road every night", "[address]", "Acacia"),
    ("Flat 3, 4 High St is flooded", "[address]", "High St"),
    ("Damp in flat 2b, 15 Mill Lane since May", "[address]", "Mill"),
    ("Noise outside 12 acacia road every night", "[address]", "acacia"),
    ("unit 4, 7 station road", "[address]", "station"),
])
def test_redact_each_kind(text, kind, secret):
    out = redact(text)
    assert kind in out
    assert secret not in out


@pytest.mark.parametrize("text", [
    "We planted 12 big trees along the road",
    "In 2019 there were 300 cars a day and 45 buses",
    "Open the library 7 days a week",
    "2 buses an hour on the road",
    "It's a 20 mph road but 10 cars park on the pavement",
    "I waited 3 hours on the main road",
    "Only 2 community gardens and 3 bus lanes",
])
def test_redact_leaves_ordinary_text(text):
    assert redact(text) == text


def test_redact_names_without_a_trained_pipeline_use_the_first_names_list():
    # Issue 14: names were left alone with the default install; the first-names list finds them.
    assert redact("Thanks to Mary Smith at the library", spacy_model="none") == "Thanks to [name] at the library"
    # Naming a pipeline that is not installed falls back quietly to the list instead of downloading.
    assert redact("Thanks to Mary Smith", spacy_model="en_core_web_not_installed") == "Thanks to [name]"
    assert redact("") == "" and redact(None) == ""


def test_redact_names_with_an_entity_ruler_pipeline(ruler_model, monkeypatch):
    text = "Thanks to Mary Smith at the Leeds library, email mary@example.org"
    assert redact(text, spacy_model=ruler_model) == \
        "Thanks to [name] at the Leeds library, email [email]"
    assert redact("bob sorted it", ruler_model) == "[name] sorted it"
    monkeypatch.setenv("NLP_SPACY_MODEL", ruler_model)  # the setting, when no argument
    assert redact("Ask Bob Jones") == "Ask [name]"


ACTIONS = [
    {"title": "Parking strategy", "description": "Review car park charges and add spaces",
     "objective": "Make town centre parking easier", "measures": "car park occupancy"},
    {"title": "Waste and recycling", "description": "Weekly bin collections and more recycling",
     "objective": "Cut missed bin collections", "measures": "missed collections per month"},
    {"title": "Libraries for all", "description": "Extend library opening hours",
     "objective": "Keep every library open", "measures": "library visits"},
]


def test_suggest_links_top_and_not_covered():
    themes = [
        {"label": "Parking charges", "keywords": ["parking", "car park", "charge"],
         "examples": ["Parking charges in the car park are too high"]},
        "missed bin collection and recycling bins",
        {"label": "Library opening hours", "keywords": ["library", "opening hours"]},
        {"label": "Dog fouling", "keywords": ["dog", "fouling", "poo", "pavement"],
         "examples": ["Dog owners never clean up after their dogs"]},
    ]
    res = suggest_links(themes, ACTIONS, top_n=3)
    assert [r["theme"] for r in res] == [0, 1, 2, 3]
    for i in range(3):
        assert res[i]["covered"]
        assert res[i]["suggestions"][0]["action"] == i
        assert all(0 <= s["score"] <= 1 for s in res[i]["top"])
        assert len(res[i]["top"]) == 3
    assert not res[3]["covered"] and res[3]["suggestions"] == []


def test_linker_scores_shape():
    S = ActionLinker().fit(["Fix potholes in roads", "Plant trees"]).score(["road repairs"])
    assert S.shape == (1, 2) and (S >= 0).all() and (S <= 1).all()
    assert S[0, 0] > S[0, 1]
