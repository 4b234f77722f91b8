"""Keep theme identity across re-runs so officers' renames and merges carry forward.

The app stores ``ThemeFinder.snapshot(texts)`` (plain JSON: id, label, keywords, a few
redacted member comments, centroid) after each run, with its own theme ids. After a new
fit, ``match_themes(previous, finder)`` pairs new theme ids with previous ids by the
Hungarian method on a similarity matrix, keeping only pairs above a threshold.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment


def _keyword_similarity(a, b):
    """Overlap of key-term sets, counting words inside phrases so "bus" meets "bus stop"."""
    wa = {w for k in a for w in k.lower().split()}
    wb = {w for k in b for w in k.lower().split()}
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def _centroids_from_texts(previous, finder):
    rows = []
    for p in previous:
        texts = [t for t in p.get("texts") or [] if t]
        if not texts:
            rows.append(None)
            continue
        v = finder.vectoriser_.transform(texts).mean(axis=0)
        rows.append(v / max(np.linalg.norm(v), 1e-9))
    return rows


def similarity_matrix(previous, current):
    """Similarity (rows: previous themes, columns: current themes) in [0, 1].

    ``current`` is a fitted ThemeFinder (previous member texts are re-embedded in its
    space: the most reliable) or a list of snapshots (stored centroids are compared when
    their dimensions agree, else only key terms are).
    """
    if hasattr(current, "themes_"):
        cur_kw = [t.keywords for t in current.themes_]
        cur_c = current.centroids_
        prev_c = _centroids_from_texts(previous, current)
    else:
        cur_kw = [c.get("keywords", []) for c in current]
        cur_c = np.array([c.get("centroid") or [] for c in current], dtype=np.float32)
        prev_c = [np.asarray(p["centroid"], dtype=np.float32) if p.get("centroid") else None
                  for p in previous]
    sim = np.zeros((len(previous), len(cur_kw)))
    for i, p in enumerate(previous):
        kw = [_keyword_similarity(p.get("keywords", []), k) for k in cur_kw]
        pc = prev_c[i]
        if pc is not None and cur_c.ndim == 2 and len(cur_kw) and cur_c.shape[1] == len(pc):
            cos = np.clip(cur_c @ pc, 0, 1)
            sim[i] = 0.8 * cos + 0.2 * np.asarray(kw)
        else:
            sim[i] = kw
    return sim


def match_themes(previous, current, threshold=0.6, allow_merges=True):
    """Map current theme ids to previous theme ids.

    Parameters
    ----------
    previous : list of dict
        Stored snapshots, each with at least "id" and "keywords"; "texts" and/or
        "centroid" make matching much more reliable. An officer's merge is simply one
        previous entry whose texts and keywords cover both merged themes.
    current : ThemeFinder (fitted) or list of snapshot dicts
    threshold : float
        Pairs less similar than this stay unmatched (a new theme).
    allow_merges : bool
        After the one-to-one Hungarian matching, also map any still unmatched current
        theme to the previous theme it clearly belongs to (above the threshold), so a
        theme the officer merged keeps its merged identity when it re-splits.

    Returns
    -------
    dict {current_id: previous_id}
    """
    if not previous:
        return {}
    sim = similarity_matrix(previous, current)
    if sim.size == 0:
        return {}
    cur_ids = ([t.id for t in current.themes_] if hasattr(current, "themes_")
               else [c["id"] for c in current])
    prev_ids = [p["id"] for p in previous]
    rows, cols = linear_sum_assignment(-sim)
    mapping = {cur_ids[c]: prev_ids[r] for r, c in zip(rows, cols) if sim[r, c] >= threshold}
    if allow_merges:
        for c in range(sim.shape[1]):
            if cur_ids[c] not in mapping and sim[:, c].max() >= threshold:
                mapping[cur_ids[c]] = prev_ids[int(sim[:, c].argmax())]
    return mapping
