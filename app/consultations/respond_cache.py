"""What a resident's response POST needs to check and store the form, kept between requests.

Every POST of the response form used to read the consultation, its questions, their options
and the ward list (four queries) before storing anything. Those rows change only when an
officer changes something public, and every such commit starts a new page-cache version
(app/common/pagecache.py). So each process keeps, per consultation, the rows as loaded for the
current version (detached from any session: read-only) and reads them again when the version
moves on. The version is read from the shared cache on every POST (no local grace period), so
a consultation closed early, or a question changed, is seen by the very next POST in every
process. Whether it is open by the clock (opens_at, closes_at) is worked out per request as
before.

Only with a shared (Redis) page cache: with one cache per process, a change made in one worker
would not reach the others' versions. Otherwise, and for anything but the blank form of an
anonymous visitor, the route reads the rows as it always did.
"""
import threading

from flask import current_app
from sqlalchemy.orm import selectinload

from app.common import pagecache
from app.consultations import services
from app.consultations.forms import response_form_class
from app.consultations.models import Consultation, Question
from app.extensions import db

_parts: dict = {}  # consultation id -> (version, Consultation detached, ward choices)
_lock = threading.Lock()
MAX_KEPT = 200


class Parts:
    __slots__ = ("consultation", "ward_choices", "form_class")

    def __init__(self, consultation, ward_choices):
        self.consultation, self.ward_choices = consultation, ward_choices
        # The form's class (its fields from the questions) made once: each POST makes an instance.
        self.form_class = response_form_class(consultation, ward_choices)


def form_parts(consultation_id) -> Parts | None:
    """The consultation (questions and options loaded) and ward choices for the current
    version, or None when they can't be kept (no shared cache, Redis away, a draft or no
    such consultation): then the caller loads them itself."""
    version = pagecache.shared_version()
    if version is None:
        return None
    kept = _parts.get(consultation_id)
    if kept is not None and kept[0] == version:
        return kept[1]
    consultation = db.session.get(Consultation, consultation_id, options=[
        selectinload(Consultation.questions).selectinload(Question.options)])
    if consultation is None or consultation.launched_at is None:
        return None
    parts = Parts(consultation, services.ward_choices())
    # Detached (questions and options go with it: cascade "all"), so this request's commit
    # doesn't expire them and no later session owns them.
    db.session.expunge(consultation)
    with _lock:
        if len(_parts) >= MAX_KEPT:
            _parts.clear()
        _parts[consultation_id] = (version, parts)
    current_app.logger.debug("response form parts loaded for consultation %s", consultation_id)
    return parts


def forget():
    """Drop everything kept (tests)."""
    with _lock:
        _parts.clear()
