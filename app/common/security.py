"""Security headers on every response. The Content-Security-Policy also enforces the promise
that no page loads anything from another site (no CDN, fonts, analytics).

Also: HSTS in production, and `Cache-Control: no-store` wherever a page or file holds personal
data (staff pages, a resident's own pages and links, exports), so no browser or shared computer
keeps a copy on disk and the back button after signing out shows nothing.
"""
import re
import secrets
from functools import cached_property, lru_cache
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

    hsts = None
    if app.config.get("ENV_NAME") == "production":
        # Production is served over TLS only; browsers ignore this header over plain HTTP.
        hsts = f"max-age={app.config.get('HSTS_SECONDS', 31536000)}; includeSubDomains"
    fixed = [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY"),
             ("Permissions-Policy", "camera=(), microphone=(), geolocation=()")]
    if hsts:
        fixed.append(("Strict-Transport-Security", hsts))

    @app.after_request
    def _headers(response):
        # A view may have set any of these itself (setdefault): the names it set, looked at once.
        present = {name.lower() for name in response.headers.keys()}
        if "content-security-policy" not in present:
            nonce = g.get("csp_nonce")
            plain_csp, nonce_csp = _policies(current_app.config.get("MAP_TILE_URL"))
            response.headers["Content-Security-Policy"] = nonce_csp.format(nonce=nonce) if nonce else plain_csp
        for name, value in fixed:
            if name.lower() not in present:
                response.headers[name] = value
        if needs_no_store(response):
            response.headers["Cache-Control"] = "no-store"
        return response


_CSP_TEMPLATE = (
    "default-src 'self'; "
    "script-src {script_src}; "
    # pygal's inline SVG carries its own <style>; styles can't exfiltrate data under connect-src 'self'.
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'")


@lru_cache(maxsize=8)
def _policies(tile_url) -> tuple[str, str]:
    """The CSP without and with a nonce placeholder, built once per tile server setting (a map
    tile server the council configured may serve images)."""
    template = _CSP_TEMPLATE.replace("img-src 'self' data:;", f"img-src 'self' data:{tile_source(tile_url)};")
    return template.replace("{script_src}", "'self'"), template.replace("{script_src}", "'self' 'nonce-{nonce}'")


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
