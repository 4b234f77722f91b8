"""The previous linker (nlp/linking.py before issue 13), frozen here so bench/nlp_links.py can
compare with it. Not used by the app.

Suggest which council actions address each theme, and flag themes no action covers.

A score blends lemma TF-IDF cosine (shared words) with distilled static-vector cosine
(shared meaning: "potholes" vs "road repairs"), rescaled to [0, 1].
"""
from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from nlp.static import DEFAULT_PATH, StaticVectoriser
from nlp.text import lemma_strings, stop_words

ACTION_FIELDS = ("title", "description", "objective", "measures")
THEME_FIELDS = ("label", "keywords", "examples", "texts")

# Static vectors of unrelated sentences still have cosine around this value; scores are
# rescaled from it so that "unrelated" lands near 0 rather than 0.4.
_STATIC_FLOOR = 0.35


def _as_text(item, fields):
    if isinstance(item, str):
        return item
    parts = []
    for f in fields:
        v = item.get(f)
        if isinstance(v, (list, tuple)):
            parts.extend(str(x) for x in v)
        elif v:
            parts.append(str(v))
    # A title is short but says most: count it twice.
    if item.get("title"):
        parts.append(str(item["title"]))
    if item.get("label"):
        parts.append(str(item["label"]))
    return " . ".join(parts)


class ActionLinker:
    """Scores themes against actions.

    Parameters
    ----------
    top_n : int
    threshold : float
        A theme whose best score is below this is "not covered by any action".
    static_weight : float
        Share of the static-vector similarity in the score (0 = words only).
    """

    def __init__(self, top_n=3, threshold=0.3, static_weight=0.6):
        self.top_n = top_n
        self.threshold = threshold
        self.static_weight = static_weight

    def fit(self, actions, y=None):
        self.action_texts_ = [_as_text(a, ACTION_FIELDS) for a in actions]
        stops = stop_words()
        self.action_lemmas_ = [" ".join(w for w in d.split() if w not in stops)
                               for d in lemma_strings(self.action_texts_)]
        return self

    def score(self, themes):
        """Matrix (n_themes x n_actions) of scores in [0, 1]."""
        theme_texts = [_as_text(t, THEME_FIELDS) for t in themes]
        if not theme_texts or not self.action_texts_:
            return np.zeros((len(theme_texts), len(self.action_texts_)))
        theme_lemmas = lemma_strings(theme_texts)
        stops = stop_words()
        theme_lemmas = [" ".join(w for w in d.split() if w not in stops) for d in theme_lemmas]
        tfidf = TfidfVectorizer(sublinear_tf=True, token_pattern=r"(?u)\b\w\w+\b")
        try:
            M = tfidf.fit_transform(theme_lemmas + self.action_lemmas_)
            lex = (M[: len(theme_texts)] @ M[len(theme_texts):].T).toarray()
        except ValueError:
            lex = np.zeros((len(theme_texts), len(self.action_texts_)))
        w = self.static_weight if DEFAULT_PATH.exists() else 0.0
        if w:
            sv = StaticVectoriser(remove_components=0).fit(theme_texts + self.action_texts_)
            T = sv.transform(theme_texts)
            A = sv.transform(self.action_texts_)
            sem = np.clip(((T @ A.T) - _STATIC_FLOOR) / (1 - _STATIC_FLOOR), 0, 1)
            # Lexical overlap is the stronger evidence when present; meaning fills gaps.
            return np.clip((1 - w) * np.sqrt(np.clip(lex, 0, 1)) + w * sem, 0, 1)
        return np.clip(np.sqrt(np.clip(lex, 0, 1)), 0, 1)

    def suggest(self, themes):
        S = self.score(themes)
        out = []
        for i in range(S.shape[0]):
            order = np.argsort(-S[i], kind="stable")[: self.top_n]
            sugg = [{"action": int(j), "score": round(float(S[i, j]), 3)} for j in order
                    if S[i, j] >= self.threshold]
            out.append({"theme": i, "suggestions": sugg,
                        "top": [{"action": int(j), "score": round(float(S[i, j]), 3)} for j in order],
                        "covered": bool(sugg)})
        return out


def suggest_links(themes_texts, actions_texts, top_n=3, threshold=0.3, static_weight=0.6):
    """For each theme, the top ``top_n`` actions scoring at least ``threshold``.

    ``themes_texts``: strings or dicts (label, keywords, examples/texts as strings).
    ``actions_texts``: strings or dicts (title, description, objective, measures).
    Returns one dict per theme, in order: {"theme": i, "suggestions": [{"action": j,
    "score": s}], "top": the best ``top_n`` whatever their score, "covered": bool};
    ``covered`` False means "not covered by any action".
    """
    linker = ActionLinker(top_n=top_n, threshold=threshold, static_weight=static_weight)
    return linker.fit(actions_texts).suggest(themes_texts)
