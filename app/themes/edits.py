"""Officers' edits to themes: rename, merge, split, move a comment, mark not relevant.

Each edit is recorded so a later run keeps it: renames in Theme.officer_label, merges in
Theme.merged_into (plus a signature covering both), splits in Theme.split_from, moved comments
as by_officer assignments. Services flush; the route commits.
"""
from flask import current_app
from sqlalchemy import select

from app.actions.models import ThemeResponse, ysyw_response_themes
from app.consultations.models import Answer
from app.extensions import db
from app.themes import engine
from app.themes.models import Theme, ThemeActionLink, ThemeAssignment
from app.themes.services import describe, refresh_themes


class EditError(Exception):
    """An edit that can't be made, with a message for the officer."""


def rename(theme: Theme, label: str) -> None:
    label = " ".join((label or "").split())
    theme.officer_label = label[:120] or None


def set_not_relevant(theme: Theme, not_relevant: bool) -> None:
    """Noise is left out of link suggestions, so the engine's old suggestions go too; links an
    officer confirmed or rejected stay as decided."""
    theme.not_relevant = bool(not_relevant)
    if theme.not_relevant:
        for link in [link for link in theme.action_links if link.status == "suggested"]:
            theme.action_links.remove(link)
        db.session.flush()


def merge(target: Theme, sources: list[Theme]) -> None:
    """Fold `sources` into `target`: their comments, links and identity move to it."""
    sources = [s for s in sources if s.id != target.id]
    if not sources:
        raise EditError("Choose at least two themes to merge")
    if any(s.question_id != target.question_id or s.merged_into_id for s in sources + [target]):
        raise EditError("Only current themes of the same question can be merged")
    _move_responses(target, sources)
    # The officer chose the name the merged theme keeps: hold it as their name, or the next run
    # would relabel the theme after whichever of its parts it finds largest.
    target.officer_label = target.display_label
    held = {a.answer_id: a for a in db.session.scalars(
        select(ThemeAssignment).where(ThemeAssignment.theme_id == target.id))}
    for source in sources:
        for row in db.session.scalars(select(ThemeAssignment).where(
                ThemeAssignment.theme_id == source.id)).all():
            mine = held.get(row.answer_id)
            if mine is not None and mine.rank <= row.rank:
                db.session.delete(row)  # the comment is already in the merged theme
                continue
            if mine is not None:
                db.session.delete(mine)  # it was only the comment's second theme
            row.theme_id = target.id
            held[row.answer_id] = row
        _move_links(source, target)
        for earlier in db.session.scalars(select(Theme).where(Theme.merged_into_id == source.id)):
            earlier.merged_into_id = target.id
        source.merged_into_id = target.id
        target.not_relevant = target.not_relevant and source.not_relevant
    target.signature = engine.combine_signatures([target.signature] + [s.signature for s in sources])
    target.keywords = list(dict.fromkeys(list(target.keywords) + [k for s in sources for k in s.keywords]))[:12]
    db.session.flush()
    refresh_themes(target.question_id)


def _move_responses(target: Theme, sources: list[Theme]) -> None:
    """A "You said, we did" response follows its theme into the merged theme.

    A theme has at most one response, so themes answered by different responses can't be
    merged until an officer settles which response stands (checked before anything changes).
    """
    table = ysyw_response_themes
    source_ids = [s.id for s in sources]
    rows = db.session.execute(select(table.c.response_id, table.c.theme_id).where(
        table.c.theme_id.in_([target.id] + source_ids))).all()
    if len({response_id for response_id, _ in rows}) > 1:
        raise EditError("These themes have different responses on the “You said, we did” page. Edit those "
                        "responses so that only one covers these themes, then merge them")
    if not rows:
        return
    db.session.execute(table.delete().where(table.c.theme_id.in_(source_ids)))
    if target.id not in {theme_id for _, theme_id in rows}:
        db.session.execute(table.insert().values(response_id=rows[0][0], theme_id=target.id))
    # The response's `themes` collection may be loaded already; read it again.
    response = db.session.get(ThemeResponse, rows[0][0])
    if response is not None:
        db.session.expire(response, ["themes"])


def _move_links(source: Theme, target: Theme) -> None:
    """Officers' link decisions follow the comments; the engine's suggestions are redone later."""
    held = {link.action_id: link for link in target.action_links}
    for link in list(source.action_links):
        mine = held.get(link.action_id)
        if link.status == "suggested" or (mine is not None and mine.status == "confirmed"):
            source.action_links.remove(link)
        elif mine is not None:  # mine suggested or rejected, theirs decided: theirs wins
            mine.status, mine.decided_by_id, mine.decided_at = link.status, link.decided_by_id, link.decided_at
            source.action_links.remove(link)
        else:
            link.theme = target
            held[link.action_id] = link


def split(theme: Theme, parts: int, seed: int = 0) -> list[Theme]:
    """Re-cluster one theme's comments into `parts` themes; the largest part keeps the theme.

    The new parts record the theme they came from, which makes the split an officer's decision
    that a re-run keeps (services.split_groups)."""
    if theme.merged_into_id is not None:
        raise EditError("This theme has been merged into another; split that one instead")
    # Comments an officer moved here stay here (in the part that keeps the theme).
    rows = db.session.execute(
        select(ThemeAssignment, Answer.text).join(Answer, ThemeAssignment.answer_id == Answer.id)
        .where(ThemeAssignment.theme_id == theme.id, ThemeAssignment.rank == 1,
               ThemeAssignment.by_officer.is_(False))
        .order_by(ThemeAssignment.answer_id)).all()
    texts = [text or "" for _, text in rows]
    try:
        fit = engine.split_theme(texts, parts, seed=seed,
                                 vectoriser=current_app.config.get("NLP_VECTORISER"),
                                 spacy_model=current_app.config.get("NLP_SPACY_MODEL"))
    except engine.EngineError as exc:
        raise EditError(str(exc)) from None
    founds = sorted(fit.themes, key=lambda f: (-f.size, f.key))
    theme_for_key = {founds[0].key: theme}
    theme.label, theme.keywords, theme.signature = founds[0].label[:120], founds[0].keywords, founds[0].signature
    describe(theme, founds[:1])
    new_themes = []
    for found in founds[1:]:
        part = Theme(question_id=theme.question_id, label=found.label[:120], keywords=found.keywords,
                     signature=found.signature, not_relevant=theme.not_relevant, split_from_id=theme.id)
        describe(part, [found])
        db.session.add(part)
        new_themes.append(part)
        theme_for_key[found.key] = part
    db.session.flush()
    for index, (assignment, _) in enumerate(rows):
        target = theme_for_key.get(fit.assignments[index])
        if target is not None:
            assignment.theme_id = target.id
    for found in founds:
        theme_for_key[found.key].examples = [rows[i][0].answer_id for i in found.examples]
    db.session.flush()
    refresh_themes(theme.question_id)
    return new_themes


def move_comment(answer: Answer, target: Theme) -> None:
    """An officer puts a comment in another theme; the move is kept on every re-run."""
    if target.merged_into_id is not None or target.question_id != answer.question_id:
        raise EditError("Choose one of this question's current themes")
    rows = {a.rank: a for a in db.session.scalars(
        select(ThemeAssignment).where(ThemeAssignment.answer_id == answer.id))}
    for rank, other in rows.items():
        if rank > 1 and other.theme_id == target.id:
            db.session.delete(other)  # the comment's other theme becomes its main one
    db.session.flush()
    main = rows.get(1)
    if main is None:
        main = ThemeAssignment(answer_id=answer.id, rank=1)
        db.session.add(main)
    main.theme_id, main.by_officer, main.score = target.id, True, None
    db.session.flush()
    refresh_themes(target.question_id)


def link_for(theme: Theme, link_id: int) -> ThemeActionLink | None:
    link = db.session.get(ThemeActionLink, link_id)
    return link if link is not None and link.theme_id == theme.id else None
