"""Redaction of the personal data issue 14 found reaching quotes: names with the default
install, NI numbers, dates of birth, flats and buildings, spelled-out emails and phone numbers."""
import importlib.util

import pytest

from nlp import redact
from nlp.redact import DEFAULT_NER_MODEL, find

LIST_ONLY = "none"  # no trained pipeline: the first-names list alone
HAS_MODEL = importlib.util.find_spec(DEFAULT_NER_MODEL) is not None


@pytest.mark.parametrize("text,placeholder,secret", [
    ("My neighbour Priya Patel keeps parking on the verge", "[name]", "Priya"),
    ("Thanks to Mohammed for fixing the light", "[name]", "Mohammed"),
    ("Ask Mrs Okafor at number 9", "[name]", "Okafor"),
    ("my neighbour jane leaves bags out", "[name]", "jane"),
    ("Rose Hughes next door is housebound", "[name]", "Hughes"),
    ("I spoke to Will about the hedge", "[name]", "Will"),
    ("My NI number is AB 12 34 56 C", "[NI number]", "34 56"),
    ("NI: jg103759a thanks", "[NI number]", "103759"),
    ("I was born 3rd of June 1941 and can't manage stairs", "[date of birth]", "1941"),
    ("d.o.b. 14 February 1979, NI JG103759A", "[date of birth]", "February"),
    ("DOB: 04.07.62", "[date of birth]", "04.07"),
    ("pensioner, 12/03/1948, no bus pass yet", "[date of birth]", "1948"),
    ("The lift at 42 Kestrel House is broken", "[address]", "Kestrel"),
    ("Flat 7, Oak Court has damp", "[address]", "Oak"),
    ("leaks into 42 kestrel house again", "[address]", "kestrel"),
    ("I live in flat 12 and the boiler broke", "[address]", "flat 12"),
    ("email jane dot doe at gmail dot com please", "[email]", "doe"),
    ("write to p.patel (at) yahoo (dot) com", "[email]", "patel"),
    ("ring oh seven seven double oh nine double oh one two three", "[phone]", "seven"),
    ("call zero seven seven zero zero nine zero zero five five five", "[phone]", "five"),
])
@pytest.mark.parametrize("model", [LIST_ONLY, DEFAULT_NER_MODEL])
def test_each_new_kind_is_redacted(text, placeholder, secret, model):
    if model != LIST_ONLY and not HAS_MODEL:
        pytest.skip(f"{DEFAULT_NER_MODEL} not installed")
    out = redact(text, spacy_model=model)
    assert placeholder in out and secret not in out, out


@pytest.mark.parametrize("text", [
    "Will the library open on Sundays?",
    "In May the park flooded again",
    "The Rose Garden needs weeding",
    "The Council Tax Bill went up again",
    "May I suggest longer opening hours?",
    "We need more benches in Victoria Park",
    "The meeting on 12 March 2024 was useful",
    "A flat 5 minutes walk from the station costs a fortune",
    "There are 300 cars a day and 45 buses",
    "I looked at the plans at the library",
    "St George's church hall should open for the youth club",
    "Queen Elizabeth Hospital parking is a nightmare",
    "Mark my words, this will end badly",
])
@pytest.mark.parametrize("model", [LIST_ONLY, DEFAULT_NER_MODEL])
def test_ordinary_words_that_look_like_names_or_numbers_stay(text, model):
    if model != LIST_ONLY and not HAS_MODEL:
        pytest.skip(f"{DEFAULT_NER_MODEL} not installed")
    assert redact(text, spacy_model=model) == text


def test_the_trained_pipeline_is_used_by_default_when_installed(monkeypatch):
    monkeypatch.delenv("NLP_SPACY_MODEL", raising=False)
    # Not in the first-names list, so only the trained recogniser can find it.
    text = "Thandiwe Moyo told me the toilets would reopen"
    assert redact(text, spacy_model=LIST_ONLY) == text
    if not HAS_MODEL:
        pytest.skip(f"{DEFAULT_NER_MODEL} not installed")
    assert redact(text).startswith("[name]")
    monkeypatch.setenv("NLP_SPACY_MODEL", "none")  # a council can switch it off
    assert redact(text) == text


def test_a_council_adds_and_removes_names_with_its_own_list(tmp_path, monkeypatch):
    own = tmp_path / "names.txt"
    own.write_text("# our residents' names\nThandiwe\n-Victoria\n", encoding="utf-8")
    assert redact("Thandiwe called about Victoria", spacy_model=LIST_ONLY, names_file=str(own)) == \
        "[name] called about Victoria"
    monkeypatch.setenv("NLP_FIRST_NAMES", str(own))  # the setting, when no argument
    assert redact("Thandiwe rang", spacy_model=LIST_ONLY) == "[name] rang"


def test_find_reports_kinds_and_spans_without_overlap():
    text = "Jane Doe, 42 Kestrel House, NB1 2AB, jane dot doe at gmail dot com, 07700 900123"
    kinds = [kind for _s, _e, kind in find(text, spacy_model=LIST_ONLY)]
    assert kinds == ["name", "address", "postcode", "email", "phone"]


@pytest.mark.parametrize("model", [LIST_ONLY, DEFAULT_NER_MODEL])
def test_batched_redaction_gives_the_same_text(model):
    if model != LIST_ONLY and not HAS_MODEL:
        pytest.skip(f"{DEFAULT_NER_MODEL} not installed")
    from nlp import redact_many
    texts = ["Thandiwe Moyo at 42 Kestrel House", "", "DOB 12/03/1956", "Nothing personal here"]
    assert redact_many(texts, spacy_model=model) == [redact(t, spacy_model=model) for t in texts]
