"""Running the theme engine over a question's answers and storing what it finds.

Services add and flush; the caller commits. The exception is run_analysis(), which is a
background job and owns its transactions: it commits progress as it goes (so the status page
shows it) and writes all themes and assignments in one final transaction.
"""
import logging
from collections import defaultdict
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from app.actions.models import ysyw_response_themes
from app.common.timeutil import utcnow
from app.common.transaction import after_commit
from app.consultations.models import Answer, Question
from app.extensions import db
from app.themes import engine
from app.themes.models import Theme, ThemeAnalysis, ThemeAssignment

log = logging.getLogger(__name__)

EXAMPLES_PER_THEME = 5
# A queued or running analysis older than this is taken to have died with its worker.
STALE_AFTER = timedelta(minutes=40)


class AnalysisBusy(Exception):
    """An analysis of this question is already queued or running."""


def _engine_settings() -> dict:
    return {"vectoriser": current_app.config.get("NLP_VECTORISER"),
            "spacy_model": current_app.config.get("NLP_SPACY_MODEL")}


# --- reading -----------------------------------------------------------------------------
def answers_query(question_id: int):
    """Free-text answers with some text, oldest first (the order the engine sees them)."""
    return (select(Answer).where(Answer.question_id == question_id, Answer.text.is_not(None),
                                 func.length(func.trim(Answer.text)) > 0).order_by(Answer.id))


def latest_analysis(question_id: int) -> ThemeAnalysis | None:
    return db.session.scalars(select(ThemeAnalysis).where(ThemeAnalysis.question_id == question_id)
                              .order_by(ThemeAnalysis.id.desc()).limit(1)).first()


def latest_finished_analysis(question_id: int) -> ThemeAnalysis | None:
    return db.session.scalars(select(ThemeAnalysis).where(
        ThemeAnalysis.question_id == question_id, ThemeAnalysis.status == "done")
        .order_by(ThemeAnalysis.id.desc()).limit(1)).first()


def question_themes(question_id: int, include_hidden=False) -> list[Theme]:
    """Themes of a question, largest first; merged-away themes only when include_hidden."""
    query = select(Theme).where(Theme.question_id == question_id)
    if not include_hidden:
        query = query.where(Theme.merged_into_id.is_(None))
    return list(db.session.scalars(query.order_by(Theme.size.desc(), Theme.id)))


def resolve(theme: Theme | None) -> Theme | None:
    """Follow merges to the theme that now holds a merged-away theme's comments."""
    seen = set()
    while theme is not None and theme.merged_into_id is not None and theme.id not in seen:
        seen.add(theme.id)
        theme = theme.merged_into
    return theme


# --- starting a run ------------------------------------------------------------------------
def start_analysis(question: Question, n_themes: int | None, seed: int | None,
                   fresh: bool = False) -> ThemeAnalysis:
    """Queue a run; it starts once the caller commits. Unless `fresh`, the run starts from the
    last finished run's grouping when it can (same settings, at most a fifth of the comments new)."""
    current = latest_analysis(question.id)
    if current is not None and current.status in ("queued", "running") \
            and current.created_at > utcnow() - STALE_AFTER:
        raise AnalysisBusy("An analysis of this question is already running")
    analysis = ThemeAnalysis(question_id=question.id, requested_themes=n_themes, seed=seed or 0,
                             status="queued", progress=0, message="Waiting to start", fresh=bool(fresh))
    db.session.add(analysis)
    db.session.flush()
    after_commit(run_analysis, analysis.id)
    return analysis


def run_analysis(analysis_id: int) -> None:
    """The background job: find themes for the analysis's question and store them."""
    analysis = db.session.get(ThemeAnalysis, analysis_id)
    if analysis is None or analysis.status != "queued":
        return  # unknown, or already picked up by another worker
    analysis.start("Reading the comments")
    db.session.commit()
    try:
        answers = list(db.session.scalars(answers_query(analysis.question_id)))
        if not answers:
            raise engine.EngineError("There are no free-text answers to this question yet")
        texts = [a.text for a in answers]
        existing = question_themes(analysis.question_id)
        previous = [dict(part, id=t.id) for t in existing for part in engine.signature_parts(t.signature or {})]
        groups = split_groups(existing)

        def progress(percent, message):
            analysis.report(percent, message)
            db.session.commit()  # only the progress is pending here: nothing half-written

        last = None if analysis.fresh else latest_finished_analysis(analysis.question_id)
        fit = engine.find_themes(texts, n_themes=analysis.requested_themes, seed=analysis.seed,
                                 previous=previous, progress=progress, split_groups=groups,
                                 previous_state=last.model_state if last else None,
                                 **_engine_settings())
        analysis.warm_started = fit.warm_started
        analysis.report(92, "Saving the themes")
        _store_fit(analysis, answers, fit, existing, {i for g in groups for i in g})
        from app.themes.links import suggest_for_question

        suggest_for_question(analysis.question_id)
        analysis.succeed(fit.seconds)
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 - recorded for the officer, then logged
        db.session.rollback()
        analysis = db.session.get(ThemeAnalysis, analysis_id)
        if isinstance(exc, engine.EngineError):
            analysis.fail(str(exc))
        else:
            log.exception("theme analysis %s failed", analysis_id)
            analysis.fail("Something went wrong while finding themes. Try again; if it keeps "
                          "happening, ask your administrator to check the logs.")
        db.session.commit()


def split_groups(themes: list[Theme]) -> list[list[int]]:
    """Ids of current themes an officer split apart, one list per original theme (its parts
    included, and parts of parts); a part merged away leaves its group."""
    current = {t.id: t for t in themes if t.merged_into_id is None}
    root = {}

    def find(theme_id):
        seen = []
        while theme_id in current and current[theme_id].split_from_id in current and theme_id not in seen:
            seen.append(theme_id)
            theme_id = current[theme_id].split_from_id
        return theme_id

    for theme_id in current:
        root.setdefault(find(theme_id), []).append(theme_id)
    return [sorted(ids) for ids in root.values() if len(ids) > 1]


def _store_fit(analysis: ThemeAnalysis, answers: list[Answer], fit: engine.Fit, existing: list[Theme],
               split_ids: set[int] = frozenset()):
    """Write the fit's themes and assignments, keeping officers' decisions from earlier runs.

    Themes in split_ids are parts of an officer's split: they keep the label, key terms and
    signature the split gave them, and the engine shares their comments out (fit.part_of)."""
    question_id = analysis.question_id
    existing_by_id = {t.id: t for t in existing}
    answer_ids = [a.id for a in answers]
    officer_moves = {a.answer_id: a for a in db.session.scalars(
        select(ThemeAssignment).join(Answer).where(Answer.question_id == question_id,
                                                   ThemeAssignment.by_officer.is_(True)))}
    db.session.execute(delete(ThemeAssignment).where(
        ThemeAssignment.by_officer.is_(False),
        ThemeAssignment.answer_id.in_(select(Answer.id).where(Answer.question_id == question_id))))

    # Each new theme continues the stored theme it matches (keeping its officer label and
    # "not relevant" mark); several new themes may continue one merged theme.
    parts = defaultdict(list)
    for found in fit.themes:
        theme = existing_by_id.get(fit.matches.get(found.key))
        if theme is None:
            theme = Theme(question_id=question_id, label=found.label[:120])
            db.session.add(theme)
        parts[theme].append(found)
    theme_for_key = {}
    for theme, founds in parts.items():
        founds.sort(key=lambda f: -f.size)
        for f in founds:
            theme_for_key[f.key] = theme
        if theme.id in split_ids:
            continue  # the split defines this part, not the new clustering
        theme.label = founds[0].label[:120]
        describe(theme, founds)
        theme.keywords = list(dict.fromkeys(k for f in founds for k in f.keywords))[:12]
        merged_parts = (theme.signature or {}).get("parts")
        if len(founds) > 1:
            theme.signature = engine.combine_signatures([f.signature for f in founds])
        elif merged_parts:
            # An officer's merge that this run found as one theme: keep the merge on record, so
            # a later run that finds the parts apart again still continues this theme.
            theme.signature = dict(founds[0].signature, parts=merged_parts)
        else:
            theme.signature = founds[0].signature
        theme.examples = [answer_ids[i] for f in founds for i in f.examples][:EXAMPLES_PER_THEME]
    db.session.flush()

    def theme_of(i, keys, parts):
        return existing_by_id[parts[i]] if i in parts else theme_for_key.get(keys[i])

    assignments = []
    for i, answer in enumerate(answers):
        moved = officer_moves.get(answer.id)
        main = moved.theme if moved else theme_of(i, fit.assignments, fit.part_of)
        if main is not None and moved is None:
            assignments.append(ThemeAssignment(answer_id=answer.id, theme_id=main.id, rank=1))
        if main is None:
            continue
        others = [existing_by_id[fit.extra_part_of[(i, key)]] if (i, key) in fit.extra_part_of
                  else theme_for_key.get(key) for key in _extras(fit, i)]
        others = [t for t in dict.fromkeys(others) if t is not None and t.id != main.id]
        assignments += [ThemeAssignment(answer_id=answer.id, theme_id=other.id, rank=rank)
                        for rank, other in enumerate(others, start=2)]
    db.session.add_all(assignments)
    db.session.flush()

    kept = set(theme_for_key.values())
    for theme in existing:
        if theme not in kept and not _has_officer_decisions(theme):
            db.session.delete(theme)  # found no longer, and nobody had touched it
    db.session.flush()

    analysis.comment_count = len(answers)
    analysis.non_answer_count = len(fit.non_answers)
    analysis.non_answer_ids = [answer_ids[i] for i in fit.non_answers]
    analysis.language_ids = {str(answer_ids[i]): code for i, code in sorted(fit.other_languages.items())}
    analysis.duplicate_groups = sorted(([answer_ids[i] for i in g] for g in fit.duplicate_groups),
                                       key=lambda g: (-len(g), g[0]))
    analysis.model_state = fit.model_state
    analysis.theme_ids = [theme_for_key[f.key].id for f in sorted(fit.themes, key=lambda f: f.key)]
    refresh_themes(question_id)


def _extras(fit: engine.Fit, row: int) -> list[int]:
    """The theme keys besides its main one that a row's comment raises, closest first."""
    if fit.extra_assignments:
        return fit.extra_assignments[row]
    second = fit.second_assignments[row] if fit.second_assignments else None
    return [] if second is None else [second]


def describe(theme: Theme, founds: list[engine.FoundTheme]) -> None:
    """The description of the largest part found; coherence weighted by the parts' sizes."""
    theme.description = (founds[0].description or "")[:400]
    scored = [(f.coherence, max(f.size, 1)) for f in founds if f.coherence is not None]
    theme.coherence = sum(c * n for c, n in scored) / sum(n for _, n in scored) if scored else None
    theme.weak = bool(founds[0].weak) if len(founds) == 1 else all(f.weak for f in founds)


def _has_officer_decisions(theme: Theme) -> bool:
    """Whether an officer has done anything that deleting the theme would throw away."""
    if theme.officer_label or theme.not_relevant or theme.split_from_id is not None:
        return True
    if any(link.status != "suggested" for link in theme.action_links):  # confirmed or rejected
        return True
    if db.session.scalar(select(func.count()).select_from(Theme).where(
            Theme.split_from_id == theme.id, Theme.merged_into_id.is_(None))):
        return True  # the theme an officer split: its parts stand with it
    # A "You said, we did" response (perhaps published) would be left without its theme.
    if db.session.scalar(select(func.count()).select_from(ysyw_response_themes).where(
            ysyw_response_themes.c.theme_id == theme.id)):
        return True
    return db.session.scalar(select(func.count()).select_from(ThemeAssignment).where(
        ThemeAssignment.theme_id == theme.id, ThemeAssignment.by_officer.is_(True))) > 0


def refresh_themes(question_id: int) -> None:
    """Recount sizes from the assignments and keep each theme's examples among its comments."""
    counts = dict(db.session.execute(
        select(ThemeAssignment.theme_id, func.count()).join(Theme)
        .where(Theme.question_id == question_id, ThemeAssignment.rank == 1)
        .group_by(ThemeAssignment.theme_id)).all())
    for theme in question_themes(question_id, include_hidden=True):
        theme.size = counts.get(theme.id, 0)
        members = set(db.session.scalars(select(ThemeAssignment.answer_id).where(
            ThemeAssignment.theme_id == theme.id, ThemeAssignment.rank == 1)))
        examples = [a for a in theme.examples or [] if a in members]
        if len(examples) < min(EXAMPLES_PER_THEME, len(members)):
            examples += sorted(members - set(examples))[: EXAMPLES_PER_THEME - len(examples)]
        theme.examples = examples
    db.session.flush()


# --- answers that arrive after a run --------------------------------------------------------
def unplaced_answers(question_id: int) -> list[Answer]:
    """Answers with text that the latest run neither placed in a theme nor set aside."""
    analysis = latest_finished_analysis(question_id)
    if analysis is None:
        return []
    placed = select(ThemeAssignment.answer_id).where(ThemeAssignment.rank == 1)
    query = answers_query(question_id).where(Answer.id.not_in(placed))
    skipped = set(analysis.non_answer_ids or []) | {int(i) for i in analysis.language_ids or {}}
    return [a for a in db.session.scalars(query) if a.id not in skipped]


def assign_new_answers(question: Question) -> int | None:
    """Place answers that arrived after the last run into the existing themes, without
    re-clustering. Returns how many were placed, or None if a fresh run is needed."""
    analysis = latest_finished_analysis(question.id)
    new = unplaced_answers(question.id)
    if analysis is None or not new:
        return 0
    languages = dict(analysis.language_ids or {})
    for answer in new:
        code = engine.language_of(answer.text)
        if code:
            languages[str(answer.id)] = code
    new = [a for a in new if str(a.id) not in languages]
    keys = engine.predict(analysis.model_state, [a.text for a in new])
    if keys is None:
        return None
    themes = {t.id: t for t in question_themes(question.id, include_hidden=True)}
    group_of = {i: group for group in split_groups(list(themes.values())) for i in group}
    non_answers = list(analysis.non_answer_ids or [])
    placed = defaultdict(list)  # theme -> answers
    for answer, key in zip(new, keys):
        if key is None:
            non_answers.append(answer.id)
            continue
        theme_id = analysis.theme_ids[key] if 0 <= key < len(analysis.theme_ids) else None
        theme = resolve(themes.get(theme_id))
        if theme is not None:  # else the theme was removed since: left for the next full run
            placed[theme].append(answer)
    # In an officer's split, each comment goes to the part it is nearest, whichever part the
    # saved engine (which knew only the theme before the split) chose.
    in_splits = defaultdict(list)  # split group -> [(answer, theme the engine chose)]
    for theme in [t for t in placed if t.id in group_of]:
        in_splits[tuple(group_of[theme.id])] += [(a, theme) for a in placed.pop(theme)]
    for group, pairs in in_splits.items():
        parts = [dict(part, id=i) for i in group for part in engine.signature_parts(themes[i].signature or {})]
        nearest = engine.nearest_parts(analysis.model_state, [a.text for a, _ in pairs], parts)
        for (answer, _), part_id in zip(pairs, nearest or [t.id for _, t in pairs]):
            placed[themes[part_id]].append(answer)
    for theme, members in placed.items():
        db.session.add_all(ThemeAssignment(answer_id=a.id, theme_id=theme.id, rank=1) for a in members)
    analysis.non_answer_ids = non_answers  # a new list, so the JSON change is saved
    analysis.language_ids = languages  # likewise a new dict
    analysis.non_answer_count = len(non_answers)
    db.session.flush()
    refresh_themes(question.id)
    return sum(len(members) for members in placed.values())

