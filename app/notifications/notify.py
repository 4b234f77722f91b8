"""GOV.UK Notify: email, text messages and letters through the official client.

Every message is sent with a template set up in Notify; config NOTIFY_TEMPLATES maps each kind
of message ("<channel>:<kind>", e.g. "sms:surgery_reminder") to its template id. A kind without
its own template uses "<channel>:default", a template whose whole content is ((body)) (and
((subject)) for email and letters). Every message's personalisation carries `subject` and `body`
(our own wording) besides its kind's own placeholders, so either kind of template works.
See docs/deploy.md, "GOV.UK Notify".
"""
import re

from flask import current_app
from notifications_python_client.notifications import NotificationsAPIClient

LETTER_LINES = 7  # Notify takes address_line_1 to address_line_7; the last given must be the postcode


class NotifyError(Exception):
    """Notify is not set up for this message (no key or no template): it waits in the outbox."""


def configured() -> bool:
    return bool(current_app.config.get("NOTIFY_API_KEY"))


def texts_available() -> bool:
    """Residents are offered text messages only when Notify can send them."""
    return configured()


def template_id(channel: str, kind: str) -> str:
    templates = current_app.config.get("NOTIFY_TEMPLATES") or {}
    found = templates.get(f"{channel}:{kind}") or templates.get(f"{channel}:default")
    if not found:
        raise NotifyError(f"no GOV.UK Notify template for {channel}:{kind} (set NOTIFY_TEMPLATE_"
                          f"{channel.upper()}_{kind.upper()} or NOTIFY_TEMPLATE_{channel.upper()}_DEFAULT)")
    return found


def _client() -> NotificationsAPIClient:
    """A client per send: the library's client is not thread-safe, and it is cheap to make."""
    config = current_app.config
    if not configured():
        raise NotifyError("GOV.UK Notify is not set up (NOTIFY_API_KEY)")
    return NotificationsAPIClient(config["NOTIFY_API_KEY"], base_url=config["NOTIFY_BASE_URL"],
                                  timeout=config.get("NOTIFY_TIMEOUT_SECONDS", 15))


def personalisation(record) -> dict:
    values = {"subject": record.subject, "body": record.body_text}
    values.update(record.personalisation or {})
    return {key: ("" if value is None else value) for key, value in values.items()}


def _unsubscribe_url(record) -> str | None:
    match = re.fullmatch(r"<([^>]+)>", ((record.headers or {}).get("List-Unsubscribe") or "").strip())
    return match.group(1) if match else None


def send(record) -> str:
    """Send one outbox row through Notify; returns Notify's notification id.

    Raises the client's HTTPError (400, 403, 429, 500...) or NotifyError; the caller keeps the
    row for a retry. `reference` is the outbox row's id, so Notify's records can be matched."""
    template = template_id(record.channel, record.kind)
    client, fields = _client(), personalisation(record)
    reference = f"outbox-{record.id}"
    if record.channel == "sms":
        reply = client.send_sms_notification(record.to, template, personalisation=fields, reference=reference)
    elif record.channel == "letter":
        reply = client.send_letter_notification(template, fields, reference=reference)
    else:
        # Notify doesn't take attachments (an .ics invitation): the email's text carries the details.
        reply = client.send_email_notification(record.to, template, personalisation=fields, reference=reference,
                                               one_click_unsubscribe_url=_unsubscribe_url(record))
    return (reply or {}).get("id", "")


def address_fields(lines: list[str]) -> dict:
    """Address lines (the addressee first, the postcode last) as Notify's letter placeholders."""
    lines = [line.strip() for line in lines if line and line.strip()]
    if not 3 <= len(lines) <= LETTER_LINES:
        raise ValueError(f"A letter needs 3 to {LETTER_LINES} address lines, the last being the postcode")
    return {f"address_line_{n}": line for n, line in enumerate(lines, start=1)}


_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def check_settings(config):
    """At start-up: a mistyped key or MAIL_BACKEND=notify without one would otherwise only show
    as every message waiting in the outbox."""
    key = config.get("NOTIFY_API_KEY")
    if key and not re.fullmatch(rf".+-{_UUID}-{_UUID}", key.strip(), re.IGNORECASE):
        raise RuntimeError("NOTIFY_API_KEY must be the whole key from GOV.UK Notify: name-serviceid-secret, "
                           "where serviceid and secret are UUIDs.")
    if config.get("MAIL_BACKEND") == "notify" and not key:
        raise RuntimeError("MAIL_BACKEND=notify needs NOTIFY_API_KEY (docs/deploy.md, \"GOV.UK Notify\").")
