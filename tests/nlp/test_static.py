"""Vectorisers: how the static vectors read a comment of several sentences; a council's own
sentence model."""
import numpy as np
import pytest

from nlp.static import StaticVectoriser
from nlp.vectorisers import SentenceTransformerVectoriser, make_vectoriser

POINT = "The bins in our street are never emptied."
DETAIL = ("I walk the dog past the park every morning and the grass is long, the benches "
          "need paint and the cafe opens late.")


def _cosine(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_first_sentence_weighs_more_than_the_detail_after_it():
    texts = [f"{POINT} {DETAIL}", POINT, DETAIL]
    led = StaticVectoriser(remove_components=0).fit_transform(texts)
    flat = StaticVectoriser(remove_components=0, lead_weight=0).fit_transform(texts)
    # The comment leans towards the point it opens with...
    assert _cosine(led[0], led[1]) > _cosine(flat[0], flat[1]) + 0.02
    assert _cosine(led[0], led[2]) < _cosine(flat[0], flat[2])
    # ...and one-sentence comments are read as before.
    np.testing.assert_allclose(led[1:], flat[1:], atol=1e-6)


def test_no_sentence_break_inside_a_decimal_or_without_a_space():
    texts = ["Fees went up 2.5 percent this year", "Fix the lights.Then the paths"]
    led = StaticVectoriser(remove_components=0).fit_transform(texts)
    flat = StaticVectoriser(remove_components=0, lead_weight=0).fit_transform(texts)
    np.testing.assert_allclose(led, flat, atol=1e-6)


def test_own_sentence_model_must_be_a_local_directory(monkeypatch):
    # Checked before the extras, so that this runs (and can fail) in the light install too.
    monkeypatch.setenv("NLP_SENTENCE_MODEL", "sentence-transformers/all-mpnet-base-v2")
    with pytest.raises(RuntimeError, match="not a directory"):
        make_vectoriser("minilm")  # a Hub id is refused, never fetched


def test_own_sentence_model_directory_is_used(monkeypatch, tmp_path):
    pytest.importorskip("sentence_transformers")
    monkeypatch.setenv("NLP_SENTENCE_MODEL", str(tmp_path))
    vec = make_vectoriser("minilm")
    assert isinstance(vec, SentenceTransformerVectoriser) and vec.model_path == str(tmp_path)


def test_a_vectoriser_saved_before_the_first_sentence_weight_reads_comments_as_it_did():
    import pickle

    texts = [f"{POINT} {DETAIL}", POINT]
    old = StaticVectoriser(remove_components=0, lead_weight=0).fit(texts)
    expected = old.transform(texts)
    del old.__dict__["lead_weight"]  # as pickled by the version without it
    loaded = pickle.loads(pickle.dumps(old))
    np.testing.assert_allclose(loaded.transform(texts), expected, atol=1e-6)
