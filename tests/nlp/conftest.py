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
