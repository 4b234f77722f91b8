"""The one place the app talks to the `nlp/` library.

Everything here takes and returns plain Python data (lists of strings, dicts, bytes), never
database rows, so if the nlp API moves only this file changes. The only app state it reads is
the NLP settings in the app's config (NLP_SPACY_MODEL for names in redaction). nlp itself knows
nothing of Flask or SQLAlchemy.
"""
from __future__ import annotations

import hashlib
import pickle
import re
import time
import warnings
from dataclasses import dataclass, field

from flask import current_app, has_app_context

# The engine reports these stages through its progress callback, in this order.
_EXPECTED_STAGES = 6
# A theme-action pair scoring at least this (0..1, the linker's estimate that the theme informs
# the action) is suggested to officers; on the labelled set 0.25 gives a suggestion to 9 in 10
# themes that inform an action and to 1 in 20 that inform none (bench/nlp_links.py).
LINK_THRESHOLD = 0.25
LINKS_PER_THEME = 3
# Member comments kept in a theme's signature for recognising it in a later run.
SIGNATURE_TEXTS = 20
# Bounds of the automatic theme count, as the run form promises officers. The library also
# scales them with the number of comments (about sqrt(n) at most), so a small consultation
# gets a handful of themes and a large one never more than MAX_THEMES.
MIN_THEMES, MAX_THEMES = 5, 40
# Only when the library gives no `weak` flag of its own: a theme whose comments sit this far
# from its centre (median cosine similarity) is weak, and so is one the labeller called a mix.
WEAK_COHERENCE = 0.5
MIXED_LABELS = ("mixed comments", "other mixed comments", "more mixed comments")
DESCRIPTION_CHARS = 200
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class EngineError(Exception):
    """The engine could not do what was asked (a message fit to show an officer)."""


@dataclass
class FoundTheme:
    key: int  # the engine's number for the theme in this fit
    label: str
    keywords: list[str]
    size: int
    examples: list[int]  # row indexes of the most representative texts, best first
    signature: dict = field(default_factory=dict)
    description: str = ""  # a sentence of a resident's own comment, redacted
    coherence: float | None = None  # 0..1, how alike the theme's comments are
    weak: bool = False  # a mix, or low coherence: an officer should check it


@dataclass
class Fit:
    themes: list[FoundTheme]
    assignments: list[int | None]  # theme key per input row (None: non-answer)
    second_assignments: list[int | None]
    non_answers: list[int]  # row indexes
    duplicate_groups: list[list[int]]  # row indexes, groups of two or more
    matches: dict[int, int]  # theme key -> id of the previous theme it continues
    model_state: bytes | None
    seconds: float
    # Rows whose theme continues a group of split parts: row index -> id of the nearest part,
    # for the main theme and (second_part_of) the second.
    part_of: dict[int, int] = field(default_factory=dict)
    second_part_of: dict[int, int] = field(default_factory=dict)
    # Per row, every theme key besides the main one that the comment clearly raises, closest
    # first (the first is `second_assignments`), and for those continuing a split group,
    # (row, key) -> id of the nearest part.
    extra_assignments: list[list[int]] = field(default_factory=list)
    extra_part_of: dict[tuple[int, int], int] = field(default_factory=dict)
    # Whether the fit started from the previous run's grouping (see find_themes).
    warm_started: bool = False
    # Rows clearly not in English, set aside from the themes: row index -> ISO 639-1 code.
    other_languages: dict[int, str] = field(default_factory=dict)


def _vectoriser(name: str | None) -> str | None:
    # The app's setting says "light" for the default pipeline: nlp's own default (static).
    return None if not name or name == "light" else name


def _finder(n_themes, seed, vectoriser, spacy_model, progress=None, min_themes=None):
    from nlp import ThemeFinder

    finder = ThemeFinder(n_themes=n_themes, min_themes=MIN_THEMES, max_themes=MAX_THEMES, random_state=seed,
                         vectoriser=_vectoriser(vectoriser), spacy_model=spacy_model or None, progress=progress)
    if min_themes is not None:
        finder.min_themes = min_themes
    return finder


def find_themes(texts: list[str], *, n_themes: int | None = None, seed: int = 0,
                previous: list[dict] | None = None, progress=None, vectoriser: str | None = None,
                spacy_model: str | None = None, split_groups: list[list[int]] | None = None,
                previous_state: bytes | None = None) -> Fit:
    """Cluster `texts` into themes.

    previous_state: the model_state of the question's last run. When the settings are the same
    and at most a fifth of the distinct comments are new to it, the fit starts from that run's
    grouping (nlp ThemeFinder.fit(previous=...)); otherwise, or if it can't be loaded, afresh.

    previous: signatures of the themes already stored, each {"id": Theme.id, ...} as returned in
    an earlier Fit; the result's `matches` says which new theme continues which stored one.
    split_groups: groups of stored theme ids an officer split apart. Rows of a new theme that
    continues any theme of a group go to the group's nearest part (`part_of`), so the split
    stays even when the new clustering finds the parts as one theme.
    progress: called with (percent, message) as the engine moves through its stages.
    """
    from nlp import match_themes

    start = time.perf_counter()
    stage = [0]

    def on_stage(message):
        stage[0] += 1
        if progress:
            progress(10 + 80 * min(stage[0], _EXPECTED_STAGES) // _EXPECTED_STAGES, message)

    finder = _finder(n_themes, seed, vectoriser, spacy_model, on_stage)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn's stop-word notice is noise here
        finder.fit(texts, previous=_load(previous_state))
        snapshots = {s["id"]: s for s in finder.snapshot(texts, n_texts=SIGNATURE_TEXTS)} if finder.themes_ else {}
        matches = match_themes(previous, finder) if previous and finder.themes_ else {}
        matches = {int(k): int(v) for k, v in matches.items()}
        part_of, extra_part_of = _nearest_parts(finder, texts, previous or [], matches, split_groups or [])
    extras = finder.extra_assignments_
    themes = [FoundTheme(key=t.id, label=t.label, keywords=list(t.keywords), size=t.size,
                         examples=list(t.examples), signature=_signature(snapshots.get(t.id)),
                         **_quality(finder, t, texts))
              for t in finder.themes_]
    return Fit(
        themes=themes,
        assignments=list(finder.assignments_),
        second_assignments=list(finder.second_assignments_),
        non_answers=[int(i) for i in finder.non_answers_],
        duplicate_groups=[list(map(int, g)) for g in finder.duplicate_groups_ if len(g) > 1],
        matches=matches,
        model_state=_dump(finder),
        seconds=time.perf_counter() - start,
        part_of=part_of,
        second_part_of={row: part for (row, key), part in extra_part_of.items()
                        if extras[row] and extras[row][0] == key},
        extra_assignments=extras,
        extra_part_of=extra_part_of,
        warm_started=bool(getattr(finder, "warm_started_", False)),
        other_languages={int(i): code for i, code in getattr(finder, "other_languages_", {}).items()},
    )


def _quality(finder, theme, texts: list[str]) -> dict:
    """A theme's description, coherence and weak flag, from the library when it gives them.

    Older libraries give none: the description is then the first sentence of the theme's most
    representative comment (a resident's words, never generated), and coherence the median
    similarity of its comments to its centre."""
    description = getattr(theme, "description", "") or ""
    if not description and theme.examples:
        description = first_sentence(texts[theme.examples[0]])
    coherence = getattr(theme, "coherence", None)
    typical = getattr(finder, "typical_similarity_", None)
    if coherence is None and typical is not None and theme.id < len(typical):
        coherence = float(typical[theme.id])
    coherence = None if coherence is None else min(1.0, max(0.0, float(coherence)))
    weak = getattr(theme, "weak", None)
    if weak is None:
        weak = (theme.label or "").strip().lower() in MIXED_LABELS or (
            coherence is not None and coherence < WEAK_COHERENCE)
    # Redacted here even if the library redacted it: the app's settings (e.g. names) apply.
    return {"description": trim(redact(description)), "coherence": coherence, "weak": bool(weak)}


def first_sentence(text: str | None) -> str:
    text = " ".join((text or "").split())
    return _SENTENCE_END.split(text, 1)[0] if text else ""


def trim(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """Lightly trimmed: whole words, an ellipsis when cut."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _nearest_parts(finder, texts, previous, matches, groups):
    """Stored part id for rows whose main theme continues a split group (row -> id), and for
    their other themes that do ((row, key) -> id)."""
    main, extra = {}, {}
    for group in groups:
        ids = set(group)
        parts = [p for p in previous if p["id"] in ids and p.get("texts")]
        keys = {k for k, v in matches.items() if v in ids}
        if len({p["id"] for p in parts}) < 2 or not keys:
            continue
        rows = [i for i, key in enumerate(finder.assignments_) if key in keys]
        if rows:
            main.update(zip(rows, _closest(finder.vectoriser_, [texts[i] for i in rows], parts)))
        pairs = [(i, key) for i, row_keys in enumerate(finder.extra_assignments_) for key in row_keys
                 if key in keys]
        if pairs:
            nearest = _closest(finder.vectoriser_, [texts[i] for i, _ in pairs], parts)
            extra.update(zip(pairs, nearest))
    return main, extra


def _closest(vectoriser, texts: list[str], parts: list[dict]) -> list[int]:
    """The id of the part each text is most similar to. Each part is placed in the fit's vector
    space by embedding its stored member comments, as nlp.identity does to match themes."""
    import numpy as np

    centroids = []
    for part in parts:
        v = np.asarray(vectoriser.transform(part["texts"])).mean(axis=0)
        centroids.append(v / max(float(np.linalg.norm(v)), 1e-9))
    similarity = np.asarray(vectoriser.transform([t or "" for t in texts])) @ np.vstack(centroids).T
    return [int(parts[j]["id"]) for j in similarity.argmax(axis=1)]


def split_theme(texts: list[str], parts: int, seed: int = 0, vectoriser=None, spacy_model=None) -> Fit:
    """Re-cluster the texts of one theme into `parts` themes."""
    distinct = len({" ".join(t.lower().split()) for t in texts if t})
    if distinct < parts:
        raise EngineError(f"This theme has only {distinct} different comments, so it can't be split "
                          f"into {parts} themes")
    fit = find_themes(texts, n_themes=parts, seed=seed, vectoriser=vectoriser, spacy_model=spacy_model)
    if len(fit.themes) < 2:
        raise EngineError("The comments in this theme are too alike to split")
    fit.model_state = None  # only a whole-question run is kept for placing new answers
    return fit


def _signature(snapshot: dict | None) -> dict:
    if not snapshot:
        return {}
    return {k: v for k, v in snapshot.items() if k != "id"}


def combine_signatures(signatures: list[dict]) -> dict:
    """One signature covering several themes (an officer's merge), so a re-run keeps the merge."""
    texts, keywords, centroids = [], [], []
    for sig in signatures:
        texts += sig.get("texts") or []
        keywords += [k for k in sig.get("keywords") or [] if k not in keywords]
        if sig.get("centroid"):
            centroids.append(sig["centroid"])
    combined = {"label": (signatures[0].get("label") if signatures else "") or "",
                "keywords": keywords[:20], "texts": texts[: SIGNATURE_TEXTS * 2],
                # Each merged theme's own signature: a re-run that finds the parts apart again
                # matches each part on its own, and both continue the merged theme.
                "parts": [part for sig in signatures for part in signature_parts(sig)]}
    if centroids and len({len(c) for c in centroids}) == 1:
        summed = [sum(values) for values in zip(*centroids)]
        norm = sum(v * v for v in summed) ** 0.5 or 1.0
        combined["centroid"] = [round(v / norm, 5) for v in summed]
    return combined


def signature_parts(signature: dict) -> list[dict]:
    """The signatures a stored theme is matched by: its parts if it was merged, else itself."""
    if signature.get("parts"):
        return signature["parts"]
    return [{k: v for k, v in signature.items() if k != "parts"}] if signature else []


def _dump(finder) -> bytes | None:
    finder.progress = None  # a closure: not picklable, and not wanted later
    try:
        return pickle.dumps(finder, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - a finder we can't save only means no later placing
        return None


def _load(model_state: bytes | None):
    """The finder saved by find_themes(), or None if it is missing or can't be loaded (e.g. the
    nlp library changed). The last one loaded is kept: placing new comments may need it twice."""
    global _loaded
    if not model_state:
        return None
    key = hashlib.sha256(model_state).digest()
    cached = _loaded  # one read: a job on another thread may replace it meanwhile
    if cached is not None and cached[0] == key:
        return cached[1]
    try:
        # The bytes were written by find_themes() into our own database, never taken from users.
        finder = pickle.loads(model_state)  # noqa: S301
    except Exception:  # noqa: BLE001 - any failure to load means "run again"
        return None
    _loaded = (key, finder)
    return finder


_loaded: tuple[bytes, object] | None = None  # (sha256 of the model_state, its finder)


def predict(model_state: bytes | None, texts: list[str]) -> list[int | None] | None:
    """Theme key (of the fit that made `model_state`) for each text; None per non-answer.

    Returns None when the saved engine is missing or can no longer be loaded: the caller asks
    for a fresh run instead.
    """
    finder = _load(model_state)
    if finder is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return list(finder.predict(texts))
    except Exception:  # noqa: BLE001 - a saved engine that can't predict means "run again"
        return None


def nearest_parts(model_state: bytes | None, texts: list[str], parts: list[dict]) -> list[int] | None:
    """For each text, the id of the most similar of an officer's split parts ({"id", "texts"}:
    stored member comments), in the saved engine's vector space; None if it can't be loaded."""
    finder = _load(model_state)
    parts = [p for p in parts if p.get("texts")]
    if finder is None or not parts or not texts:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _closest(finder.vectoriser_, texts, parts)


def suggest_links(themes: list[dict], actions: list, examples: list[tuple[dict, int]] | None = None
                  ) -> list[list[tuple[int, float]]]:
    """For each theme ({label, keywords, examples: [text]}), up to three (action index, score)
    pairs scoring at least LINK_THRESHOLD, best first. ``actions`` are strings or dicts (title,
    description, objective, measures, milestones); ``examples`` are officers' confirmed links
    of this council, (theme dict, action index) pairs, which the linker learns from."""
    if not themes or not actions:
        return [[] for _ in themes]
    from nlp import suggest_links as nlp_suggest

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = nlp_suggest(themes, actions, top_n=LINKS_PER_THEME, threshold=LINK_THRESHOLD, examples=examples)
    return [[(int(s["action"]), float(s["score"])) for s in row["suggestions"]] for row in result]


def score_comments(comments: list[str], actions: list, examples: list[tuple[dict, int]] | None = None
                   ) -> list[list[float]]:
    """For each comment, its score in [0, 1] against each action (same order): how likely the
    comment informs that action. Low everywhere means it informs none of them."""
    if not comments or not actions:
        return [[] for _ in comments]
    from nlp import ActionLinker

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = ActionLinker().fit(actions, examples=examples).score_comments(comments)
    return [[round(float(x), 4) for x in row] for row in scores]


def redact(text: str | None, language: str | None = None) -> str:
    """The text with personal data removed (nlp/redact.py: names, emails, phones, addresses,
    postcodes, NI numbers, dates of birth), for quotes, exports, the API and You said, we did.

    language: a comment's language when not English. The English name finder takes most
    capitalised Welsh or Polish words for names, so such text gets the first-names list and
    the patterns only."""
    from nlp import redact as nlp_redact

    # NLP_SPACY_MODEL unset: the packaged en_core_web_sm when installed, else the names list.
    model = current_app.config.get("NLP_SPACY_MODEL") if has_app_context() else None
    if language and language != "en":
        model = "none"
    return nlp_redact(text or "", spacy_model=model)


def redact_many(texts) -> list[str]:
    """redact() for many texts (CSV exports): the trained pipeline runs in batches."""
    from nlp import redact_many as nlp_redact_many

    model = current_app.config.get("NLP_SPACY_MODEL") if has_app_context() else None
    return nlp_redact_many(texts, spacy_model=model)


def language_of(text: str | None) -> str | None:
    """The language code of a comment clearly not in English, else None."""
    from nlp import detect_language

    return detect_language(text)


def language_name(code: str) -> str:
    """The English name of a language code ("cy" -> "Welsh"), or the code if unknown."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code).get_display_name("en")
    except (UnknownLocaleError, ValueError):
        return code


def is_non_answer(text: str | None) -> bool:
    from nlp import is_non_answer as nlp_is_non_answer

    return nlp_is_non_answer(text)
