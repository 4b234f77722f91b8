"""The one-time tools that build nlp/data/static_minilm.npz (no model needed here)."""
import numpy as np
import pytest

from nlp.static import StaticVectoriser, load_static
from nlp.tools.distill_static import save_table
from nlp.tools.train_static import train, wordnet_texts

WORDNET_LINES = {
    "noun": [
        "  1 This software and database is being provided to you, the LICENSEE, by\n",
        '02787772 06 n 01 bank 0 000 | a building in which the business of banking '
        'transacted; "the bank is on the corner of Nassau and Witherspoon"\n',
        "02787773 06 n 01 bench 0 000 | a long seat for more than one person\n",
        "02787774 06 n 01 kit 0 000 | gear; a set of tools\n",
    ],
    "verb": ['00001740 29 v 01 breathe 0 000 | draw air into the lungs; "The BANK is on '
             'the corner of Nassau and Witherspoon"\n'],
    "adj": [], "adv": [],
}


def test_wordnet_texts_reads_glosses_and_examples_once(tmp_path):
    for pos, lines in WORDNET_LINES.items():
        (tmp_path / f"data.{pos}").write_text("".join(lines), encoding="latin-1")

    texts = wordnet_texts(tmp_path)

    assert texts == [
        "a building in which the business of banking transacted",
        "the bank is on the corner of Nassau and Witherspoon",
        "a long seat for more than one person",
        "a set of tools",
        "draw air into the lungs",
    ]  # licence header, the two-word gloss and the repeated example (any case) left out


def _cosines(A):
    unit = A / np.linalg.norm(A, axis=1, keepdims=True)
    return unit @ unit.T


def test_saved_table_keeps_the_geometry_of_the_vectors(tmp_path):
    rng = np.random.default_rng(0)
    raw = rng.normal(size=(40, 12)).astype(np.float32)
    entries = [f"w{i}" for i in range(40)]
    path = tmp_path / "table.npz"

    save_table(path, raw, entries, np.ones(40), dims=12)

    vectors, weights, index = load_static(str(path))
    assert np.abs(_cosines(vectors) - _cosines(raw - raw.mean(0))).max() < 0.02  # full-rank PCA, int8
    assert index["w7"] == 7 and weights.shape == (40,)
    assert StaticVectoriser(path=path).fit_transform(["w1 w2", "w3"]).shape == (2, 12)


def test_training_moves_sentence_sums_towards_the_targets():
    pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    true = rng.normal(size=(30, 8)).astype(np.float32)
    token_ids = [list(rng.choice(30, size=4, replace=False)) for _ in range(2000)]
    targets = np.stack([true[ids].sum(0) for ids in token_ids])
    start = rng.normal(size=(30, 8)).astype(np.float32)

    def mean_cos(V):
        pred = np.stack([V[ids].sum(0) for ids in token_ids])
        return float(np.mean(np.sum(pred * targets, 1)
                             / np.linalg.norm(pred, axis=1) / np.linalg.norm(targets, axis=1)))

    trained = train(start, np.ones(30), token_ids, targets, lr=0.05, epochs=10, batch_size=32,
                    log=lambda m: None)

    assert mean_cos(start) < 0.1 and mean_cos(trained) > 0.95
