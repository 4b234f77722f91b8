"""Who raised a theme: their answers to the choice questions, and their "About you" groups.

"About you" figures are aggregates only, with every count under the small-number threshold
hidden, so no one can be picked out of a small theme.
"""
from collections import Counter, defaultdict

from sqlalchemy import select

from app.common.equality import CHARACTERISTICS, ETHNIC_GROUPS, ETHNIC_HIGH_LEVEL, PREFER_NOT, \
    PREFER_NOT_LABEL, suppress
from app.consultations.models import AboutYou, Answer
from app.extensions import db
from app.themes.models import Theme, ThemeAssignment
from app.themes.services import answers_query

YOUNG_BANDS = ("under_16", "16_17", "18_24")


def theme_respondents(theme: Theme) -> set[int]:
    """Responses with a comment in the theme (as its main or second theme)."""
    return set(db.session.scalars(select(Answer.response_id).join(ThemeAssignment)
                                  .where(ThemeAssignment.theme_id == theme.id)))


def question_respondents(question_id: int) -> set[int]:
    return set(db.session.scalars(answers_query(question_id).with_only_columns(Answer.response_id)))


def _percent(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def choice_breakdown(theme: Theme) -> list[dict]:
    """For each choice question: the share of each answer among residents in the theme and
    among everyone who answered it."""
    questions = theme.question.consultation.choice_questions
    return choice_tables(questions, choices_made(questions), theme_respondents(theme))


def choices_made(questions) -> dict[int, tuple[dict, set]]:
    """Question id -> ({answer value: response ids}, response ids that answered), in one query."""
    made = {q.id: (defaultdict(set), set()) for q in questions}
    if not made:
        return made
    for question_id, response_id, option_id, scale in db.session.execute(
            select(Answer.question_id, Answer.response_id, Answer.option_id, Answer.scale_value)
            .where(Answer.question_id.in_(list(made)))):
        value = str(option_id) if option_id is not None else (str(scale) if scale is not None else None)
        if value is not None:
            made[question_id][0][value].add(response_id)
            made[question_id][1].add(response_id)
    return made


def choice_tables(questions, made: dict[int, tuple[dict, set]], in_theme: set[int]) -> list[dict]:
    """choice_breakdown's tables for the residents `in_theme`, from choices_made()."""
    result = []
    for question in questions:
        chosen, answered = made[question.id]
        theme_base = len(answered & in_theme)
        rows = []
        for value, label in question.choice_labels():
            in_group = len(chosen[value] & in_theme)
            rows.append({"label": label, "theme_count": in_group, "theme_pct": _percent(in_group, theme_base),
                         "all_count": len(chosen[value]), "all_pct": _percent(len(chosen[value]), len(answered))})
        entry = {"question": question, "rows": rows, "theme_base": theme_base, "all_base": len(answered),
                 "headline": None}
        if question.kind == "agreement" and theme_base:
            disagree = len((chosen["1"] | chosen["2"]) & in_theme)
            agree = len((chosen["4"] | chosen["5"]) & in_theme)
            all_disagree = len(chosen["1"] | chosen["2"])
            entry["headline"] = {
                "disagree_pct": _percent(disagree, theme_base), "agree_pct": _percent(agree, theme_base),
                "all_disagree_pct": _percent(all_disagree, len(answered))}
        result.append(entry)
    return result


def _groups(characteristic: str, about: list[AboutYou]) -> list[tuple[str, set[int]]]:
    members = defaultdict(set)
    for row in about:
        code = getattr(row, characteristic)
        if code is None:
            continue
        if characteristic == "ethnic_group" and code != PREFER_NOT:
            code = ETHNIC_HIGH_LEVEL.get(code, code)
        members[code].add(row.response_id)
    if characteristic == "ethnic_group":
        labelled = [(group, group) for group in ETHNIC_GROUPS]
    else:
        labelled = list(CHARACTERISTICS[characteristic][1])
    groups = [(label, members.get(code, set())) for code, label in labelled]
    if characteristic == "age_band":
        young = set().union(*(members.get(b, set()) for b in YOUNG_BANDS))
        groups.insert(0, ("Young people (under 25)", young))
    groups.append((PREFER_NOT_LABEL, members.get(PREFER_NOT, set())))
    return groups


def about_you_breakdown(theme: Theme, threshold: int) -> dict:
    """How common the theme is in each "About you" group of those who answered the question."""
    base = question_respondents(theme.question_id)
    about = list(AboutYou.for_responses(theme.question.consultation_id, base).values())
    return about_you_tables(about, base, theme_respondents(theme), threshold)


def about_you_tables(about: list[AboutYou], base: set[int], in_theme: set[int], threshold: int) -> dict:
    """about_you_breakdown from rows already matched to responses (``AboutYou.for_responses``):
    `base` answered the question, `in_theme` raised the theme; every count under `threshold`
    is hidden."""
    in_theme = in_theme & base
    about = [row for row in about if getattr(row, "response_id", None) in base]
    tables = []
    for characteristic, (title, _) in CHARACTERISTICS.items():
        rows = []
        for label, members in _groups(characteristic, about):
            total, raised = len(members), len(members & in_theme)
            hidden = suppress(total, threshold) is None or suppress(raised, threshold) is None
            rows.append({"label": label, "total": suppress(total, threshold),
                         "raised": None if hidden else raised,
                         "pct": None if hidden else _percent(raised, total)})
        tables.append({"title": title, "rows": rows})
    overall = {"total": len(base), "raised": len(in_theme), "pct": _percent(len(in_theme), len(base))}
    return {"overall": overall, "tables": tables, "answered_about_you": len(about)}


def second_theme_counts(question_id: int) -> Counter:
    """Comments that raise each theme besides their main theme (rank 2 or more)."""
    return Counter(dict(db.session.execute(
        select(ThemeAssignment.theme_id, db.func.count()).join(Answer)
        .where(Answer.question_id == question_id, ThemeAssignment.rank >= 2)
        .group_by(ThemeAssignment.theme_id)).all()))


def multi_theme_counts(question_id: int) -> dict:
    """How often comments raise several themes at once.

    Returns {"comments": comments in any theme, "several": comments in two or more themes,
    "themes": {theme id: {"comments": comments raising it (main or other), "with_others": of
    those, comments raising another theme too, "also_with": [(other theme id, comments), ...]
    most shared first}}}."""
    themes_of = defaultdict(set)
    for answer_id, theme_id in db.session.execute(
            select(ThemeAssignment.answer_id, ThemeAssignment.theme_id).join(Answer)
            .where(Answer.question_id == question_id)):
        themes_of[answer_id].add(theme_id)
    per_theme = defaultdict(lambda: {"comments": 0, "with_others": 0, "also_with": Counter()})
    for themes in themes_of.values():
        for theme_id in themes:
            entry = per_theme[theme_id]
            entry["comments"] += 1
            if len(themes) > 1:
                entry["with_others"] += 1
                entry["also_with"].update(themes - {theme_id})
    return {"comments": len(themes_of), "several": sum(len(t) > 1 for t in themes_of.values()),
            "themes": {theme_id: dict(entry, also_with=sorted(entry["also_with"].items(),
                                                               key=lambda pair: (-pair[1], pair[0])))
                       for theme_id, entry in per_theme.items()}}


def other_languages(analysis) -> list[dict]:
    """The answers an analysis set aside as not in English, by language, largest group first."""
    from app.themes.engine import language_name

    if analysis is None or not analysis.language_ids:
        return []
    codes = {int(answer_id): code for answer_id, code in analysis.language_ids.items()}
    found = {a.id: a for a in db.session.scalars(select(Answer).where(Answer.id.in_(codes)))}
    # A comment an officer has since put in a theme is no longer set aside.
    placed = set(db.session.scalars(select(ThemeAssignment.answer_id).where(
        ThemeAssignment.answer_id.in_(codes), ThemeAssignment.rank == 1)))
    found = {i: a for i, a in found.items() if i not in placed}
    by_code = defaultdict(list)
    for answer_id, code in sorted(codes.items()):
        if answer_id in found:  # an answer deleted since (an undone import) is gone
            by_code[code].append(found[answer_id])
    return sorted(({"code": code, "name": language_name(code), "answers": answers, "count": len(answers)}
                   for code, answers in by_code.items()), key=lambda g: (-g["count"], g["name"]))
