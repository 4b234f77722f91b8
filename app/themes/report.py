"""The question-by-question analysis report of a consultation: the document officers used to
write by hand, built as plain data for a printable page and a CSV.

Everything is read in a fixed number of queries per question (never one per theme or per
comment), so a consultation with thousands of comments and dozens of themes stays fast.
Resident text appears only redacted; "About you" counts under the threshold are hidden.
"""
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.common.timeutil import utcnow
from app.consultations import results
from app.consultations.models import TEXT_KINDS, AboutYou, Answer, Question, Response
from app.extensions import db
from app.themes import engine, insights, services
from app.themes.models import Theme, ThemeActionLink, ThemeAssignment

QUOTES_PER_THEME = 3
QUOTE_CHARS = 400


def build(consultation, threshold: int) -> dict:
    """Everything the report shows, in question order."""
    questions = list(db.session.scalars(
        select(Question).where(Question.consultation_id == consultation.id)
        .options(selectinload(Question.options)).order_by(Question.position, Question.id)))
    choice_questions = [q for q in questions if q.is_choice]
    free_text = [q for q in questions if q.kind in TEXT_KINDS]
    themes_by_question = _active_themes([q.id for q in free_text])
    all_themes = [t for ts in themes_by_question.values() for t in ts]
    made = insights.choices_made(choice_questions)
    # Matched to responses in the app with the pseudonym key (docs/privacy.md), once for all questions.
    about = list(AboutYou.for_responses(consultation.id, _respondents(consultation.id)).values())
    quotes = _quotes(all_themes)
    confirmed = _confirmed_actions(all_themes)

    sections = []
    for question in questions:
        if question.is_choice:
            answered, rows = results.choice_results(question)
            sections.append({"question": question, "kind": "choice", "answered": answered, "rows": rows})
            continue
        if question.kind != "free_text":
            continue  # the newer kinds have their own results page sections, not the themes report
        themes = themes_by_question.get(question.id, [])
        finished = services.latest_finished_analysis(question.id)
        base = insights.question_respondents(question.id)
        raised_by = _respondents_by_theme(question.id)
        second = insights.second_theme_counts(question.id)
        answered = finished.comment_count if finished else len(base)
        entries = []
        for theme in themes:
            in_theme = raised_by.get(theme.id, set())
            entries.append({
                "theme": theme, "label": theme.display_label, "size": theme.size,
                "share": 100.0 * theme.size / answered if answered else None,
                "second": second.get(theme.id, 0), "description": theme.description or "",
                "weak": theme.weak, "quotes": quotes.get(theme.id, []),
                "who": _who(insights.about_you_tables(about, base, in_theme, threshold), threshold),
                "choices": insights.choice_tables(choice_questions, made, in_theme),
                "actions": confirmed.get(theme.id, [])})
        sections.append({"question": question, "kind": "free_text", "analysis": finished,
                         "comments": answered, "non_answers": finished.non_answer_count if finished else 0,
                         "other_languages": [(g["name"], g["count"]) for g in insights.other_languages(finished)],
                         "themes": entries})
    uncovered = [(s["question"], e) for s in sections if s["kind"] == "free_text"
                 for e in s["themes"] if not e["actions"]]
    total = results.response_count(consultation)
    return {"consultation": consultation, "generated_at": utcnow(), "threshold": threshold,
            "total": total, "channels": results.by_channel(consultation), "sections": sections,
            "uncovered": uncovered, "theme_count": len(all_themes),
            "answered_about_you": len(about)}


def _respondents(consultation_id) -> list[int]:
    return list(db.session.scalars(select(Response.id).where(Response.consultation_id == consultation_id)))


def _active_themes(question_ids: list[int]) -> dict[int, list[Theme]]:
    """Themes that go in a report: not merged away, not marked "not relevant", with comments."""
    by_question = defaultdict(list)
    if not question_ids:
        return by_question
    for theme in db.session.scalars(
            select(Theme).where(Theme.question_id.in_(question_ids), Theme.merged_into_id.is_(None),
                                Theme.not_relevant.is_(False), Theme.size > 0)
            .order_by(Theme.size.desc(), Theme.id)):
        by_question[theme.question_id].append(theme)
    return by_question


def _respondents_by_theme(question_id: int) -> dict[int, set[int]]:
    """Theme id -> responses with a comment in it (as main or second theme), in one query."""
    raised = defaultdict(set)
    for theme_id, response_id in db.session.execute(
            select(ThemeAssignment.theme_id, Answer.response_id)
            .join(Answer, ThemeAssignment.answer_id == Answer.id).where(Answer.question_id == question_id)):
        raised[theme_id].add(response_id)
    return raised


def _quotes(themes: list[Theme]) -> dict[int, list[str]]:
    """Up to three redacted example comments per theme, best first."""
    wanted = {t.id: [i for i in (t.examples or []) if isinstance(i, int)] for t in themes}
    ids = {i for ids in wanted.values() for i in ids}
    texts = dict(db.session.execute(select(Answer.id, Answer.text).where(Answer.id.in_(ids))).all()) if ids else {}
    quotes = {}
    for theme_id, answer_ids in wanted.items():
        chosen = [engine.trim(engine.redact(texts[i]), QUOTE_CHARS)
                  for i in answer_ids if (texts.get(i) or "").strip()]
        quotes[theme_id] = chosen[:QUOTES_PER_THEME]
    return quotes


def _confirmed_actions(themes: list[Theme]) -> dict[int, list]:
    """Theme id -> the actions an officer confirmed it informs (suggestions are not counted)."""
    by_theme = defaultdict(list)
    if not themes:
        return by_theme
    for link in db.session.scalars(
            select(ThemeActionLink).where(ThemeActionLink.theme_id.in_([t.id for t in themes]),
                                          ThemeActionLink.status == "confirmed")
            .options(selectinload(ThemeActionLink.action)).order_by(ThemeActionLink.id)):
        if link.action.is_public:  # the report prints each action's public address
            by_theme[link.theme_id].append(link.action)
    for actions in by_theme.values():
        actions.sort(key=lambda a: (a.plan_id, a.position, a.id))
    return by_theme


def _who(breakdown: dict, threshold: int) -> dict:
    """The "About you" groups worth printing: those with at least `threshold` people who
    answered the question (smaller groups would only say "fewer than N")."""
    rows = [dict(row, group=table["title"]) for table in breakdown["tables"] for row in table["rows"]
            if row["total"] is not None and row["total"] >= threshold]
    return {"overall": breakdown["overall"], "rows": rows,
            "answered_about_you": breakdown["answered_about_you"]}


def csv_rows(report: dict):
    """One tidy table: channels, closed-question answers and themes, a row each."""
    for row in report["channels"]:
        yield ["Responses by channel", "", row.label, row.count, _pct(row.percent), "", "", "", "", "", ""]
    for section in report["sections"]:
        question = section["question"]
        if section["kind"] == "choice":
            for row in section["rows"]:
                yield ["Closed question", question.text, row.label, row.count, _pct(row.percent),
                       "", "", "", "", "", ""]
            continue
        for entry in section["themes"]:
            quotes = (entry["quotes"] + ["", "", ""])[:QUOTES_PER_THEME]
            actions = "; ".join(f"{a.number} {a.title}".strip() for a in entry["actions"])
            yield (["Theme", question.text, entry["label"], entry["size"], _pct(entry["share"]),
                    entry["description"]] + quotes
                   + [actions, "Yes" if entry["actions"] else "No"])


CSV_HEADER = ["Section", "Question", "Answer or theme", "Count", "Share (%)",
              "Theme description (a resident's words)", "Quote 1", "Quote 2", "Quote 3",
              "Council actions it informs (confirmed)", "Covered by a confirmed action"]


def _pct(value) -> str:
    return "" if value is None else f"{value:.0f}"
