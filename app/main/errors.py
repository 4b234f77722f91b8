"""Friendly error pages: nothing a user types or clicks should end in a bare 500."""
import logging

from flask import render_template
from flask_wtf.csrf import CSRFError

log = logging.getLogger(__name__)

PAGES = {
    400: ("Sorry, there is a problem with that request", ["Go back and try again."]),
    403: ("You do not have permission to see this page", ["If you think you should, ask your administrator."]),
    404: ("Page not found", ["If you typed the web address, check it is correct.",
                             "If you pasted the web address, check you copied the entire address."]),
    405: ("Sorry, that action is not allowed here", ["Go back and try again."]),
    413: ("That was too large to send", ["Make your answer shorter, or send a smaller file."]),
    429: ("Too many attempts", ["Wait a few minutes, then try again."]),
    # A failure can come after the database stored something, so never say "not saved".
    500: ("Sorry, there is a problem with the service", [
        "If you were sending a form, we may or may not have saved it.",
        "Go back and send it again: a form sent twice is only saved once. If you see a reference "
        "number, your answers are saved.",
        "If it keeps happening, try again later."]),
}


def _render(code):
    heading, lines = PAGES[code]
    return render_template("errors/error.html", heading=heading, lines=lines), code


def _own_page(exc):
    """A page the view built itself for this error, e.g. a rate-limited form re-shown with what
    was typed (Flask-Limiter's on_breach puts it on the exception)."""
    return getattr(exc, "response", None)


def _refused(code):
    """Refused access and methods the app does not serve are logged (ASVS 7.2.2, 14.5.1): who,
    what and the path, so an operator can spot someone probing. The request id is on each line."""
    from flask import request
    from flask_login import current_user

    who = (f"user {current_user.id} ({current_user.role})" if current_user and current_user.is_authenticated
           else "anonymous")
    what = "access denied" if code == 403 else "method not allowed"
    log.warning("%s: %s %s %s from %s", what, who, request.method, request.path, request.remote_addr)


def register(app):
    for code in PAGES:
        app.register_error_handler(code, lambda exc, code=code: _own_page(exc) or _render(code))

    for code in (403, 405):
        def _logged(exc, code=code):
            _refused(code)
            page = _own_page(exc) or _render(code)
            if code == 405 and getattr(exc, "valid_methods", None) and isinstance(page, tuple):
                # A 405 must say which methods the address does take (RFC 9110).
                page = (*page, {"Allow": ", ".join(exc.valid_methods)})
            return page

        app.register_error_handler(code, _logged)

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        from flask import request

        # A form without a valid token: a timed-out page, or a forged cross-site post (ASVS 7.1.3).
        log.warning("csrf refused: %s %s from %s (%s)", request.method, request.path, request.remote_addr,
                    exc.description)
        heading = "Your session timed out or the form was sent twice"
        lines = ["Go back, refresh the page and try again. We did not save anything."]
        return render_template("errors/error.html", heading=heading, lines=lines), 400

    @app.errorhandler(500)
    def _server_error(exc):
        from app.extensions import db

        db.session.rollback()
        log.exception("server error")
        from app.common.logs import current_request_id

        # The same id is on the log line: a resident can quote it and support can find the error.
        heading, lines = PAGES[500]
        return render_template("errors/error.html", heading=heading, lines=lines,
                               reference=current_request_id()), 500
