"""What a ward's public page shows, gathered from the domains that own each part.

Actions have no ward of their own (an action plan is borough-wide), so "actions in this ward" are
the actions the council tied to what residents of this ward said: actions an officer confirmed
as answering a theme of a consultation held only in this ward (and some others), and actions a
published "You said, we did" page for such a consultation points to. Borough-wide consultations
are left out of that list, or every ward would show the whole plan; the page links to the
borough's progress dashboard instead.
"""
import re

from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.actions.models import Action, ThemeResponse, YouSaidWeDid
from app.actions.ysyw import published_pages
from app.common.auth import COUNCILLOR
from app.common.timeutil import utcnow
from app.consultations import services as consultations
from app.consultations.models import Consultation, Question, consultation_wards
from app.extensions import db
from app.places import pages as place_pages
from app.surgeries.bookings import upcoming_in_ward
from app.wards import updates
from app.wards.models import Ward

SURGERIES_SHOWN = 3


SLUG_RE = re.compile(r"[a-z0-9-]{1,120}")  # what services.slugify makes


def ward_by_slug(slug: str):
    """The ward, or None; an address no slug could be (a NUL byte, say) never reaches the database."""
    if not SLUG_RE.fullmatch(slug or ""):
        return None
    return Ward.query.filter_by(slug=slug).first()


def councillors(ward):
    return (User.query.filter_by(role=COUNCILLOR, ward_id=ward.id, active=True)
            .order_by(User.name).all())


def open_consultations(ward):
    """(consultations for this ward alone or with a few others, borough-wide ones), soonest closing first."""
    found = sorted(consultations.list_public(status="open", ward_id=ward.id), key=lambda c: c.closes_at)
    return [c for c in found if not c.borough_wide], [c for c in found if c.borough_wide]


def _ward_consultation_ids(ward):
    """Launched consultations held in this ward specifically (not borough-wide)."""
    return (db.select(Consultation.id)
            .join(consultation_wards, consultation_wards.c.consultation_id == Consultation.id)
            .where(consultation_wards.c.ward_id == ward.id, Consultation.borough_wide.is_(False),
                   Consultation.launched_at.is_not(None)))


def ward_actions(ward):
    """Actions tied to this ward's own consultations (see the module docstring), by plan order."""
    from app.themes.models import Theme, ThemeActionLink

    ward_consultations = _ward_consultation_ids(ward)
    published_ysyw = db.select(YouSaidWeDid.consultation_id).where(YouSaidWeDid.published_at.is_not(None))
    public_consultations = (db.select(Consultation.id).where(
        Consultation.id.in_(ward_consultations),
        or_(Consultation.results_published_at.is_not(None), Consultation.id.in_(published_ysyw))))
    via_themes = (db.select(ThemeActionLink.action_id)
                  .join(Theme, Theme.id == ThemeActionLink.theme_id)
                  .join(Question, Question.id == Theme.question_id)
                  .where(ThemeActionLink.status == "confirmed", Theme.merged_into_id.is_(None),
                         Theme.not_relevant.is_(False), Question.consultation_id.in_(public_consultations)))
    via_ysyw = (db.select(ThemeResponse.action_id)
                .join(YouSaidWeDid, YouSaidWeDid.id == ThemeResponse.page_id)
                .where(ThemeResponse.action_id.is_not(None), YouSaidWeDid.published_at.is_not(None),
                       YouSaidWeDid.consultation_id.in_(ward_consultations)))
    return (Action.query.filter(or_(Action.id.in_(via_themes), Action.id.in_(via_ysyw)))
            .options(selectinload(Action.updates))  # each row shows its latest update
            .order_by(Action.plan_id, Action.position, Action.id).all())


def you_said_we_did(ward):
    """(published pages of this ward's own consultations, borough-wide ones), newest first."""
    pages = published_pages(ward_id=ward.id)
    return ([p for p in pages if not p.consultation.borough_wide],
            [p for p in pages if p.consultation.borough_wide])


def page_content(ward, update_page: int = 1) -> dict:
    ward_open, borough_open = open_consultations(ward)
    ward_ysyw, borough_ysyw = you_said_we_did(ward)
    ward_updates, older = updates.for_ward(ward, update_page)
    return {
        "ward": ward,
        "councillors": councillors(ward),
        "surgeries": upcoming_in_ward(ward, utcnow())[:SURGERIES_SHOWN],
        "ward_open": ward_open, "borough_open": borough_open,
        "actions": ward_actions(ward),
        "partners": ward.partners,
        "ward_ysyw": ward_ysyw, "borough_ysyw": borough_ysyw,
        "updates": ward_updates, "older_updates": older, "update_page": update_page,
        "place_standard": place_pages.ward_summary(ward),  # app/places: the ward's latest compass
    }
