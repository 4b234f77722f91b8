"""Keep theme identity across re-runs so officers' renames and merges carry forward.

The app stores ``ThemeFinder.snapshot(texts)`` (plain JSON: id, label, keywords, a few
redacted member comments, centroid) after each run, with its own theme ids. After a new
fit, ``match_themes(previous, finder)`` pairs new theme ids with previous ids by the
Hungarian method on a similarity matrix, keeping only pairs above a threshold. Only a
theme an officer merged may continue as several new themes.
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


def _expand(previous):
    """One row per theme to match: a merged theme's "parts" (the signatures of the themes
    the officer merged) each become a row with the merged theme's id. Several entries
    with one id are read the same way (the parts already spread out). Returns the rows
    and the set of merged ids."""
    rows, seen, merged = [], {}, set()
    for p in previous:
        parts = [part for part in p.get("parts") or [] if isinstance(part, dict)]
        if parts:
            merged.add(p["id"])
            rows += [dict(part, id=p["id"]) for part in parts]
        else:
            rows.append(p)
        seen[p["id"]] = seen.get(p["id"], 0) + 1
    merged |= {pid for pid, n in seen.items() if n > 1}
    return rows, merged


def match_themes(previous, current, threshold=0.6, allow_merges=True):
    """Map current theme ids to previous theme ids.

    Parameters
    ----------
    previous : list of dict
        Stored snapshots, each with at least "id" and "keywords"; "texts" and/or
        "centroid" make matching much more reliable. A theme an officer merged carries
        "parts": the snapshots of the themes merged into it.
    current : ThemeFinder (fitted) or list of snapshot dicts
    threshold : float
        Pairs less similar than this stay unmatched (a new theme).
    allow_merges : bool
        Also map a still unmatched current theme to an officer-merged previous theme it
        clearly belongs to (above the threshold), so a merge is kept when its parts come
        back apart. Only merged themes ever receive more than one current theme: a theme
        nobody merged is matched one-to-one, so themes never grow coarser by re-running.

    Returns
    -------
    dict {current_id: previous_id}
    """
    rows, merged = _expand(previous or [])
    if not rows:
        return {}
    sim = similarity_matrix(rows, current)
    if sim.size == 0:
        return {}
    cur_ids = ([t.id for t in current.themes_] if hasattr(current, "themes_")
               else [c["id"] for c in current])
    prev_ids = [p["id"] for p in rows]
    r_idx, c_idx = linear_sum_assignment(-sim)
    mapping = {cur_ids[c]: prev_ids[r] for r, c in zip(r_idx, c_idx) if sim[r, c] >= threshold}
    if allow_merges and merged:
        onto = np.array([pid in merged for pid in prev_ids])
        for c in range(sim.shape[1]):
            if cur_ids[c] in mapping:
                continue
            col = np.where(onto, sim[:, c], -1.0)
            best = int(col.argmax())
            # It must belong to the merged theme more than to any theme nobody merged.
            if col[best] >= threshold and col[best] >= sim[:, c].max():
                mapping[cur_ids[c]] = prev_ids[best]
    return mapping
