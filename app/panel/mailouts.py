"""Inviting the whole panel, or part of it, to an open consultation by email (or by text, for
members who chose texts, when GOV.UK Notify is set up)."""
from flask import current_app

from app.extensions import db
from app.notifications.notify import texts_available
from app.notifications.services import Mailing, email_link, send_email, send_sms
from app.panel.membership import manage_link
from app.panel.models import ACTIVE, PanelMailout, PanelMember


def recipients(ward_id=None, age_band=None, topic_id=None):
    """Confirmed, not paused members who prefer email (or text), narrowed by the filters given."""
    return _recipients_query(ward_id, age_band, topic_id).order_by(PanelMember.id).all()


def _recipients_query(ward_id=None, age_band=None, topic_id=None, prefers_email=True):
    """prefers_email=False: those the mail-out skips because they asked for a call (or a text,
    when texts can't be sent)."""
    reached = PanelMember.contact_method.in_(["email", "text"] if texts_available() else ["email"])
    query = PanelMember.query.filter(PanelMember.status == ACTIVE, reached if prefers_email else ~reached)
    if ward_id:
        query = query.filter(PanelMember.ward_id == ward_id)
    if age_band:
        query = query.filter(PanelMember.age_band == age_band)
    if topic_id:
        query = query.filter(PanelMember.topics.any(id=topic_id))
    return query


def preview(consultation, filters: dict) -> dict:
    """What sending would do: how many are emailed, how many skipped (prefer phone or text), and
    earlier mail-outs of the same consultation, so nobody is invited twice by accident."""
    return {"consultation": consultation, "count": _recipients_query(**filters).count(),
            "skipped": _recipients_query(**filters, prefers_email=False).count(),
            "earlier": PanelMailout.query.filter_by(consultation_id=consultation.id)
            .order_by(PanelMailout.sent_at).all()}


def send_mailout(consultation, filters: dict, user) -> PanelMailout:
    if not consultation.is_accepting_responses:
        raise ValueError("Only an open consultation can be sent to the panel.")
    people = recipients(**filters)
    council = current_app.config["COUNCIL_NAME"]
    link = email_link("consultations.show", consultation_id=consultation.id)
    mailout = PanelMailout(consultation_id=consultation.id, filters={k: v for k, v in filters.items() if v},
                           recipients=len(people), sent_by_id=getattr(user, "id", None))
    db.session.add(mailout)
    db.session.flush()
    mailing = Mailing(f"panel:{mailout.id}", f"Citizens' Panel invitation: {consultation.title}")
    for member in people:
        manage = manage_link(member)
        fields = {"name": member.name, "consultation": consultation.title, "summary": consultation.summary,
                  "link": link, "manage_link": manage}
        if member.texts:
            send_sms(member.mobile, "panel_mailout", f"{council}: {member.name}, as a Citizens' Panel member we "
                     f"would like your views on {consultation.title}. Respond here: {link}", personalisation=fields,
                     mailing=mailing)
            continue
        send_email(member.email, f"Have your say: {consultation.title}",
                   f"Hello {member.name},\n\nAs a member of the Citizens' Panel, we would like your views on: "
                   f"{consultation.title}\n\n{consultation.summary}\n\nRead more and respond here:\n{link}\n\n"
                   f"To update your details, pause or leave the panel:\n{manage}\n\n{council}",
                   kind="panel_mailout", personalisation=fields, mailing=mailing)
    return mailout
