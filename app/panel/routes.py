"""Public panel pages: join, confirm, manage (pause, update, leave) and reply to an invitation.

Staff pages are in staff_routes.py on the same blueprint (URLs under /staff/panel).
"""
from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for

from app.common import limits
from app.common.transaction import commit
from app.notifications.notify import texts_available
from app.notifications.phones import for_people, uk_mobile
from app.consultations.models import Topic
from app.panel import draws, membership
from app.panel.forms import DetailsForm, EmailForm, JoinForm, ReplyForm
from app.panel.models import REPLACED
from app.wards.services import normalise_postcode, ward_choices, ward_for_postcode
from app.extensions import db, limiter
from app.wards.models import Ward

bp = Blueprint("panel", __name__, template_folder="templates")


def _prepare(form):
    if not texts_available():  # texts go only through GOV.UK Notify
        form.contact_method.choices = [c for c in form.contact_method.choices if c[0] != "text"]
    form.ward.choices = ward_choices(blank="Choose your ward")
    form.topics.choices = [(str(t.id), t.name) for t in Topic.query.order_by(Topic.name)]
    return form


def _details(form) -> dict | None:
    """Validated details as a dict, or None (with errors on the form)."""
    form.validate()
    # The ward list is only asked for when the postcode doesn't give the ward, so its own
    # errors (e.g. a value that isn't a number) count only then, in the words below.
    form.ward.errors = []
    ward = None
    if form.postcode.data and not form.postcode.errors:
        ward = ward_for_postcode(form.postcode.data)
        if ward is None:
            form.ward_needed = True
            ward = db.session.get(Ward, form.ward.data) if isinstance(form.ward.data, int) else None
            if ward is None:
                form.ward.errors = ["Select the ward you live in"]
    if any(field.errors for field in form):
        return None
    topic_ids = [int(t) for t in form.topics.data or []]
    data = {
        "name": form.name.data.strip(), "phone": (form.phone.data or "").strip() or None,
        "address_line": (form.address_line.data or "").strip() or None,
        "postcode": normalise_postcode(form.postcode.data), "ward": ward, "age_band": form.age_band.data,
        "contact_method": form.contact_method.data, "access_needs": (form.access_needs.data or "").strip(),
        "mobile": uk_mobile(form.mobile.data) if form.contact_method.data == "text" else None,
        "topics": Topic.query.filter(Topic.id.in_(topic_ids)).all() if topic_ids else [],
        "equality_consent": form.equality_consent.data == "yes",
    }
    for key in ("sex", "ethnic_group", "disability", "tenure"):
        data[key] = getattr(form, key).data or None
    if form.email is not None:
        data["email"] = form.email.data
    return data


def _retention_days():
    return current_app.config.get("PANEL_UNCONFIRMED_RETENTION_DAYS", 30)


@bp.route("/panel/join", methods=["GET", "POST"])
@limiter.limit(limits.POSTS_PER_CLIENT, methods=["POST"])
def join():
    form = _prepare(JoinForm())
    form.ward_needed = False
    status = 200
    if request.method == "POST":
        data = _details(form)
        if data is not None and not limits.over_limit("panel_join", form, email=data["email"]):
            membership.sign_up(data)
            commit()
            return redirect(url_for("panel.check_email"))
        status = 429 if data is not None else 200
    return render_template("panel/join.html", form=form, retention_days=_retention_days()), status


@bp.get("/panel/join/check-your-email")
def check_email():
    return render_template("panel/check_email.html", hours=membership.CONFIRM_LINK_HOURS)


@bp.route("/panel/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(limits.POSTS_PER_CLIENT, methods=["POST"])
def confirm(token):
    """GET shows a button, POST confirms: link checkers that fetch the page confirm nothing.

    The link works once: afterwards it only says so, and shows no name or manage link (those
    went to the member's inbox), so a forwarded or leaked link reveals nothing more."""
    member = membership.member_for_confirm_token(token)
    if member is None:
        return render_template("panel/link_invalid.html"), 404
    if member.is_member:
        return render_template("panel/already_confirmed.html")
    if request.method == "POST":
        membership.confirm(member)
        commit()
        return render_template("panel/confirmed.html", member=member, manage_url=membership.manage_link(member))
    return render_template("panel/confirm.html", token=token)


@bp.route("/panel/manage", methods=["GET", "POST"])
@limiter.limit(limits.POSTS_PER_CLIENT, methods=["POST"])
def manage_request():
    form = EmailForm()
    status = 200
    if form.validate_on_submit():
        # Counted whether or not the address belongs to a member, so a refusal reveals nothing.
        if not limits.over_limit("panel_manage_link", form, email=form.email.data):
            membership.send_manage_link(form.email.data)
            commit()
            return redirect(url_for("panel.manage_sent"))
        status = 429
    return render_template("panel/manage_request.html", form=form), status


@bp.get("/panel/manage/sent")
def manage_sent():
    return render_template("panel/manage_sent.html", days=membership.MANAGE_LINK_DAYS)


def _member_or_invalid(token):
    member = membership.member_for_manage_token(token)
    if member is None:
        abort(make_response(render_template("panel/link_invalid.html", manage=True), 404))
    return member


@bp.route("/panel/manage/<token>", methods=["GET", "POST"])
@limiter.limit(limits.POSTS_PER_CLIENT, methods=["POST"])
def manage(token):
    member = _member_or_invalid(token)
    form = _prepare(DetailsForm(obj=None if request.method == "POST" else _form_values(member)))
    form.ward_needed = ward_for_postcode(member.postcode) is None
    saved = False
    if request.method == "POST":
        data = _details(form)
        if data is not None:
            membership.apply_details(member, data)
            commit()
            saved = True
    return render_template("panel/manage.html", form=form, member=member, token=token, saved=saved,
                           paused=request.args.get("done"))


def _form_values(member):
    class Values:
        pass
    values = Values()
    for key in ("name", "phone", "address_line", "postcode", "age_band", "contact_method", "access_needs",
                "sex", "ethnic_group", "disability", "tenure"):
        setattr(values, key, getattr(member, key))
    values.mobile = for_people(member.mobile)
    values.ward = member.ward_id
    values.topics = [str(t.id) for t in member.topics]
    values.equality_consent = "yes" if member.equality_consent else "no"
    return values


@bp.post("/panel/manage/<token>/pause")
@limiter.limit(limits.POSTS_PER_CLIENT, methods=["POST"])
def pause(token):
    member = _member_or_invalid(token)
    paused = request.form.get("action") != "resume"
    membership.set_paused(member, paused)
    commit()
    return redirect(url_for("panel.manage", token=token, done="paused" if paused else "resumed"))


@bp.route("/panel/manage/<token>/leave", methods=["GET", "POST"])
@limiter.limit(limits.POSTS_PER_CLIENT, methods=["POST"])
def leave(token):
    member = _member_or_invalid(token)
    if request.method == "POST":
        membership.erase(member)
        commit()
        return redirect(url_for("panel.left"))
    return render_template("panel/leave.html", token=token)


@bp.get("/panel/left")
def left():
    return render_template("panel/left.html")


@bp.route("/panel/reply/<token>", methods=["GET", "POST"])
@limiter.limit(limits.POSTS_PER_CLIENT, methods=["POST"])
def reply(token):
    selection = draws.selection_for_reply_token(token)
    if selection is None:
        return render_template("panel/link_invalid.html"), 404
    form = ReplyForm()
    if selection.reply == REPLACED:
        return render_template("panel/reply.html", form=None, selection=selection, refused=draws.REPLACED_MESSAGE)
    if form.validate_on_submit():
        draws.record_reply(selection, form.reply.data)
        commit()
        return render_template("panel/reply_done.html", selection=selection)
    return render_template("panel/reply.html", form=form, selection=selection)


from app.panel import staff_routes  # noqa: E402,F401  (registers the staff views on bp)
