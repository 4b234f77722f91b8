"""Staff pages for themes: run the analysis, see themes, drill down, export.

Officers' edits live in routes_edits.py (same blueprint). Admins and officers use every page;
councillors read the pages of consultations of their ward or the whole borough (the rule is
app.consultations.access.scope_readers: a view that changes anything says
`@roles_required(*EDITORS)`).
"""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.audit import record
from app.common.auth import (ADMIN, COUNCILLOR, EDITORS, OFFICER, can_read_consultation, protect,
                             roles_required)
from app.common.charts import bar_chart
from app.common.csvutil import csv_response
from app.common.transaction import commit
from app.consultations.access import lists_only_readable, scope_readers
from app.consultations.models import TEXT_KINDS, Answer, Consultation, Question
from app.extensions import db
from app.themes import engine, insights, links, report as analysis_report, services
from app.themes.forms import AddLinkForm, RunForm
from app.themes.models import Theme, ThemeAnalysis, ThemeAssignment

bp = scope_readers(protect(Blueprint("themes", __name__, template_folder="templates"), ADMIN, OFFICER, COUNCILLOR))
COMMENTS_PER_PAGE = 25
REFRESH_SECONDS = 5


@bp.app_template_filter("redact")
def _redact(text, language=None):
    return engine.redact(text, language=language)


def get_question(question_id) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.kind not in TEXT_KINDS:
        abort(404)
    return question


def get_theme(theme_id) -> Theme:
    return db.session.get(Theme, theme_id) or abort(404)


@bp.get("/staff/themes")
@lists_only_readable
def staff_index():
    consultations = [c for c in db.session.scalars(
        select(Consultation).where(Consultation.questions.any(Question.kind.in_(TEXT_KINDS)))
        .order_by(Consultation.opens_at.desc())).all() if can_read_consultation(current_user, c)]
    return render_template("themes/index.html", consultations=consultations)


@bp.get("/staff/consultations/<int:consultation_id>/themes")
def consultation(consultation_id):
    item = db.session.get(Consultation, consultation_id) or abort(404)
    if len(item.free_text_questions) == 1:
        return redirect(url_for("themes.question", question_id=item.free_text_questions[0].id))
    latest = {q.id: services.latest_analysis(q.id) for q in item.free_text_questions}
    return render_template("themes/consultation.html", consultation=item, latest=latest)


@bp.get("/staff/themes/questions/<int:question_id>")
def question(question_id, run_form=None):
    item = get_question(question_id)
    themes = services.question_themes(item.id)
    analysis = services.latest_analysis(item.id)
    finished = services.latest_finished_analysis(item.id)
    current = [t for t in themes if t.is_active and t.size]
    hidden = [t for t in themes if not t.is_active or not t.size]
    chart = bar_chart("Comments per theme", [t.display_label for t in current], [t.size for t in current]) \
        if current else None
    answered = finished.comment_count if finished else 0
    coverage = {t.id: links.coverage(t) for t in themes}
    uncovered = [t for t in current if coverage[t.id] != "linked"]  # no link an officer confirmed
    return render_template(
        "themes/question.html", question=item, consultation=item.consultation, themes=current,
        hidden_themes=hidden, analysis=analysis, finished=finished, chart=chart,
        form=run_form or RunForm(), unplaced=len(services.unplaced_answers(item.id)) if finished else 0,
        second_counts=insights.second_theme_counts(item.id), coverage=coverage, uncovered=uncovered,
        to_check=[t for t in uncovered if coverage[t.id] == "suggested"],
        multi=insights.multi_theme_counts(item.id), other_languages=insights.other_languages(finished),
        duplicate_groups=_duplicate_groups(finished), answered=answered,
        has_actions=bool(links.all_actions()))


def _duplicate_groups(analysis: ThemeAnalysis | None) -> list[dict]:
    if analysis is None or not analysis.duplicate_groups:
        return []
    groups = analysis.duplicate_groups[:20]
    first_ids = [g[0] for g in groups]
    texts = dict(db.session.execute(select(Answer.id, Answer.text).where(Answer.id.in_(first_ids))).all())
    theme_of = dict(db.session.execute(select(ThemeAssignment.answer_id, ThemeAssignment.theme_id)
                                       .where(ThemeAssignment.answer_id.in_(first_ids),
                                              ThemeAssignment.rank == 1)).all())
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(Theme.id.in_(set(theme_of.values()))))}
    return [{"text": texts.get(g[0], ""), "count": len(g), "theme": services.resolve(themes.get(theme_of.get(g[0])))}
            for g in groups]


@bp.post("/staff/themes/questions/<int:question_id>/run")
@roles_required(*EDITORS)
def run(question_id):
    item = get_question(question_id)
    form = RunForm()
    if not form.validate_on_submit():
        return question(question_id, run_form=form)
    try:
        analysis = services.start_analysis(item, form.themes.data, form.seed.data, fresh=form.fresh.data)
    except services.AnalysisBusy as exc:
        flash(str(exc))
        return redirect(url_for("themes.question", question_id=item.id))
    commit()
    return redirect(url_for("themes.analysis", analysis_id=analysis.id))


@bp.get("/staff/themes/analyses/<int:analysis_id>")
def analysis(analysis_id):
    item = db.session.get(ThemeAnalysis, analysis_id) or abort(404)
    refresh = not item.is_finished and request.args.get("refresh") != "off"
    return render_template("themes/analysis.html", analysis=item, question=item.question,
                           refresh_seconds=REFRESH_SECONDS if refresh else None)


@bp.post("/staff/themes/questions/<int:question_id>/place-new")
@roles_required(*EDITORS)
def place_new(question_id):
    item = get_question(question_id)
    placed = services.assign_new_answers(item)
    if placed is None:
        flash("The saved analysis can't place new comments any more. Run the analysis again.")
    else:
        commit()
        flash(f"{placed} new comment{'s' if placed != 1 else ''} placed in the existing themes.", "success")
    return redirect(url_for("themes.question", question_id=item.id))


@bp.post("/staff/themes/questions/<int:question_id>/suggest-links")
@roles_required(*EDITORS)
def suggest_links(question_id):
    item = get_question(question_id)
    count = links.suggest_for_question(item.id)
    commit()
    flash(f"Suggestions updated: {count} suggested link{'s' if count != 1 else ''} to council actions. "
          "Links you confirmed or rejected are unchanged.", "success")
    return redirect(url_for("themes.question", question_id=item.id))


@bp.get("/staff/themes/questions/<int:question_id>/themes.csv")
def export(question_id):
    item = get_question(question_id)
    rows = db.session.execute(
        select(Theme, ThemeAssignment.rank, Answer.id, Answer.text)
        .join(ThemeAssignment, ThemeAssignment.theme_id == Theme.id)
        .join(Answer, ThemeAssignment.answer_id == Answer.id)
        .where(Theme.question_id == item.id)
        .order_by(Theme.size.desc(), Theme.id, ThemeAssignment.rank, Answer.id)).all()
    redacted = engine.redact_many(text for _theme, _rank, _answer_id, text in rows)
    body = ([theme.display_label, theme.description, _coherence(theme), theme.size,
             "Not relevant" if theme.not_relevant else "", "Main theme" if rank == 1 else "Also raised",
             answer_id, quote]
            for (theme, rank, answer_id, _text), quote in zip(rows, redacted))
    record("export.personal_data", subject=f"question:{item.id}", detail={"what": "themes CSV (redacted comments)"})
    commit()
    return csv_response(f"themes-question-{item.id}.csv",
                        ["Theme", "Theme description (a resident's words)", "How alike its comments are (0 to 1)",
                         "Theme size", "Officer's note", "Rank", "Comment ID", "Comment (personal details removed)"],
                        body)


def _coherence(theme: Theme) -> str:
    return "" if theme.coherence is None else f"{theme.coherence:.2f}"


@bp.get("/staff/themes/<int:theme_id>")
def theme(theme_id, link_form=None):
    item = get_theme(theme_id)
    if item.merged_into_id is not None:
        flash(f"“{item.display_label}” was merged into this theme.")
        return redirect(url_for("themes.theme", theme_id=services.resolve(item).id))
    page = max(1, request.args.get("page", 1, type=int))
    query = (select(ThemeAssignment).where(ThemeAssignment.theme_id == item.id)
             .order_by(ThemeAssignment.rank, ThemeAssignment.answer_id))
    pagination = db.paginate(query, page=page, per_page=COMMENTS_PER_PAGE, error_out=False)
    if page > 1 and not pagination.items:
        abort(404)
    examples = [db.session.get(Answer, a) for a in item.examples or []]
    link_form = link_form or _link_form(item)
    multi = insights.multi_theme_counts(item.question_id)["themes"].get(
        item.id, {"comments": 0, "with_others": 0, "also_with": []})
    names = {t.id: t for t in services.question_themes(item.question_id)}
    also_with = [(names[i], count) for i, count in multi["also_with"] if i in names][:5]
    return render_template(
        "themes/theme.html", theme=item, question=item.question, pagination=pagination,
        examples=[a for a in examples if a is not None], links=links.visible_links(item),
        coverage=links.coverage(item), link_form=link_form, form=link_form, multi=multi, also_with=also_with)


def _link_form(item: Theme, formdata=None) -> AddLinkForm:
    form = AddLinkForm(formdata=formdata) if formdata is not None else AddLinkForm()
    form.action.choices = [("", "Select an action")] + [
        (a.id, f"{a.number} {a.title}".strip()) for a in links.all_actions()]
    return form


@bp.get("/staff/themes/<int:theme_id>/who")
def who(theme_id):
    item = get_theme(theme_id)
    threshold = current_app.config["SMALL_NUMBER_THRESHOLD"]
    return render_template("themes/who.html", theme=item, question=item.question,
                           choices=insights.choice_breakdown(item),
                           about=insights.about_you_breakdown(item, threshold), threshold=threshold)


@bp.get("/staff/consultations/<int:consultation_id>/report")
def report(consultation_id):
    item = db.session.get(Consultation, consultation_id) or abort(404)
    data = analysis_report.build(item, current_app.config["SMALL_NUMBER_THRESHOLD"])
    return render_template("themes/report.html", **data)


@bp.get("/staff/consultations/<int:consultation_id>/report.csv")
def report_csv(consultation_id):
    item = db.session.get(Consultation, consultation_id) or abort(404)
    data = analysis_report.build(item, current_app.config["SMALL_NUMBER_THRESHOLD"])
    return csv_response(f"analysis-report-consultation-{item.id}.csv", analysis_report.CSV_HEADER,
                        analysis_report.csv_rows(data))


from app.themes import routes_edits  # noqa: E402,F401  (registers the edit views on bp)
