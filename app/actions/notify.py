"""Emails to residents who ticked "keep me informed" on their consultation response.

They hear when the "You said, we did" page is published and when an action linked from it
changes status. Every email carries a one-click unsubscribe link (RFC 8058 headers too) that
stops updates about that consultation and forgets their email address for it.
"""
from flask import current_app
from sqlalchemy import func

from app.actions.models import ThemeResponse, YouSaidWeDid
from app.common.signing import make_token, read_token, token_expired
from app.consultations.models import Response
from app.extensions import db
from app.notifications.services import Mailing, email_link, send_email

PURPOSE = "ysyw-unsubscribe"


def recipients(consultation_id: int) -> list[tuple[str, int]]:
    """(email, id of that person's first response) for each address that asked to be kept informed."""
    email = func.lower(Response.contact_email)
    rows = (db.session.query(email, func.min(Response.id))
            .filter(Response.consultation_id == consultation_id, Response.keep_informed.is_(True),
                    Response.contact_email.is_not(None), Response.contact_email != "")
            .group_by(email).order_by(email).all())
    return [(address, response_id) for address, response_id in rows]


def unsubscribe_token(response_id: int) -> str:
    """A signed link naming a response by its id only: the address itself is never in the link
    (it would otherwise be readable by anyone who sees the URL, e.g. in logs)."""
    return make_token(PURPOSE, {"r": response_id})


def link_max_age_seconds() -> int:
    return current_app.config.get("UNSUBSCRIBE_LINK_MAX_AGE_DAYS", 365) * 86400


def unsubscribe_link_expired(token: str) -> bool:
    return token_expired(PURPOSE, token or "", link_max_age_seconds())


def read_unsubscribe(token: str):
    """The link's data, or None when it is tampered with or older than UNSUBSCRIBE_LINK_MAX_AGE_DAYS
    (a link from an old email, perhaps forwarded or in a shared mailbox, stops working)."""
    data = read_token(PURPOSE, token or "", max_age_seconds=link_max_age_seconds())
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("r"), int):
        return data
    # Links in emails sent before tokens became opaque carried the consultation and address.
    if isinstance(data.get("c"), int) and isinstance(data.get("e"), str):
        return data
    return None


def unsubscribe(data: dict) -> int:
    """Stop updates for this consultation and drop the stored address. Returns responses changed."""
    if "r" in data:
        response = db.session.get(Response, data["r"])
        if response is None or not response.contact_email:
            return 0  # already unsubscribed (or the response was deleted): nothing to do
        consultation_id, email = response.consultation_id, response.contact_email.lower()
    else:
        consultation_id, email = data["c"], data["e"]
    responses = Response.query.filter(Response.consultation_id == consultation_id,
                                      func.lower(Response.contact_email) == email).all()
    for response in responses:
        response.keep_informed = False
        response.contact_email = None
    db.session.flush()
    return len(responses)


def _send(consultation, email: str, response_id: int, subject: str, body: str, mailing: Mailing | None = None):
    link = email_link("actions.unsubscribe", token=unsubscribe_token(response_id))
    body += (f"\n\nYou are getting this because you asked to be kept informed when you responded to "
             f"“{consultation.title}”.\nTo stop these emails: {link}\n")
    send_email(email, subject, body, headers={"List-Unsubscribe": f"<{link}>",
                                              "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
               kind="action_update", personalisation={"consultation": consultation.title, "unsubscribe_link": link},
               mailing=mailing)


def ysyw_mailing(page: YouSaidWeDid) -> Mailing:
    """The held mailing of a page's publication: withdrawing the page within the hold stops it."""
    return Mailing(f"ysyw:{page.id}", f"You said, we did: {page.consultation.title}")


def notify_published(page: YouSaidWeDid) -> int:
    consultation = page.consultation
    link = email_link("actions.ysyw_show", consultation_id=consultation.id)
    council = current_app.config["COUNCIL_NAME"]
    sent = 0
    mailing = ysyw_mailing(page)
    for email, response_id in recipients(consultation.id):
        body = (f"Thank you for responding to “{consultation.title}”.\n\n"
                f"{council} has published what residents told us and what we are doing about it:\n{link}")
        _send(consultation, email, response_id, f"You said, we did: {consultation.title}", body, mailing)
        sent += 1
    return sent


def notify_action_status(action) -> int:
    """Email followers of every published page that points at this action (not while it is
    unpublished: the link would lead nowhere)."""
    if not action.is_public:
        return 0
    pages = (YouSaidWeDid.query.filter(YouSaidWeDid.published_at.is_not(None))
             .filter(YouSaidWeDid.responses.any(ThemeResponse.action_id == action.id)).all())
    link = email_link("actions.action_show", action_id=action.id)
    sent = 0
    for page in pages:
        consultation = page.consultation
        for email, response_id in recipients(consultation.id):
            lines = [f"An action the council took after “{consultation.title}” has a new status.", "",
                     f"{action.display_title}", f"Status: {action.status_label}"]
            if action.status == "cant_proceed" and action.status_reason:
                lines.append(f"Why: {action.status_reason}")
            lines += ["", f"See its progress: {link}"]
            _send(consultation, email, response_id, f"Update: {action.title[:120]}", "\n".join(lines))
            sent += 1
    return sent
