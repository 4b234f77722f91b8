"""Security headers on every response. The Content-Security-Policy also enforces the promise
that no page loads anything from another site (no CDN, fonts, analytics)."""
import secrets
from functools import cached_property

from flask import Request, g
from werkzeug.datastructures import ImmutableMultiDict


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def register(app):
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def _headers(response):
        nonce = g.get("csp_nonce")
        script_src = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
        response.headers.setdefault("Content-Security-Policy", (
            "default-src 'self'; "
            f"script-src {script_src}; "
            # pygal's inline SVG carries its own <style>; styles can't exfiltrate data under connect-src 'self'.
            "style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class CleanRequest(Request):
    """Form fields and query strings with NUL bytes removed.

    PostgreSQL text can't hold NUL, so a pasted or crafted one would otherwise be a 500 on any
    form or search; nobody means to type one.
    """

    @cached_property
    def args(self):
        return _without_nul(super().args)

    def _load_form_data(self):
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form is not None:
            self.__dict__["form"] = _without_nul(form)


def _without_nul(values):
    if not any("\x00" in key or "\x00" in value for key, value in values.items(multi=True)):
        return values
    return ImmutableMultiDict([(key.replace("\x00", ""), value.replace("\x00", ""))
                               for key, value in values.items(multi=True)])
