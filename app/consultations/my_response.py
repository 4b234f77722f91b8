""""What happened to my response": one resident follows their own response to its outcome.

A resident has their reference (confirmation page and email) or the signed link in their
confirmation email. Once the consultation's results are published they see the themes their
written answers joined, the actions an officer confirmed those themes inform (status and latest
progress update) and the "You said, we did" response to each theme.

Privacy: nothing about anyone else is shown (no theme sizes, no other comments, no counts), and
not the resident's own words either: a reference is a bearer secret, so whoever holds it learns
only what the council published plus which themes that response joined. A reference that does
not exist gets exactly the page of a real one whose results are not published (`Outcome`
without a consultation), so guessing (also rate-limited in the route) learns nothing.
"""
import re
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from app.common.signing import make_token, read_token
from app.consultations.models import Answer, Consultation, Response
from app.extensions import db

TOKEN_PURPOSE = "my-response"
REFERENCE_MAX = 40  # longer input is refused with a message: a reference is 9 characters


def normalise_reference(typed: str) -> str:
    """What a resident typed as a reference, in the stored form (e.g. "k7qp 3mzd" -> "K7QP-3MZD")."""
    compact = re.sub(r"[\s\-–—.]+", "", typed or "").upper()
    return f"{compact[:4]}-{compact[4:]}" if len(compact) == 8 else compact


def find_by_reference(typed: str) -> Response | None:
    reference = normalise_reference(typed)
    if not reference:
        return None
    return db.session.scalars(select(Response).where(Response.reference == reference)).first()


def link_token(response: Response) -> str:
    """The signed link's token: names the response by id; it cannot be made without SECRET_KEY."""
    return make_token(TOKEN_PURPOSE, {"r": response.id})


def find_by_token(token: str) -> tuple[bool, Response | None]:
    """(the token is genuine, its response or None if the response has since been deleted)."""
    data = read_token(TOKEN_PURPOSE, token or "")
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        return False, None
    return True, db.session.get(Response, data["r"])


@dataclass
class ThemeOutcome:
    theme: object  # app.themes.models.Theme, active (merges followed)
    question: object
    ysyw: object | None = None  # app.actions.models.ThemeResponse when its page is published
    actions: list = field(default_factory=list)  # Actions an officer confirmed the theme informs


@dataclass
class Outcome:
    reference: str
    consultation: Consultation | None = None  # None: nothing may be shown yet (or no such reference)
    published: bool = False
    themes: list[ThemeOutcome] = field(default_factory=list)
    ysyw_page: object | None = None  # the published "You said, we did" page, if any


def outcome(response: Response | None, reference: str, name_consultation: bool = False) -> Outcome:
    """What the resident may see. `name_consultation` (the signed link only) names the consultation
    before results are published: the link cannot be guessed, a typed reference can."""
    result = Outcome(reference=reference)
    if response is None:
        return result
    consultation = response.consultation
    if consultation.status != "published":
        if name_consultation and consultation.launched_at is not None:
            result.consultation = consultation
        return result
    result.consultation, result.published = consultation, True
    result.ysyw_page = _published_page(consultation)
    result.themes = _themes_of(response, result.ysyw_page)
    return result


def _published_page(consultation):
    from app.actions.models import YouSaidWeDid

    return db.session.scalars(select(YouSaidWeDid).where(
        YouSaidWeDid.consultation_id == consultation.id, YouSaidWeDid.published_at.is_not(None))).first()


def _themes_of(response: Response, page) -> list[ThemeOutcome]:
    from app.themes.models import ThemeAssignment
    from app.themes.services import resolve

    rows = db.session.execute(
        select(ThemeAssignment, Answer).join(Answer, ThemeAssignment.answer_id == Answer.id)
        .where(Answer.response_id == response.id)).all()
    positions = {q.id: q.position for q in response.consultation.questions}
    rows.sort(key=lambda row: (positions.get(row[1].question_id, 0), row[1].id, row[0].rank))
    by_theme = {}
    for assignment, answer in rows:
        theme = resolve(assignment.theme)
        if theme is None or not theme.is_active or theme.id in by_theme:
            continue
        by_theme[theme.id] = ThemeOutcome(theme=theme, question=answer.question,
                                          ysyw=_ysyw_for(theme, page), actions=_confirmed_actions(theme))
    return list(by_theme.values())


def _ysyw_for(theme, page):
    if page is None:
        return None
    return next((r for r in page.responses if any(t.id == theme.id for t in r.themes)), None)


def _confirmed_actions(theme) -> list:
    """Only links an officer confirmed: a machine suggestion is not a council decision."""
    return sorted((link.action for link in theme.action_links if link.status == "confirmed" and link.action.is_public),
                  key=lambda a: (a.plan_id, a.position, a.id))


def send_confirmation(response: Response) -> None:
    """Email the reference and the signed link to a resident who gave an address (after commit)."""
    from app.notifications.services import email_link, send_email

    if not response.contact_email:
        return
    consultation = response.consultation
    council = current_app.config["COUNCIL_NAME"]
    link = email_link("consultations.my_response_link", token=link_token(response))
    body = (f"Thank you for responding to “{consultation.title}”.\n\n"
            f"Your reference number is {response.reference}\n\n"
            f"After the consultation closes, {council} will publish what people told us and what we are "
            f"doing about it. Then you can see what happened to your response, including the themes "
            f"your comments were part of and how the council's actions are going:\n{link}\n\n"
            f"Keep this email private: anyone with this link or your reference number can see that page.\n")
    send_email(response.contact_email, f"Response sent: {consultation.title}", body, kind="response_confirmation",
               personalisation={"consultation": consultation.title, "reference": response.reference, "link": link})
