"""Staff pages (admin and officer): representativeness, census figures, draws and invitations."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.audit import record
from app.common.auth import roles_required
from app.common.charts import grouped_bar_chart
from app.common.timeutil import utcnow
from app.common.transaction import commit
from app.consultations.models import AboutYou, Consultation, Topic
from app.extensions import db
from app.notifications.services import hold_minutes
from app.panel import draws, mailouts, membership, representation
from app.panel.forms import (CensusForm, DrawForm, InviteForm, MailoutForm, SeedForm, StaffReplyForm,
                             quota_value)
from app.panel.models import DRAW_DONE, DRAW_STATUSES, Draw, DrawSelection, PanelMailout, PanelStats
from app.panel.routes import bp
from app.panel.sortition import InfeasibleQuotas
from app.wards.services import ward_choices

STAFF = ("admin", "officer")
REFRESH_SECONDS = 3  # how often a running draw's status page reloads itself


def _small(count):
    threshold = current_app.config["SMALL_NUMBER_THRESHOLD"]
    return f"fewer than {threshold}" if 0 < count < threshold else str(count)


def _chart(table, series_names=("Panel", "Borough")):
    rows = [r for r in table["rows"] if r["population_pct"] is not None]
    if not rows:
        return None
    return grouped_bar_chart(f"{table['label']}: % of panel and of borough", [r["label"] for r in rows],
                             {series_names[0]: [r["pct"] for r in rows],
                              series_names[1]: [r["population_pct"] for r in rows]})


@bp.get("/staff/panel")
@roles_required(*STAFF)
def staff_index():
    report = representation.report(representation.panel_members())
    stats = PanelStats.query.order_by(PanelStats.month.desc(), PanelStats.event).limit(36).all()
    return render_template("panel/staff/index.html", counts=membership.counts(), report=report, stats=stats,
                           draws=Draw.query.order_by(Draw.created_at.desc()).limit(5).all())


@bp.get("/staff/panel/representation")
@roles_required(*STAFF)
def staff_representation():
    report = representation.report(representation.panel_members())
    charts = {t["characteristic"]: _chart(t) for t in report["tables"]}
    return render_template("panel/staff/representation.html", report=report, charts=charts)


@bp.get("/staff/panel/representation/consultations")
@roles_required(*STAFF)
def staff_consultations():
    counts = dict(db.session.query(AboutYou.consultation_id, db.func.count(AboutYou.respondent_key)).group_by(AboutYou.consultation_id).all())
    consultations = Consultation.query.filter(Consultation.launched_at.is_not(None)) \
        .order_by(Consultation.opens_at.desc()).all()
    return render_template("panel/staff/consultations.html", consultations=consultations, counts=counts)


@bp.get("/staff/panel/representation/consultations/<int:consultation_id>")
@roles_required(*STAFF)
def staff_consultation_compare(consultation_id):
    consultation = db.session.get(Consultation, consultation_id) or abort(404)
    panel = representation.report(representation.panel_members())
    heard = representation.report(representation.respondents(consultation.id))
    paired = representation.compare(heard, panel)
    charts = {}
    for pair in paired:
        rows = [r for r in pair["rows"] if r["a"] and r["a"]["population_pct"] is not None]
        if rows:
            charts[pair["characteristic"]] = grouped_bar_chart(
                f"{pair['label']}: % of respondents, panel and borough", [r["label"] for r in rows],
                {"Respondents": [r["a"]["pct"] for r in rows],
                 "Panel": [r["b"]["pct"] if r["b"] else None for r in rows],
                 "Borough": [r["a"]["population_pct"] for r in rows]})
    return render_template("panel/staff/compare.html", consultation=consultation, panel=panel, heard=heard,
                           paired=paired, charts=charts)


@bp.route("/staff/panel/census", methods=["GET", "POST"])
@roles_required(*STAFF)
def staff_census():
    form = CensusForm()
    problems = []
    if request.method == "POST" and form.validate():
        upload = form.csv_file.data
        if not upload or not getattr(upload, "filename", ""):
            form.csv_file.errors = ["Choose a CSV file to upload"]
        else:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.csv_file.errors = ["The file must be a CSV file saved as UTF-8 text"]
            else:
                count, problems = representation.import_census(text)
                if problems:
                    form.csv_file.errors = [f"The file has {len(problems)} problem(s); nothing was changed"]
                else:
                    commit()
                    flash(f"Census figures replaced: {count} groups loaded.", "success")
                    return redirect(url_for("panel.staff_census"))
    rows = representation.reference()
    return render_template("panel/staff/census.html", form=form, problems=problems, reference=rows)


@bp.get("/staff/panel/draws")
@roles_required(*STAFF)
def staff_draws():
    return render_template("panel/staff/draws.html", draws=Draw.query.order_by(Draw.created_at.desc()).all())


def _read_quotas(groups):
    """{characteristic: {group: (min, max)}} from the quota inputs, and {input_name: error}."""
    quotas, errors = {}, {}
    for characteristic, _label, items in groups:
        for index, (key, group_label) in enumerate(items):
            values = []
            for bound in ("min", "max"):
                name = f"q-{characteristic}-{index}-{bound}"
                try:
                    values.append(quota_value(request.form.get(name)))
                except ValueError:
                    errors[name] = f"{bound.title()} for {group_label} must be a whole number from 0 to 10000"
                    values.append(None)
            low, high = values
            if low is not None and high is not None and low > high:
                errors[f"q-{characteristic}-{index}-min"] = f"Min for {group_label} must not be more than its max"
            if low or high is not None:
                quotas.setdefault(characteristic, {})[key] = (low or None, high)
    return quotas, errors


def _suggested_quotas(groups, size):
    """Quotas ±25% around each group's share of the borough: a starting point officers edit."""
    population = representation.reference()
    values = {}
    for characteristic, _label, items in groups:
        total = sum(population.get(characteristic, {}).values())
        for index, (key, _group_label) in enumerate(items):
            count = population.get(characteristic, {}).get(key)
            if total and count is not None:
                target = size * count / total
                values[f"q-{characteristic}-{index}-min"] = str(int(target * 0.75))
                values[f"q-{characteristic}-{index}-max"] = str(int(target * 1.25 + 0.999))
    return values


@bp.route("/staff/panel/draws/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def staff_draw_new():
    form = DrawForm()
    groups = draws.quota_groups()
    values, quota_errors, problems = dict(request.form), {}, []
    panel_counts = representation.composition(draws.pool())
    if request.method == "POST":
        valid = form.validate()
        quotas, quota_errors = _read_quotas(groups)
        if request.form.get("action") == "suggest":
            if not form.size.errors and form.size.data:
                values.update(_suggested_quotas(groups, form.size.data))
            form.title.errors = []
            quota_errors = {}
        elif valid and not quota_errors:
            seed = int(form.seed.data) if form.seed.data else draws.new_seed()
            try:
                draw = draws.create_draw(form.title.data.strip(), form.size.data, quotas, seed,
                                         form.one_per_household.data, current_user)
            except InfeasibleQuotas as exc:
                problems = exc.problems
            else:
                commit()  # starts the lottery (here and now, or on the worker when REDIS_URL is set)
                if draw.status == DRAW_DONE:
                    flash("Draw complete. Check the group, then send the invitations.", "success")
                return redirect(url_for("panel.staff_draw", draw_id=draw.id))
    return render_template("panel/staff/draw_new.html", form=form, groups=groups, values=values,
                           quota_errors=quota_errors, problems=problems, panel_counts=panel_counts,
                           pool_size=len(draws.pool()))


def _draw_or_404(draw_id):
    """The draw; 404 when unknown or when its lottery hasn't finished (nothing to act on yet)."""
    draw = db.session.get(Draw, draw_id)
    if draw is None or draw.status != DRAW_DONE:
        abort(404)
    return draw


@bp.get("/staff/panel/draws/<int:draw_id>")
@roles_required(*STAFF)
def staff_draw(draw_id):
    draw = db.session.get(Draw, draw_id) or abort(404)
    if draw.status != DRAW_DONE:
        refresh = not draw.is_finished and request.args.get("refresh") != "off"
        return render_template("panel/staff/draw_status.html", draw=draw, statuses=DRAW_STATUSES,
                               refresh_seconds=REFRESH_SECONDS if refresh else None)
    record("record.viewed", subject=draw, detail={"what": "panel members selected in a draw (names and contact details)"})
    commit()
    return _draw_page(draw, invite_form=InviteForm(), seed_form=SeedForm())


@bp.post("/staff/panel/draws/<int:draw_id>/invite")
@roles_required(*STAFF)
def staff_draw_invite(draw_id):
    draw = _draw_or_404(draw_id)
    form = InviteForm()
    if not form.validate():
        return _draw_page(draw, invite_form=form), 400
    sent = draws.send_invitations(draw, form.details.data.strip())
    commit()
    flash(f"{sent} invitation(s) sent.", "success")
    return redirect(url_for("panel.staff_draw", draw_id=draw.id))


@bp.post("/staff/panel/draws/<int:draw_id>/selections/<int:selection_id>/reply")
@roles_required(*STAFF)
def staff_draw_reply(draw_id, selection_id):
    draw = _draw_or_404(draw_id)
    selection = db.session.get(DrawSelection, selection_id)
    if selection is None or selection.draw_id != draw.id or selection.member_id is None:
        abort(404)
    form = StaffReplyForm()
    error = None
    if not form.validate():
        error = form.reply.errors[0] if form.reply.errors else "Select a reply"
    else:
        try:
            draws.record_reply(selection, form.reply.data)
        except draws.ReplyRefused:
            error = "This person's place has been given to a replacement, so their reply can't be changed"
    if error:
        return _draw_page(draw, reply_errors={selection.id: error}), 400
    commit()
    flash("Reply recorded.", "success")
    return redirect(url_for("panel.staff_draw", draw_id=draw.id) + f"#selection-{selection.id}")


def _draw_page(draw, invite_form=None, seed_form=None, problems=(), reply_errors=None):
    return render_template("panel/staff/draw.html", draw=draw, report=draws.quota_report(draw),
                           invite_form=invite_form or InviteForm(formdata=None),
                           seed_form=seed_form or SeedForm(formdata=None), problems=list(problems),
                           reply_form=StaffReplyForm(formdata=None), reply_errors=reply_errors or {},
                           unchecked=draws.unchecked_households(draw))


@bp.post("/staff/panel/draws/<int:draw_id>/replacements")
@roles_required(*STAFF)
def staff_draw_replacements(draw_id):
    draw = _draw_or_404(draw_id)
    form = SeedForm()
    problems = []
    if form.validate():
        seed = int(form.seed.data) if form.seed.data else draws.new_seed()
        try:
            added = draws.draw_replacements(draw, seed)
        except InfeasibleQuotas as exc:
            problems = exc.problems
        else:
            commit()
            flash(f"{len(added)} replacement(s) drawn with seed {seed}. Send them their invitations.", "success")
            return redirect(url_for("panel.staff_draw", draw_id=draw.id))
    return _draw_page(draw, seed_form=form, problems=problems), 400


@bp.route("/staff/panel/invite", methods=["GET", "POST"])
@roles_required(*STAFF)
def staff_mailout():
    form = MailoutForm()
    open_consultations = [c for c in Consultation.query.order_by(Consultation.closes_at).all()
                          if c.is_accepting_responses]
    form.consultation.choices = [("", "Choose a consultation")] + [(c.id, c.title) for c in open_consultations]
    form.ward.choices = ward_choices(blank="All wards")
    form.topic.choices = [("", "Any topic")] + [(t.id, t.name) for t in Topic.query.order_by(Topic.name)]
    preview = None
    if request.method == "POST" and form.validate():
        consultation = next((c for c in open_consultations if c.id == form.consultation.data), None)
        valid_wards = {int(v) for v, _ in form.ward.choices if v}
        valid_topics = {v for v, _ in form.topic.choices if v}
        if consultation is None:
            form.consultation.errors = ["Select an open consultation"]
        elif form.ward.data and form.ward.data not in valid_wards:
            form.ward.errors = ["Select a ward from the list"]
        elif form.age_band.data and form.age_band.data not in {v for v, _ in form.age_band.choices}:
            form.age_band.errors = ["Select an age group from the list"]
        elif form.topic.data and form.topic.data not in valid_topics:
            form.topic.errors = ["Select a topic from the list"]
        else:
            filters = {"ward_id": form.ward.data, "age_band": form.age_band.data or None,
                       "topic_id": form.topic.data}
            preview = mailouts.preview(consultation, filters)
            # Sending needs the preview's confirm button, which carries the count it showed: if
            # the count has changed since, the officer sees the new preview instead.
            if (request.form.get("action") == "send" and preview["count"]
                    and request.form.get("expected") == str(preview["count"])):
                mailout = mailouts.send_mailout(consultation, filters, current_user)
                commit()
                hold = hold_minutes()
                flash(f"Invitation to {_small(mailout.recipients)} panel member(s) goes in {hold} minutes: you can "
                      "still cancel it under Held mailings." if hold else
                      f"Invitation sent to {_small(mailout.recipients)} panel member(s).", "success")
                return redirect(url_for("panel.staff_mailout"))
    history = PanelMailout.query.order_by(PanelMailout.sent_at.desc()).limit(20).all()
    return render_template("panel/staff/mailout.html", form=form, preview=preview, history=history,
                           now=utcnow())
