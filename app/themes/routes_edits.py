"""Officers' edits: rename, merge, split, move a comment, mark not relevant, decide links.

Every view here is `@roles_required(*EDITORS)`: councillors, who may read themes, never edit them."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.actions.models import Action
from app.common.auth import EDITORS, roles_required
from app.common.transaction import commit
from app.consultations.models import Answer
from app.extensions import db
from app.themes import edits, links, services
from app.themes.forms import MergeForm, MoveForm, RenameForm, SplitForm
from app.themes.routes import _link_form, bp, get_question, get_theme, theme as theme_page

RELEVANCE = {"not_relevant": True, "relevant": False}
QUICK_SPLIT_PARTS = 2


def _current_theme(theme_id):
    item = get_theme(theme_id)
    if item.merged_into_id is not None:
        abort(404)  # merged away: edits go to the theme it became
    return item


def _back_to(item):
    return redirect(url_for("themes.theme", theme_id=item.id))


@bp.route("/staff/themes/<int:theme_id>/rename", methods=["GET", "POST"])
@roles_required(*EDITORS)
def rename(theme_id):
    item = _current_theme(theme_id)
    form = RenameForm(label=item.display_label) if request.method == "GET" else RenameForm()
    if form.validate_on_submit():
        edits.rename(item, form.label.data)
        commit()
        flash("Theme renamed. The new name is kept when the analysis runs again.", "success")
        return _back_to(item)
    return render_template("themes/rename.html", theme=item, form=form)


@bp.route("/staff/themes/<int:theme_id>/split", methods=["GET", "POST"])
@roles_required(*EDITORS)
def split(theme_id):
    item = _current_theme(theme_id)
    form = SplitForm()
    if form.validate_on_submit():
        try:
            parts = edits.split(item, form.parts.data)
        except edits.EditError as exc:
            form.parts.errors.append(str(exc))
        else:
            commit()
            flash(f"Theme split into {len(parts) + 1} themes.", "success")
            return redirect(url_for("themes.question", question_id=item.question_id))
    return render_template("themes/split.html", theme=item, form=form)


@bp.post("/staff/themes/<int:theme_id>/split-in-two")
def quick_split(theme_id):
    """The one-click split offered for a weak theme: into 2, as the engine sees fit."""
    item = _current_theme(theme_id)
    name = item.display_label  # the split may rename it
    try:
        edits.split(item, QUICK_SPLIT_PARTS)
    except edits.EditError as exc:
        flash(f"“{name}” was not split: {exc}.")
        return _back_to(item)
    commit()
    flash(f"“{name}” split into {QUICK_SPLIT_PARTS} themes. Check their names.", "success")
    return redirect(url_for("themes.question", question_id=item.question_id))


@bp.post("/staff/themes/<int:theme_id>/relevance")
@roles_required(*EDITORS)
def relevance(theme_id):
    item = _current_theme(theme_id)
    value = request.form.get("relevance")
    if value not in RELEVANCE:
        abort(400)
    edits.set_not_relevant(item, RELEVANCE[value])
    commit()
    flash("Theme marked as not relevant: it is left out of reports and link suggestions."
          if item.not_relevant else "Theme marked as relevant again.", "success")
    return _back_to(item)


@bp.route("/staff/themes/questions/<int:question_id>/merge", methods=["GET", "POST"])
@roles_required(*EDITORS)
def merge(question_id):
    question = get_question(question_id)
    current = [t for t in services.question_themes(question.id)]
    form = MergeForm()
    choices = [(t.id, f"{t.display_label} ({t.size} comments)") for t in current]
    form.themes.choices = choices
    form.keep.choices = [("", "Select a theme")] + choices
    if form.validate_on_submit():
        by_id = {t.id: t for t in current}
        try:
            edits.merge(by_id[form.keep.data], [by_id[i] for i in form.themes.data])
        except edits.EditError as exc:
            form.themes.errors.append(str(exc))
        else:
            commit()
            flash("Themes merged. The merge is kept when the analysis runs again.", "success")
            return redirect(url_for("themes.theme", theme_id=form.keep.data))
    return render_template("themes/merge.html", question=question, form=form, has_themes=len(current) >= 2)


@bp.route("/staff/themes/<int:theme_id>/comments/<int:answer_id>/move", methods=["GET", "POST"])
@roles_required(*EDITORS)
def move(theme_id, answer_id):
    item = _current_theme(theme_id)
    answer = db.session.get(Answer, answer_id)
    if answer is None or answer.question_id != item.question_id:
        abort(404)
    others = [t for t in services.question_themes(item.question_id) if t.id != item.id]
    form = MoveForm()
    form.theme.choices = [("", "Select a theme")] + [(t.id, t.display_label) for t in others]
    if form.validate_on_submit():
        target = next(t for t in others if t.id == form.theme.data)
        edits.move_comment(answer, target)
        commit()
        flash(f"Comment moved to “{target.display_label}”. The move is kept when the analysis runs again.",
              "success")
        return _back_to(item)
    return render_template("themes/move.html", theme=item, answer=answer, form=form)


@bp.route("/staff/themes/questions/<int:question_id>/comments/<int:answer_id>/place", methods=["GET", "POST"])
@roles_required(*EDITORS)
def place(question_id, answer_id):
    """Put a comment the engine set aside (one in another language) into a theme."""
    question = get_question(question_id)
    answer = db.session.get(Answer, answer_id)
    if answer is None or answer.question_id != question.id:
        abort(404)
    themes = services.question_themes(question.id)
    form = MoveForm()
    form.theme.choices = [("", "Select a theme")] + [(t.id, t.display_label) for t in themes]
    if form.validate_on_submit():
        target = next(t for t in themes if t.id == form.theme.data)
        edits.move_comment(answer, target)
        commit()
        flash(f"Comment put in “{target.display_label}”. This is kept when the analysis runs again.", "success")
        return redirect(url_for("themes.question", question_id=question.id))
    return render_template("themes/move.html", theme=None, question=question, answer=answer, form=form)


@bp.post("/staff/themes/<int:theme_id>/links")
@roles_required(*EDITORS)
def add_link(theme_id):
    item = _current_theme(theme_id)
    form = _link_form(item, formdata=request.form)
    if not form.validate():
        return theme_page(theme_id, link_form=form)
    action = db.session.get(Action, form.action.data) or abort(404)
    links.add_link(item, action, current_user)
    commit()
    flash(f"Linked to action “{action.title}”.", "success")
    return _back_to(item)


@bp.post("/staff/themes/<int:theme_id>/links/<int:link_id>/<decision>")
@roles_required(*EDITORS)
def decide_link(theme_id, link_id, decision):
    if decision not in ("confirm", "reject"):
        abort(404)
    item = _current_theme(theme_id)
    link = edits.link_for(item, link_id) or abort(404)
    links.decide(link, decision, current_user)
    commit()
    flash(f"Link to “{link.action.title}” {'confirmed' if decision == 'confirm' else 'rejected'}.", "success")
    return _back_to(item)
