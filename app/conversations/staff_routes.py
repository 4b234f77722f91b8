"""Officers' pages: approve or decline hosts, accept or return records, and see flipchart photos
(staff only, served with our own checked content type)."""
import os

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from app.common.auth import ADMIN, OFFICER, roles_required
from app.common.transaction import commit, rollback
from app.conversations import forms, photos, services
from app.conversations.models import ConversationHost, ConversationPhoto, ConversationRecord
from app.conversations.routes import bp
from app.extensions import db

EDITORS = (ADMIN, OFFICER)


@bp.get("/staff/conversations")
@roles_required(*EDITORS)
def staff_index():
    hosts = list(db.session.scalars(select(ConversationHost).order_by(ConversationHost.created_at.desc())))
    records = list(db.session.scalars(select(ConversationRecord).order_by(ConversationRecord.submitted_at.desc())))
    return render_template("conversations/staff_index.html", hosts=hosts, records=records)


def _get(model, ident):
    item = db.session.get(model, ident)
    if item is None:
        abort(404)
    return item


@bp.route("/staff/conversations/hosts/<int:host_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def staff_host(host_id):
    host = _get(ConversationHost, host_id)
    form = forms.HostDecisionForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                services.decide_host(host, current_user, form.decision.data, form.reason.data or "")
                commit()
            except services.ConversationError as exc:
                rollback()
                form.decision.errors = [exc.message]
                status = 409
            else:
                flash(f"{host.organisation} approved: we have emailed them the link to their kit"
                      if host.status == "approved" else f"{host.organisation} declined: we have emailed them the reason")
                return redirect(url_for("conversations.staff_index"))
    return render_template("conversations/staff_host.html", host=host, form=form), status


@bp.route("/staff/conversations/records/<int:record_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def staff_record(record_id):
    record = _get(ConversationRecord, record_id)
    form = forms.RecordDecisionForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                services.decide_record(record, current_user, form.decision.data, form.note.data or "")
                commit()
            except services.ConversationError as exc:
                rollback()
                form.decision.errors = [exc.message]
                status = 409
            else:
                flash("Record accepted: its comments are now in the consultation's results"
                      if record.status == "accepted" else "Record returned: we have emailed the host")
                return redirect(url_for("conversations.staff_index"))
    return render_template("conversations/staff_record.html", record=record, form=form,
                           questions=services.kit_questions(record.host)), status


@bp.get("/staff/conversations/photos/<int:photo_id>")
@roles_required(*EDITORS)
def staff_photo(photo_id):
    photo = _get(ConversationPhoto, photo_id)
    path = photos.path_for(photo.stored_name)
    if not os.path.isfile(path):
        abort(404)
    response = send_file(path, mimetype=photo.content_type, as_attachment=False,
                         download_name=f"flipchart-{photo.record_id}-{photo.id}.{photo.extension}", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
