"""Security headers on every response. The Content-Security-Policy also enforces the promise
that no page loads anything from another site (no CDN, fonts, analytics).

Also: HSTS in production, and `Cache-Control: no-store` wherever a page or file holds personal
data (staff pages, a resident's own pages and links, exports), so no browser or shared computer
keeps a copy on disk and the back button after signing out shows nothing.
"""
import re
import secrets
from functools import cached_property
from urllib.parse import urlsplit

from flask import Request, current_app, g, request
from werkzeug.datastructures import ImmutableMultiDict

# Paths whose pages show personal data: staff pages, account pages and the pages that signed
# links open (panel membership, surgery bookings, invitations, unsubscribing).
PERSONAL_PATHS = ("/staff", "/account", "/sign-in", "/create-account", "/invitation/", "/panel/manage/",
                  "/panel/confirm/", "/panel/reply/", "/surgeries/booking/", "/unsubscribe/")
# Files that are exports or personal documents, whatever their path.
EXPORT_TYPES = {"text/csv", "text/calendar"}


def needs_no_store(response) -> bool:
    if request.endpoint == "static":
        return False
    if request.method == "POST" or request.path.startswith(PERSONAL_PATHS):
        return True  # a POST's page echoes what was typed (and staff work)
    if request.path.endswith("/respond/confirmation"):
        return True  # the resident's reference number
    if response.mimetype in EXPORT_TYPES or "attachment" in response.headers.get("Content-Disposition", ""):
        return True
    from flask_login import current_user

    return bool(current_user and current_user.is_authenticated)  # the header shows their name


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def tile_source(url) -> str:
    """" https://tiles.example" for a map tile server the council configured (MAP_TILE_URL), so
    browsers may show its images; "" when there is none (the default: nothing from elsewhere)."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return ""
    host = parts.netloc.replace("{s}.", "*.")  # Leaflet's {s} subdomains a, b, c
    return f" {parts.scheme}://{host}" if re.fullmatch(r"[A-Za-z0-9.*:-]+", host) else ""


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
            f"img-src 'self' data:{tile_source(current_app.config.get('MAP_TILE_URL'))}; font-src 'self'; connect-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if current_app.config.get("ENV_NAME") == "production":
            # Production is served over TLS only; browsers ignore this header over plain HTTP.
            seconds = current_app.config.get("HSTS_SECONDS", 31536000)
            response.headers.setdefault("Strict-Transport-Security", f"max-age={seconds}; includeSubDomains")
        if needs_no_store(response):
            response.headers["Cache-Control"] = "no-store"
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
