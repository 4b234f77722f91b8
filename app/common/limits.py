"""Abuse limits on the public forms that send email or create rows.

Each form has two counts, kept in Flask-Limiter's storage (Redis when REDIS_URL is set, so every
worker process shares them; see docs/security-operations.md for the table):

- per client address (the real one, after TRUSTED_PROXIES): one machine can't create rows by
  the hundred;
- per target address (a keyed hash of the email address typed, never the address itself): nobody
  can flood someone else's inbox.

A route calls `over_limit(name, form, email=...)` once the form is valid and before it creates
or sends anything. Only valid submissions count, so a resident fixing a typo doesn't use up a
limit. When refused, the form is shown again with everything typed still in it and the reason
in the GOV.UK error summary (status 429). Every POST to these pages is also under a generous
Flask-Limiter decorator per client address (the 429 page), against floods of junk.
"""
import hashlib
import hmac
import logging

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse

from app.extensions import limiter

log = logging.getLogger(__name__)

# Form: (per client address, per target address). Overridable with ABUSE_LIMIT_<FORM>_<CLIENT|TARGET>.
LIMITS = {
    "panel_join": ("10 per hour", "3 per hour"),
    "panel_manage_link": ("20 per hour", "3 per hour"),
    "surgery_booking": ("10 per hour", "5 per hour"),
    "surgery_change": ("20 per hour", "5 per hour"),
    "consultation_response": ("30 per hour", None),
    "account_registration": ("10 per hour", "3 per hour"),
    "tracker_response": ("30 per hour", None),
    "deliberation_statement": ("10 per hour", None),  # residents' statements (app/deliberation)
    "conversation_host": ("10 per hour", "3 per hour"),
    "conversation_record": ("30 per hour", None),
}
# Every POST to a public form, valid or not (a Flask-Limiter decorator: the 429 page).
POSTS_PER_CLIENT = "30 per minute"

TARGET_MESSAGE = ("We have already sent several emails to this address in the last {window}. Check your "
                  "inbox and spam folder, or try again in {window_a}")
CLIENT_MESSAGE = ("Too many forms have been sent from your internet connection in the last {window}. "
                  "Try again in {window_a}. What you typed has been kept")


def limit_for(name: str, kind: str) -> str | None:
    overrides = current_app.config.get("ABUSE_LIMITS") or {}
    client, target = LIMITS[name]
    return overrides.get(f"{name}_{kind}", client if kind == "client" else target)


def client_key() -> str:
    """The client's address: ProxyFix has already replaced the peer with the real client when
    TRUSTED_PROXIES is set."""
    return get_remote_address() or "unknown"


def target_key(email: str) -> str:
    """A keyed hash of the address, so the limit storage never holds anyone's email address."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"limit-target:" + (email or "").strip().lower().encode(),
                    hashlib.sha256).hexdigest()[:32]


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True) and limiter.enabled
                and limiter.initialized)


def _hit(limit_text: str, *identifiers) -> bool:
    """Count one and say whether it is still within the limit (one atomic increment)."""
    try:
        return limiter.limiter.hit(parse(limit_text), "form", *identifiers)
    except Exception:  # noqa: BLE001 - a storage outage must not stop residents taking part
        log.exception("abuse limit storage unreachable; %s not counted", identifiers[0])
        return True


def _window(limit_text: str) -> tuple[str, str]:
    item = parse(limit_text)
    unit = item.GRANULARITY.name
    if item.multiples == 1:
        return unit, ("an " if unit == "hour" else "a ") + unit
    return f"{item.multiples} {unit}s", f"{item.multiples} {unit}s"


def over_limit(name: str, form, email: str | None = None, target_message: str = TARGET_MESSAGE) -> bool:
    """Count this valid submission; True (with the reason on `form`) when it must be refused.

    `email` is the address this submission would send to; the refusal for too many to it goes
    beside the form's email field (or in the summary when the form has none)."""
    if not _enabled():
        return False
    target_limit = limit_for(name, "target")
    if email and target_limit and not _hit(target_limit, name, "target", target_key(email)):
        window, window_a = _window(target_limit)
        message = target_message.format(window=window, window_a=window_a)
        field = getattr(form, "email", None)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)
        return True
    client_limit = limit_for(name, "client")
    if client_limit and not _hit(client_limit, name, "client", client_key()):
        window, window_a = _window(client_limit)
        form.form_errors.append(CLIENT_MESSAGE.format(window=window, window_a=window_a))
        return True
    return False


def decorated(name: str, field: str = "email"):
    """Both limits of `name` as Flask-Limiter decorators, for a route whose own code is left alone
    (the 429 page instead of the form): counted only when the submission succeeded (a redirect),
    keyed by client address and by the posted address in `field`."""
    from flask import request

    def succeeded(response):
        return response.status_code in (302, 303)

    def target():
        # No address means the form fails and nothing is counted; the key just has to be non-empty.
        return target_key(request.form[field]) if request.form.get(field) else "no-address"

    def limit_value(kind):
        return lambda: limit_for(name, kind) or "1000000 per second"

    def wrap(view):
        view = limiter.limit(limit_value("target"), key_func=target, methods=["POST"], deduct_when=succeeded,
                             scope=f"form-{name}-target")(view)
        return limiter.limit(limit_value("client"), key_func=client_key, methods=["POST"], deduct_when=succeeded,
                             scope=f"form-{name}-client")(view)
    return wrap
