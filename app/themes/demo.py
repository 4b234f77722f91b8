"""`flask demo`: find the themes in each demo consultation so the view is populated at first login.

Runs after the consultations demo (which creates the comments) and the actions demo (whose
plan the themes are linked to). Safe to run again: a question that has themes is skipped.
"""
from sqlalchemy import func, select

from app.consultations.models import Answer, Consultation, Question
from app.extensions import db
from app.themes import services
from app.themes.models import Theme, ThemeAnalysis


def main_free_text_question(consultation: Consultation) -> Question | None:
    """The free-text question with the most answers (the one worth analysing first)."""
    best, best_count = None, 0
    for question in consultation.free_text_questions:
        count = db.session.scalar(services.answers_query(question.id).with_only_columns(func.count(Answer.id))
                                  .order_by(None))
        if count > best_count:
            best, best_count = question, count
    return best


def load(data_dir) -> list[str]:
    lines = []
    for consultation in db.session.scalars(select(Consultation).order_by(Consultation.id)):
        question = main_free_text_question(consultation)
        if question is None:
            continue
        if db.session.scalar(select(Theme.id).where(Theme.question_id == question.id).limit(1)):
            continue
        analysis = ThemeAnalysis(question_id=question.id, status="queued", seed=0, message="Waiting to start")
        db.session.add(analysis)
        db.session.commit()
        services.run_analysis(analysis.id)  # synchronously: the demo should be ready when it ends
        analysis = db.session.get(ThemeAnalysis, analysis.id)
        if analysis.status == "done":
            themes = services.question_themes(question.id)
            linked = sum(1 for t in themes for link in t.action_links if link.status == "suggested")
            lines.append(f"Themes: {len(themes)} themes in {analysis.comment_count} comments on "
                         f"“{consultation.title}” ({linked} suggested links to actions)")
        else:
            lines.append(f"Themes: analysis of “{consultation.title}” failed: {analysis.message}")
    return lines
