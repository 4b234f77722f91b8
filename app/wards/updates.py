"""Ward updates (who may post, change and delete them) and the partner organisations admins list.

Services flush; the request owns the transaction.
"""
from sqlalchemy import func

from app.common.auth import ADMIN, COUNCILLOR, EDITORS
from app.extensions import db
from app.wards.models import Partner, Ward, WardUpdate

PAGE_SIZE = 10  # updates shown on a ward page before "older updates"


def can_post(user, ward) -> bool:
    """Admins and officers post in any ward; a councillor only in the ward they represent."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role in EDITORS:
        return True
    return user.role == COUNCILLOR and user.ward_id is not None and user.ward_id == ward.id


def can_change(user, update) -> bool:
    """The author changes or deletes their own update while they may still post in its ward;
    an admin may take any update down."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == ADMIN:
        return True
    return update.author_id == user.id and can_post(user, update.ward)


def post(ward, user, title: str, text: str, link: str | None) -> WardUpdate:
    update = WardUpdate(ward=ward, author=user, author_name=_byline(user), title=title, text=text,
                        link=link or None)
    db.session.add(update)
    db.session.flush()
    return update


def _byline(user) -> str:
    if user.role == COUNCILLOR:
        return f"Councillor {user.name}"
    return f"{user.name}, {user.title}" if user.title else user.name


def delete(update):
    db.session.delete(update)
    db.session.flush()


def for_ward(ward, page: int = 1):
    """(updates on this page, newest first; whether there are older ones)."""
    rows = (WardUpdate.query.filter_by(ward_id=ward.id)
            .order_by(WardUpdate.created_at.desc(), WardUpdate.id.desc())
            .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1).all())
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


# --- partners ------------------------------------------------------------------------------

NAME_TAKEN = "There is already a partner with this name"


def all_partners():
    return Partner.query.order_by(Partner.name).all()


def name_taken(name: str, partner=None) -> bool:
    query = Partner.query.filter(func.lower(Partner.name) == name.strip().lower())
    if partner is not None and partner.id is not None:
        query = query.filter(Partner.id != partner.id)
    return db.session.query(query.exists()).scalar()


def save_partner(partner, *, name, description, website, contact, ward_ids) -> Partner:
    if partner is None:
        partner = Partner()
        db.session.add(partner)
    partner.name, partner.description = name, description
    partner.website, partner.contact = website or "", contact or ""
    ids = [int(i) for i in ward_ids]
    partner.wards = Ward.query.filter(Ward.id.in_(ids)).all() if ids else []
    db.session.flush()
    return partner


def delete_partner(partner):
    db.session.delete(partner)
    db.session.flush()
