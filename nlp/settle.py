"""Settling comments onto the words of their theme's label.

Themes are grouped by meaning (sentence vectors), labels are phrases residents wrote: a
comment may sit in a theme whose label shares none of its words ("Lovely people" under
"Friendly staff") while another theme's label does ("Lovely ward"). ``settle`` moves such
a comment to the closest theme, by vector, among those whose label it shares a content
lemma with. Comments that share a word with their own label, or with no label at all,
stay where they are; a "Mixed comments" theme never draws comments in. One pass: the
caller relabels the themes afterwards (labels change little, since a theme's commonest
words stay).
"""
from __future__ import annotations

import numpy as np

from .phrases import is_content
from .text import analyse, stop_words


def content_lemmas(texts, spacy_model=None):
    """Per text, its content lemmas (``phrases.is_content``, the labeller's definition)."""
    stops = stop_words()
    return [{w for w in lem if is_content(w, stops)} for lem, _ in analyse(texts, spacy_model)]


def settle(texts, labels, label_texts, sims, mixed=(), spacy_model=None, min_left=3):
    """New theme per comment, and how many moved.

    texts, labels : the comments and their themes (0..k-1; -1 stays -1)
    label_texts : the k labels; ``mixed`` the ids of themes labelled as a mix
    sims : (n, k) similarity of each comment to each theme's centre
    min_left : a theme keeps at least this many comments (or all it has, when fewer)
    """
    labels = np.asarray(labels)
    new = labels.copy()
    if not len(labels) or not len(label_texts):
        return new, 0
    words = content_lemmas(texts, spacy_model)
    label_words = content_lemmas([t.split(":", 1)[-1] for t in label_texts], spacy_model)
    barred = set(mixed)
    left = np.bincount(labels[labels >= 0], minlength=len(label_texts))
    moved = 0
    # The comments closest to another theme move first.
    order = np.argsort(-sims.max(axis=1), kind="stable")
    for i in order:
        own = labels[i]
        if own < 0 or words[i] & label_words[own] or left[own] <= min_left:
            continue
        targets = [u for u in range(len(label_texts))
                   if u != own and u not in barred and words[i] & label_words[u]]
        if not targets:
            continue
        best = max(targets, key=lambda u: sims[i, u])
        new[i] = best
        left[own] -= 1
        left[best] += 1
        moved += 1
    return new, moved
