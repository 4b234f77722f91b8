"""Readers of a consultation's staff pages: councillors read the consultations of their ward.

`scope_readers(blueprint)` applies app.common.auth.can_read_consultation() to every /staff view of
a blueprint, so a view added later inherits it without doing anything:

- a staff user who may edit (admin, officer) is not affected;
- anyone else (a councillor) is refused every method but GET and HEAD, and every view whose
  `roles_required(...)` leaves them out: that is how a view declares itself *editing*, even on
  GET (an edit form), e.g. `@roles_required(*EDITORS)`;
- a GET view names its consultation through its URL: `consultation_id`, `question_id`,
  `theme_id` or `analysis_id` (see RESOLVERS). The consultation is looked up from that argument
  and the reader gets a 404 if it does not exist and a 403 if it is not theirs;
- a GET view with none of those arguments is refused to readers unless it is marked
  `@lists_only_readable`: a list page that itself shows only what can_read_consultation() allows.

Templates of the blueprint get `can_edit` (True for admins and officers) to hide edit buttons.
"""
from flask import abort, current_app, request
from flask_login import current_user

from app.common.auth import can_edit_consultation, can_read_consultation
from app.extensions import db

READ_METHODS = ("GET", "HEAD")


def _by_consultation(consultation_id):
    from app.consultations.models import Consultation

    return db.session.get(Consultation, consultation_id)


def _by_question(question_id):
    from app.consultations.models import Question

    question = db.session.get(Question, question_id)
    return question.consultation if question else None


def _by_theme(theme_id):
    from app.themes.models import Theme

    theme = db.session.get(Theme, theme_id)
    return theme.question.consultation if theme else None


def _by_analysis(analysis_id):
    from app.themes.models import ThemeAnalysis

    analysis = db.session.get(ThemeAnalysis, analysis_id)
    return analysis.question.consultation if analysis else None


# URL argument -> the consultation it belongs to (None when there is no such row). The first
# argument found in this order decides; a view with several (consultation and question) is
# checked by the widest, and each view still checks that its objects belong together.
RESOLVERS = {"consultation_id": _by_consultation, "question_id": _by_question,
             "theme_id": _by_theme, "analysis_id": _by_analysis}


def consultation_from_view_args(view_args: dict):
    """(True, consultation or None) if the URL names a consultation, else (False, None)."""
    for name, resolve in RESOLVERS.items():
        if name in (view_args or {}):
            return True, resolve(view_args[name])
    return False, None


def lists_only_readable(view):
    """Mark a view with no consultation in its URL that readers may open because it filters
    what it shows through can_read_consultation() itself (e.g. a list of consultations)."""
    view.lists_only_readable = True
    return view


def check_reader():
    """The before_request rule; None lets the request through."""
    if not request.path.startswith("/staff/") or not current_user.is_authenticated \
            or can_edit_consultation(current_user):
        return None
    view = current_app.view_functions.get(request.endpoint)
    roles = getattr(view, "allowed_roles", None)
    if roles is not None and current_user.role not in roles:
        abort(403)  # an editing view, or one not for this role at all
    if request.method not in READ_METHODS:
        abort(403)  # readers never change anything, whatever a view forgot to declare
    named, consultation = consultation_from_view_args(request.view_args)
    if not named:
        if getattr(view, "lists_only_readable", False):
            return None
        abort(403)
    if consultation is None:
        abort(404)
    if not can_read_consultation(current_user, consultation):
        abort(403)
    return None


def scope_readers(blueprint):
    """Apply the reader rule to every /staff view of `blueprint` (after its protect(), if any)."""
    blueprint.before_request(check_reader)

    @blueprint.context_processor
    def _can_edit():
        return {"can_edit": can_edit_consultation(current_user)}

    return blueprint
