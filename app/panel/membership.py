"""Joining, confirming, managing and leaving the panel. Services flush; callers commit.

No-leak rule: whatever happens, the person typing an address sees the same page; anything
about an existing membership goes only to that address by email.
"""
import hashlib
import hmac
import re
from datetime import timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.audit import record
from app.common.pseudonym import DRAW_MEMBER, pseudonym
from app.common.signing import make_token, read_token
from app.common.timeutil import utcnow
from app.extensions import db
from app.notifications.services import email_link, forget_address, forget_phone, send_email
from app.panel.models import ACTIVE, UNCONFIRMED, Draw, DrawSelection, PanelMember, PanelStats

CONFIRM_PURPOSE, MANAGE_PURPOSE = "panel-confirm", "panel-manage"
CONFIRM_LINK_HOURS = 72
MANAGE_LINK_DAYS = 7
DETAIL_FIELDS = ("name", "phone", "mobile", "address_line", "postcode", "ward", "age_band", "contact_method",
                 "access_needs", "topics")


def normalise_email(text: str) -> str:
    return (text or "").strip().lower()


def household_key(address_line: str | None, postcode: str | None) -> str | None:
    """'12a  High St.' + 'NB1 2AB' -> '12ahighst|NB12AB'; None without an address line."""
    line = re.sub(r"[^a-z0-9]", "", (address_line or "").lower())
    line = re.sub(r"(street)$", "st", line)
    if not line:
        return None
    return f"{line}|{(postcode or '').replace(' ', '').upper()}"


def keyed_hash(label: str, text: str, length: int) -> str:
    """An HMAC of `text` under the app's secret key (labelled, so each use gets its own hashes):
    it can't be matched against a list of guesses by anyone without the key."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{label}:".encode() + text.encode(), hashlib.sha256).hexdigest()[:length]


def email_hash(email: str) -> str:
    """A keyed hash of the address for link tokens: the token's payload is signed, not
    encrypted, so it must not carry the address itself; the hash still stops a link working
    once the row's address changes (someone else signs up after the member left)."""
    return keyed_hash("panel-email", email, 32)


def member_token(purpose: str, member) -> str:
    return make_token(purpose, {"m": member.id, "h": email_hash(member.email)})


def manage_link(member) -> str:
    return email_link("panel.manage", token=member_token(MANAGE_PURPOSE, member))


def bump_stat(event: str, when=None):
    """Add one to this month's count in a single statement, so two requests at once can't
    lose a count or both insert the row (INSERT .. ON CONFLICT works on SQLite and PostgreSQL)."""
    month = (when or utcnow()).strftime("%Y-%m")
    table = PanelStats.__table__
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values(month=month, event=event, count=1)
    statement = statement.on_conflict_do_update(index_elements=[table.c.month, table.c.event],
                                                set_={"count": table.c.count + 1})
    db.session.execute(statement)


def apply_details(member: PanelMember, data: dict):
    for key in DETAIL_FIELDS:
        if key in data:
            setattr(member, key, data[key])
    member.household_key = household_key(member.address_line, member.postcode)
    member.set_equality(data.get("equality_consent", False), data)


def sign_up(data: dict):
    """Start a membership (unconfirmed) and email the confirmation link; or, when the address
    already belongs to a member, email them instead. The caller shows the same page either way."""
    email = normalise_email(data["email"])
    member = PanelMember.query.filter_by(email=email).first()
    council = current_app.config["COUNCIL_NAME"]
    if member is not None and member.is_member:
        link = manage_link(member)
        send_email(email, f"You are already on the {council} Citizens' Panel",
                   f"Hello {member.name},\n\nSomeone (probably you) asked to join the Citizens' Panel "
                   f"with this email address. You are already a member, so nothing has changed.\n\n"
                   f"To update your details, pause or leave, use this link (it works for "
                   f"{MANAGE_LINK_DAYS} days):\n{link}\n\n"
                   f"If this wasn't you, you can ignore this email.\n\n{council}",
                   kind="panel_already_member", personalisation={"name": member.name, "link": link,
                                                                 "days": MANAGE_LINK_DAYS})
        return
    if member is not None and _recently_asked(member):
        return  # the confirmation email sent a moment ago is still the one to follow
    if member is None:
        member = PanelMember(email=email, status=UNCONFIRMED)
        # A savepoint: when another request has just inserted the same address (two sign-ups at
        # once), only this insert is undone and the person sees the same "check your email" page.
        savepoint = db.session.begin_nested()
        db.session.add(member)
        try:
            _fill(member, data)
            savepoint.commit()
        except IntegrityError:
            savepoint.rollback()
            return
    else:
        # A repeat sign-up before confirming replaces the pending details: only the owner of the
        # address can confirm them, so nobody else gains anything by it.
        _fill(member, data)
    token = member_token(CONFIRM_PURPOSE, member)
    days = current_app.config.get("PANEL_UNCONFIRMED_RETENTION_DAYS", 30)
    link = email_link("panel.confirm", token=token)
    send_email(email, f"Confirm you want to join the {council} Citizens' Panel",
               f"Hello {member.name},\n\nThank you for asking to join the Citizens' Panel. You are not a "
               f"member until you follow this link (it works for {CONFIRM_LINK_HOURS} hours):\n"
               f"{link}\n\n"
               f"If you don't confirm within {days} days we delete what you told us.\n"
               f"If you didn't ask to join, ignore this email.\n\n{council}",
               kind="panel_confirm", personalisation={"name": member.name, "link": link,
                                                      "hours": CONFIRM_LINK_HOURS, "days": days})


def _recently_asked(member) -> bool:
    minutes = current_app.config.get("PANEL_JOIN_RESEND_MINUTES", 60)
    return member.created_at is not None and member.created_at > utcnow() - timedelta(minutes=minutes)


def _fill(member, data):
    member.panel_consent_at = utcnow()
    member.created_at = utcnow()
    apply_details(member, data)
    db.session.flush()


def member_for_confirm_token(token: str) -> PanelMember | None:
    data = read_token(CONFIRM_PURPOSE, token, max_age_seconds=CONFIRM_LINK_HOURS * 3600)
    return _member_from(data)


def confirm(member: PanelMember) -> bool:
    """Confirm an unconfirmed sign-up; False (changing nothing) when it was confirmed before.

    A single UPDATE guarded by the status, so two clicks at once can't both count as joining."""
    changed = (PanelMember.query.filter_by(id=member.id, status=UNCONFIRMED)
               .update({"status": ACTIVE, "confirmed_at": utcnow()}, synchronize_session=False))
    if not changed:
        return False
    db.session.refresh(member)
    bump_stat("joined")
    db.session.flush()
    return True


def _member_from(data) -> PanelMember | None:
    if not isinstance(data, dict) or not isinstance(data.get("m"), int):
        return None
    member = db.session.get(PanelMember, data["m"])
    if member is None or not hmac.compare_digest(email_hash(member.email), str(data.get("h", ""))):
        return None
    return member


def member_for_manage_token(token: str) -> PanelMember | None:
    data = read_token(MANAGE_PURPOSE, token, max_age_seconds=MANAGE_LINK_DAYS * 86400)
    member = _member_from(data)
    return member if member is not None and member.is_member else None


def send_manage_link(email_text: str):
    """Email a fresh link to manage a membership, only if the address belongs to a member."""
    member = PanelMember.query.filter_by(email=normalise_email(email_text)).first()
    if member is None or not member.is_member:
        return
    council = current_app.config["COUNCIL_NAME"]
    link = manage_link(member)
    send_email(member.email, "Manage your Citizens' Panel membership",
               f"Hello {member.name},\n\nUse this link to update your details, pause or leave the "
               f"Citizens' Panel (it works for {MANAGE_LINK_DAYS} days):\n{link}\n\n"
               f"If you didn't ask for this, you can ignore this email.\n\n{council}",
               kind="panel_manage_link", personalisation={"name": member.name, "link": link, "days": MANAGE_LINK_DAYS})


def erase(member: PanelMember, event: str = "left"):
    """Delete everything personal about `member` now; only an anonymous monthly count remains."""
    keys = {pseudonym(DRAW_MEMBER, member.id), str(member.id)}  # str(id): draws stored before 0014_privacy
    for selection in DrawSelection.query.filter_by(member_id=member.id):
        selection.forget_member()
    for draw in Draw.query.all():  # a handful of draws a year: no need for a JSON query
        if keys & set(draw.probabilities or {}):
            draw.probabilities = {k: v for k, v in draw.probabilities.items() if k not in keys}
        if keys & set(draw.pool_snapshot or {}):
            draw.pool_snapshot = {k: v for k, v in draw.pool_snapshot.items() if k not in keys}
    forget_address(member.email)
    forget_phone(member.mobile)
    record("erasure", subject=f"panel_member:{member.id}", detail={"what": "Citizens' Panel member", "why": event})
    db.session.delete(member)
    bump_stat(event)
    db.session.flush()


def purge_unconfirmed(days: int, now=None) -> int:
    """Erase sign-ups never confirmed within `days` days (the retention setting)."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    stale = PanelMember.query.filter(PanelMember.status == UNCONFIRMED, PanelMember.created_at < cutoff).all()
    for member in stale:
        erase(member, event="purged")
    record("retention.run", detail={"what": "unconfirmed Citizens' Panel sign-ups", "removed": len(stale),
                                    "older_than_days": days})
    return len(stale)


def set_paused(member: PanelMember, paused: bool):
    member.pause() if paused else member.resume()
    db.session.flush()


def counts() -> dict:
    rows = db.session.query(PanelMember.status, db.func.count()).group_by(PanelMember.status).all()
    result = {UNCONFIRMED: 0, ACTIVE: 0, "paused": 0}
    result.update(dict(rows))
    return result
