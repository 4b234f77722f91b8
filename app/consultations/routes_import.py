"""Importing paper, email and event responses from a CSV file, and undoing an import.

Officers only (not councillors): the file holds residents' answers as typed. Check, then
confirm: nothing is saved until the officer has seen the checked file, and nothing at all if
any line has a problem.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.common.auth import roles_required
from app.common.csvutil import csv_response
from app.common.transaction import commit, rollback
from app.consultations import csv_import, imports
from app.consultations.forms import ImportConfirmForm, ResponsesFileForm
from app.consultations.models import ResponseImport
from app.consultations.routes import bp
from app.consultations.services import ConsultationError
from app.consultations.staff_routes import STAFF, _consultation
from app.extensions import db


def _page(consultation, form=None, problems=(), status=200, error=None):
    form = form or ResponsesFileForm(formdata=None)
    if error:
        form.file.errors = [error]
    return render_template("consultations/staff_import.html", consultation=consultation, form=form,
                           problems=list(problems), imports=imports.imports_for(consultation),
                           can_import=consultation.status in imports.IMPORTABLE,
                           max_rows=csv_import.MAX_ROWS, channels=csv_import.IMPORT_CHANNELS), status


def _problems_message(problems) -> str:
    count = len(problems)
    return (f"The file has {count} problem{'s' if count != 1 else ''}. Nothing has been imported. "
            "Fix the lines listed below and choose the file again")


@bp.get("/staff/consultations/<int:consultation_id>/imports")
@roles_required(*STAFF)
def staff_imports(consultation_id):
    return _page(_consultation(consultation_id))


@bp.get("/staff/consultations/<int:consultation_id>/imports/template.csv")
@roles_required(*STAFF)
def staff_import_template(consultation_id):
    consultation = _consultation(consultation_id)
    return csv_response(f"consultation-{consultation.id}-responses-to-import.csv",
                        imports.template_header(consultation), [])


@bp.post("/staff/consultations/<int:consultation_id>/imports")
@roles_required(*STAFF)
def staff_import_check(consultation_id):
    consultation = _consultation(consultation_id)
    form = ResponsesFileForm()
    if consultation.status not in imports.IMPORTABLE:
        return _page(consultation, form, status=409, error="Responses can only be imported into an open or "
                     "closed consultation whose results are not published")
    if not form.validate_on_submit():
        return _page(consultation, form, status=400)
    upload = form.file.data
    if not upload or not getattr(upload, "filename", ""):
        return _page(consultation, form, status=400, error="Select a CSV file of responses")
    file_name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
    try:
        text = csv_import.decode(upload.read(csv_import.MAX_BYTES + 1))
        checked = csv_import.check_file(consultation, text)
    except csv_import.FileProblem as problem:
        return _page(consultation, form, status=400, error=str(problem))
    if not checked.ok:
        return _page(consultation, form, checked.problems, 400, _problems_message(checked.problems))
    token = imports.save_draft(consultation, current_user, file_name, text)
    commit()
    return render_template("consultations/staff_import_preview.html", consultation=consultation, checked=checked,
                           file_name=file_name, answer_counts=checked.answer_counts(),
                           confirm=ImportConfirmForm(formdata=None, token=token),
                           channels=csv_import.IMPORT_CHANNELS)


@bp.post("/staff/consultations/<int:consultation_id>/imports/confirm")
@roles_required(*STAFF)
def staff_import_confirm(consultation_id):
    consultation = _consultation(consultation_id)
    confirm = ImportConfirmForm()
    if not confirm.validate_on_submit():
        return _page(consultation, status=400, error="Choose the file again")
    draft = imports.take_draft(consultation, current_user, confirm.token.data)
    if draft is None:
        commit()  # a stale draft is gone either way
        return _page(consultation, status=409, error=(
            f"This file has been imported already or was checked more than {imports.DRAFT_HOURS} hours ago. "
            "If it is not in the list of imports, choose the file again"))
    file_name, text = draft
    try:
        checked = csv_import.check_file(consultation, text)  # again: questions may have changed since
        if not checked.ok:
            rollback()
            return _page(consultation, problems=checked.problems, status=400,
                         error=_problems_message(checked.problems))
        batch = imports.import_responses(consultation, checked, user=current_user, file_name=file_name)
    except (csv_import.FileProblem, ConsultationError) as exc:
        rollback()
        return _page(consultation, status=409, error=getattr(exc, "message", str(exc)))
    commit()
    flash(f"Imported {batch.row_count:,} response{'s' if batch.row_count != 1 else ''} from {file_name}.", "success")
    return redirect(url_for("consultations.staff_imports", consultation_id=consultation.id))


def _batch(consultation, import_id) -> ResponseImport:
    batch = db.session.get(ResponseImport, import_id)
    if batch is None or batch.consultation_id != consultation.id:
        abort(404)
    return batch


@bp.route("/staff/consultations/<int:consultation_id>/imports/<int:import_id>/undo", methods=["GET", "POST"])
@roles_required(*STAFF)
def staff_import_undo(consultation_id, import_id):
    consultation = _consultation(consultation_id)
    batch = _batch(consultation, import_id)
    if request.method == "POST":  # CSRF is checked for every POST by CSRFProtect
        try:
            deleted = imports.undo_import(batch, current_user)
        except ConsultationError as exc:
            rollback()
            return render_template("consultations/staff_import_undo.html", consultation=consultation,
                                   batch=batch, error=exc.message, remaining=batch.responses.count()), 409
        commit()
        flash(f"Import undone: {deleted:,} response{'s' if deleted != 1 else ''} from {batch.file_name} "
              "deleted.", "success")
        return redirect(url_for("consultations.staff_imports", consultation_id=consultation.id))
    return render_template("consultations/staff_import_undo.html", consultation=consultation, batch=batch,
                           error=None, remaining=batch.responses.count())
