"""The admin's read-only view of the audit log. There is no route to change or delete events."""
from datetime import datetime, time, timedelta

from flask import Blueprint, render_template, request

from app.audit.forms import AuditFilterForm
from app.audit.services import EVENTS, search
from app.common.auth import ADMIN, protect
from app.common.timeutil import london_to_utc
from app.extensions import db

bp = protect(Blueprint("audit", __name__, template_folder="templates"), ADMIN)
PER_PAGE = 50


def _start_of(day):
    return london_to_utc(datetime.combine(day, time.min))


@bp.get("/staff/admin/audit")
def index():
    form = AuditFilterForm(request.args)
    page = None
    if form.validate():
        start = _start_of(form.start.data) if form.start.data else None
        end = _start_of(form.end.data + timedelta(days=1)) if form.end.data else None
        if start and end and end <= start:
            form.end.add_error("To must be the same as or after From")
        else:
            page = db.paginate(search(form.event.data, (form.actor.data or '').strip(), form.outcome.data, start, end),
                               page=request.args.get("page", 1, type=int), per_page=PER_PAGE,
                               max_per_page=PER_PAGE, error_out=False)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("audit/index.html", form=form, page=page, args=args, events=EVENTS), \
        200 if page is not None else 400
