"""Public pages of group conversations: registering as a host, the printable kits, and a host's
own pages, reached through the signed link emailed on approval (no password)."""
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for

from app.common import limits
from app.common.transaction import commit, rollback
from app.consultations.models import Consultation, Topic
from app.conversations import forms, photos, services
from app.conversations.models import GROUP_TALLIES, ConversationHost, ConversationRecord
from app.extensions import db, limiter

bp = Blueprint("conversations", __name__, template_folder="templates")


@bp.app_template_global()
def tally_label(key: str) -> str:
    from app.common.equality import AGE_BANDS

    return dict(AGE_BANDS).get(key) or GROUP_TALLIES.get(key, key)


# For the themes and results pages: which comments are a group's view, and how many people
# a consultation heard through group conversations.
bp.add_app_template_global(services.group_views, "group_views")
bp.add_app_template_global(services.theme_weight, "theme_weight")
bp.add_app_template_global(services.participation_text, "conversation_participation")


@bp.route("/conversations/host", methods=["GET", "POST"])
@limiter.limit(limits.POSTS_PER_CLIENT, methods=["POST"])
def register():
    form = forms.HostForm()
    form.subject.choices = services.subject_choices()
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            if limits.over_limit("conversation_host", form, email=form.email.data):
                return render_template("conversations/register.html", form=form), 429
            try:
                services.register_host(form.name.data, form.organisation.data, form.kind.data, form.email.data,
                                       form.subject.data)
                commit()
                return redirect(url_for("conversations.registered"))
            except services.ConversationError as exc:
                rollback()
                getattr(form, exc.field).errors = [exc.message]
    return render_template("conversations/register.html", form=form), status


@bp.get("/conversations/host/registered")
def registered():
    return render_template("conversations/registered.html")


@bp.get("/conversations/kits/<kind>/<int:subject_id>")
def kit(kind, subject_id):
    """The printable kit for an open consultation or a topic: public (nothing personal on it),
    so its address can be printed in the page footer without giving away a host's link."""
    consultation = topic = None
    if kind == "consultation":
        consultation = db.session.get(Consultation, subject_id)
        if consultation is None or consultation.status == "draft":
            abort(404)
    elif kind == "topic":
        topic = db.session.get(Topic, subject_id) or abort(404)
    else:
        abort(404)
    from app.common.equality import AGE_BANDS

    return render_template("conversations/kit.html", subject=consultation.title if consultation else topic.name,
                           consultation=consultation, questions=services.questions_for(consultation, topic),
                           age_bands=AGE_BANDS, groups=GROUP_TALLIES, sheet_rows=range(12))


def _host_or_invalid(token) -> ConversationHost:
    host = services.host_for_token(token)
    if host is None:
        abort(Response(render_template("conversations/link_invalid.html"), status=404))
    return host


def kit_url(host) -> str:
    if host.consultation_id:
        return url_for("conversations.kit", kind="consultation", subject_id=host.consultation_id)
    return url_for("conversations.kit", kind="topic", subject_id=host.topic_id or 0)


@bp.get("/conversations/host/<token>")
def host_home(token):
    host = _host_or_invalid(token)
    closed = None
    try:
        services.check_open(host)
    except services.ConversationError as exc:
        closed = exc.message
    return render_template("conversations/host_home.html", host=host, token=token, kit_url=kit_url(host),
                           closed=closed)


def _prefill(form, record):
    form.held_on.set_date(record.held_on)
    form.place.data, form.participants.data = record.place, record.participants
    for key, value in (record.tallies or {}).items():
        name = f"age_{key}" if f"age_{key}" in form else f"group_{key}"
        if name in form:
            form[name].data = value
    for q in form.questions:
        entries = record.entries_for(q.position)
        form[f"notes_{q.position}"].data = "\n\n".join(e.text for e in entries if e.kind == "notes")
        form[f"words_{q.position}"].data = "\n\n".join(e.text for e in entries if e.kind == "person")


def _check_photos(form, record) -> list:
    """Check every chosen file before anything is saved; problems go beside the photos field."""
    files = [f for f in request.files.getlist(form.photos.name) if f and f.filename]
    checked, problems = [], []
    for upload in files:
        try:
            checked.append(photos.check(upload.filename, upload.stream))
        except photos.PhotoError as exc:
            problems.append(str(exc))
    room = services.photo_room(record, removing=len(form.remove_photos.data or []))
    if len(files) > room:
        problems.append(f"You can add {room} more photo{'s' if room != 1 else ''} to this record. Choose fewer")
    if problems:
        form.photos.errors = [*form.photos.errors, *problems]
    if files and not form.photos_agreed.data:
        form.photos_agreed.errors = [*form.photos_agreed.errors,
                                     "Confirm the group agreed to share the photos, or remove them"]
        problems.append("agreed")
    return None if problems else checked


RECORD_ENDPOINTS = {"conversations.host_new_record", "conversations.host_edit_record"}


def _room_for_photos():
    """A record's form may carry photos bigger than MAX_CONTENT_LENGTH allows other forms. Set
    before any other before_request reads the body (the CSRF check parses the form)."""
    if request.method == "POST" and request.endpoint in RECORD_ENDPOINTS:
        request.max_content_length = (photos.max_bytes() + 64 * 1024) * \
            max(current_app.config["CONVERSATION_PHOTOS_PER_RECORD"], 1) + 1024 * 1024


bp.record_once(lambda state: state.app.before_request_funcs.setdefault(None, []).insert(0, _room_for_photos))


def _record_page(host, token, record=None):
    questions = services.kit_questions(host)
    choices = [(str(p.id), f"Photo {n} ({p.width} by {p.height} pixels)") for n, p in
               enumerate(record.photos, start=1)] if record is not None else []
    form = forms.record_form(questions, choices)
    status, closed = 200, None
    try:
        services.check_open(host)
    except services.ConversationError as exc:
        closed = exc.message
    if record is not None and request.method == "GET":
        _prefill(form, record)
    if request.method == "POST":
        status = 400
        valid = form.validate_on_submit()
        checked = _check_photos(form, record)
        if closed:
            form.form_errors.append(closed)
            status = 409
        elif valid and checked is not None:
            if limits.over_limit("conversation_record", form):
                return _render_record(host, token, form, record, closed), 429
            try:
                saved = services.save_record(host, form, checked, record)
                commit()
            except services.ConversationError as exc:
                rollback()
                form.form_errors.append(exc.message)
                status = 409
            else:
                flash("Thank you. Your record has been sent to the council" if record is None
                      else "Your changes have been sent to the council")
                return redirect(url_for("conversations.host_record", token=token, record_id=saved.id))
    return _render_record(host, token, form, record, closed), status


def _render_record(host, token, form, record, closed):
    from app.common.equality import AGE_BANDS

    return render_template("conversations/record_form.html", host=host, token=token, form=form, record=record,
                           closed=closed, age_bands=AGE_BANDS, max_mb=photos.max_bytes() // (1024 * 1024),
                           room=services.photo_room(record))


@bp.route("/conversations/host/<token>/records/new", methods=["GET", "POST"])
@limiter.limit(limits.POSTS_PER_CLIENT, methods=["POST"])
def host_new_record(token):
    return _record_page(_host_or_invalid(token), token)


def _own_record(host, record_id) -> ConversationRecord:
    record = db.session.get(ConversationRecord, record_id)
    if record is None or record.host_id != host.id:
        abort(404)  # another host's record is as good as missing
    return record


@bp.get("/conversations/host/<token>/records/<int:record_id>")
def host_record(token, record_id):
    host = _host_or_invalid(token)
    record = _own_record(host, record_id)
    return render_template("conversations/host_record.html", host=host, token=token, record=record,
                           questions=services.kit_questions(host))


@bp.route("/conversations/host/<token>/records/<int:record_id>/edit", methods=["GET", "POST"])
@limiter.limit(limits.POSTS_PER_CLIENT, methods=["POST"])
def host_edit_record(token, record_id):
    host = _host_or_invalid(token)
    record = _own_record(host, record_id)
    if not record.editable:
        flash("This record has been accepted, so it can no longer be changed")
        return redirect(url_for("conversations.host_record", token=token, record_id=record.id))
    return _record_page(host, token, record)


from app.conversations import staff_routes  # noqa: E402,F401  (registers the /staff views on bp)
