"""Saving a checked responses CSV as one import, and undoing an import as a whole.

A checked file waits on the server (ResponseImportDraft) until its officer presses "Import";
it is checked again then, and saved in the caller's one commit: every response, every answer,
the ResponseImport batch and the history line, or none of them. Services flush; routes commit.
"""
import secrets
from datetime import timedelta

from sqlalchemy import select

from app.common.timeutil import utcnow
from app.consultations import csv_import
from app.consultations.models import (CHANNELS, Answer, Response, ResponseImport, ResponseImportDraft,
                                      imported_responses)
from app.consultations.services import ConsultationError, record_history
from app.extensions import db

DRAFT_HOURS = 24  # how long a checked file waits for "Import"
IMPORTABLE = ("open", "closed")  # as paper entry: not drafts, not once results are published


def _plural(count, word) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def check_can_import(consultation):
    if consultation.status not in IMPORTABLE:
        raise ConsultationError("Responses can only be imported into an open or closed consultation whose "
                                "results are not published")


def save_draft(consultation, user, file_name: str, text: str) -> str:
    """Keep a checked file for its officer to confirm; returns the token the preview form carries.
    Also removes drafts nobody confirmed in time. Flushes."""
    ResponseImportDraft.query.filter(
        ResponseImportDraft.created_at < utcnow() - timedelta(hours=DRAFT_HOURS)).delete()
    token = secrets.token_urlsafe(32)
    db.session.add(ResponseImportDraft(token=token, user_id=user.id, consultation_id=consultation.id,
                                       file_name=file_name[:200], csv_text=text))
    db.session.flush()
    return token


def take_draft(consultation, user, token: str) -> tuple[str, str] | None:
    """(file name, CSV text) of this officer's unexpired draft for this consultation, deleted so
    it is imported at most once: a second click, or a request racing this one, finds nothing."""
    draft = ResponseImportDraft.query.filter_by(token=token or "", user_id=user.id,
                                                consultation_id=consultation.id).first()
    if draft is None:
        return None
    found = draft.file_name, draft.csv_text
    fresh = draft.created_at >= utcnow() - timedelta(hours=DRAFT_HOURS)
    deleted = ResponseImportDraft.query.filter_by(id=draft.id).delete()
    db.session.flush()
    return found if deleted and fresh else None


def import_responses(consultation, checked, *, user, file_name: str) -> ResponseImport:
    """Create the responses of a checked file as one import. Flushes; the caller commits."""
    check_can_import(consultation)
    if not checked.ok:
        raise ValueError("Only a file without problems can be imported")
    counts = checked.channel_counts
    batch = ResponseImport(consultation_id=consultation.id, file_name=file_name[:200], row_count=len(checked.rows),
                           channel_counts=counts, created_by_id=user.id, created_by_name=user.name)
    db.session.add(batch)
    db.session.flush()
    # Bulk statements rather than one ORM object per row, which took several times as long for
    # 2,000 responses (bench/bulk_import.py). Column defaults (reference, submitted_at) are still
    # applied to each row.
    responses, answer_table = Response.__table__, Answer.__table__
    ids = db.session.scalars(responses.insert().returning(responses.c.id, sort_by_parameter_order=True), [
        {"consultation_id": consultation.id, "channel": row.channel, "entered_by_id": user.id,
         "collected_on": row.collected_on} for row in checked.rows]).all()
    answers = [{"response_id": response_id, "text": None, "option_id": None, "scale_value": None, **answer}
               for response_id, row in zip(ids, checked.rows) for answer in row.answers]
    if answers:
        db.session.execute(answer_table.insert(), answers)
    db.session.execute(imported_responses.insert(), [{"response_id": i, "import_id": batch.id} for i in ids])
    record_history(consultation, "responses_imported", user,
                   f"{_plural(len(ids), 'response')} from {file_name[:120] or 'a CSV file'} ("
                   + ", ".join(f"{CHANNELS[k]} {v:,}" for k, v in sorted(counts.items())) + ")")
    return batch


def undo_import(batch: ResponseImport, user) -> int:
    """Delete every response the import made, with its answers and "About you" row (each deleted
    through the ORM, so models._erase_about_you_with_response runs, as for any erasure). Returns
    how many were deleted. Flushes."""
    consultation = batch.consultation
    if batch.undone_at is not None:
        raise ConsultationError("This import has already been undone.")
    if consultation.status == "published":
        raise ConsultationError("The results of this consultation are published, so its responses can no "
                                "longer be removed.")
    ids = select(imported_responses.c.response_id).where(imported_responses.c.import_id == batch.id)
    responses = db.session.scalars(select(Response).where(Response.id.in_(ids))).all()
    for response in responses:
        db.session.delete(response)
    batch.mark_undone(user)
    db.session.flush()
    record_history(consultation, "import_undone", user,
                   f"{_plural(len(responses), 'response')} from {batch.file_name[:120] or 'a CSV file'} deleted")
    return len(responses)


def imports_for(consultation) -> list[ResponseImport]:
    return ResponseImport.query.filter_by(consultation_id=consultation.id).order_by(
        ResponseImport.created_at.desc(), ResponseImport.id.desc()).all()


def template_header(consultation) -> list[str]:
    """The headings of an empty file for this consultation, in the export's order."""
    return [csv_import.CHANNEL, csv_import.COLLECTED] + [q.text for q in consultation.questions]
