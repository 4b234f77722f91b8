"""Versions of a published "You said, we did" page: what residents saw, and what changed.

A version is made when the page is published and each time a published page is changed;
every change to a published page needs a short public note saying what changed.
"""
from app.actions.models import YouSaidWeDid, YsywVersion
from app.actions.services import ActionError
from app.extensions import db

NOTE_LIMIT = 300


def check_note(page: YouSaidWeDid | None, note: str | None) -> str | None:
    """The note a change to ``page`` needs: required once the page is published."""
    note = (note or "").strip()
    if page is None or not page.is_published:
        return None
    if not note:
        raise ActionError("change_note", "Say what you changed: it is shown in the page's public history")
    if len(note) > NOTE_LIMIT:
        raise ActionError("change_note", f"What you changed must be {NOTE_LIMIT} characters or fewer")
    return note


def snapshot(page: YouSaidWeDid) -> dict:
    return {"summary": page.summary or "", "responses": [
        {"themes": [t.display_label for t in r.themes], "kind": r.kind, "kind_label": r.kind_label,
         "text": r.text, "action_id": r.action_id,
         # Only an action residents could see then (an unpublished one stays hidden for good).
         "action_title": r.action.display_title if r.action is not None and r.action.is_public else None}
        for r in page.responses]}


def record_version(page: YouSaidWeDid, note: str, user=None) -> YsywVersion:
    db.session.flush()
    db.session.refresh(page)  # responses just added or deleted are in the snapshot
    version = YsywVersion(page_id=page.id, number=len(page.versions) + 1, note=note[:NOTE_LIMIT],
                          content=snapshot(page), created_by_id=getattr(user, "id", None))
    db.session.add(version)
    db.session.flush()
    return version


def version(page: YouSaidWeDid, number: int) -> YsywVersion | None:
    return next((v for v in page.versions if v.number == number), None)
