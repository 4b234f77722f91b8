"""Fixtures for the nlp tests."""
import pytest

from nlpcorpus import build_corpus


@pytest.fixture(scope="session")
def corpus():
    return build_corpus()


@pytest.fixture(scope="session")
def fitted(corpus):
    from nlp import ThemeFinder

    texts, _ = corpus
    return ThemeFinder(n_themes=4, random_state=0).fit(texts)


@pytest.fixture(scope="session")
def ruler_model(tmp_path_factory):
    """A pipeline saved to disk whose entity ruler finds a few people: it stands in for a
    trained pipeline (none is installed here) wherever a spaCy model path is accepted."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "PERSON", "pattern": [{"LOWER": "mary"}, {"LOWER": "smith"}]},
        {"label": "PERSON", "pattern": [{"LOWER": "bob"}, {"LOWER": "jones"}]},
        {"label": "PERSON", "pattern": [{"LOWER": "bob"}]},
        {"label": "PERSON", "pattern": [{"LOWER": "bill"}, {"LOWER": "evans"}]},
        {"label": "GPE", "pattern": "Leeds"},
    ])
    path = tmp_path_factory.mktemp("spacy") / "ruler_model"
    nlp.to_disk(path)
    return str(path)
