"""Hosts, kits and records of group conversations. Services add and flush; the route commits.

An accepted record becomes one Response (channel "group") with an Answer for each entry on a
free-text question, so the theme engine reads it like any comment; group_views() lets the theme
and results pages label those answers as a group's view and weight them by the people taking part.
"""
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select

from app.common.signing import make_token, read_token
from app.common.timeutil import format_london, utcnow
from app.consultations.models import Answer, Consultation, Response, Topic
from app.conversations import photos as photo_store
from app.conversations.models import (GENERIC_QUESTIONS, ConversationEntry, ConversationHost, ConversationPhoto,
                                      ConversationRecord)
from app.extensions import db
from app.notifications.services import email_link, send_email

TOKEN_PURPOSE = "conversation-host"


class ConversationError(Exception):
    """A refusal to show the user, beside `field` when it names one."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message, self.field = message, field


@dataclass
class KitQuestion:
    position: int  # 0-based place in the kit
    text: str
    hint: str = ""
    question_id: int | None = None
    free_text: bool = True  # only free-text answers become comments for the themes
    options: list = field(default_factory=list)

    @property
    def number(self) -> int:
        return self.position + 1


# --- registering and deciding ---------------------------------------------------------------
def open_consultations() -> list[Consultation]:
    now = utcnow()
    return list(db.session.scalars(select(Consultation).where(Consultation.status_expression(now) == "open")
                                   .order_by(Consultation.closes_at, Consultation.id)))


def subject_choices() -> list[tuple[str, str]]:
    choices = [("", "Choose a consultation or topic")]
    choices += [(f"c{c.id}", f"Consultation: {c.title}") for c in open_consultations()]
    choices += [(f"t{t.id}", f"Topic: {t.name}") for t in db.session.scalars(select(Topic).order_by(Topic.name))]
    return choices


def register_host(name, organisation, kind, email, subject) -> ConversationHost:
    host = ConversationHost(name=name.strip(), organisation=organisation.strip(), kind=kind, email=email.strip())
    ident = int(subject[1:]) if subject[1:].isdigit() else None
    if subject.startswith("c") and ident:
        consultation = db.session.get(Consultation, ident)
        if consultation is None or not consultation.is_accepting_responses:
            raise ConversationError("That consultation is no longer open. Choose another one or a topic", "subject")
        host.consultation = consultation
    elif subject.startswith("t") and ident and db.session.get(Topic, ident) is not None:
        host.topic_id = ident
    else:
        raise ConversationError("Select what your group will talk about", "subject")
    db.session.add(host)
    db.session.flush()
    send_email(host.email, "We have your request to host a conversation",
               f"Dear {host.name},\n\nThank you for offering to host a conversation with {host.organisation} "
               f"about “{host.subject}”.\n\nAn officer will look at your request soon. If it is approved we "
               "will email you a link to your conversation kit: the questions, a guide for running the "
               "conversation, a privacy notice to read out and a sign-in sheet.\n",
               kind="conversation_host_registered")
    return host


def host_token(host: ConversationHost) -> str:
    return make_token(TOKEN_PURPOSE, {"h": host.id, "v": host.link_version})


def host_for_token(token: str) -> ConversationHost | None:
    """The approved host a signed link belongs to, or None (tampered, expired, declined, unknown)."""
    max_age = current_app.config["CONVERSATION_LINK_MAX_AGE_DAYS"] * 86400
    data = read_token(TOKEN_PURPOSE, token or "", max_age_seconds=max_age)
    if not isinstance(data, dict) or not isinstance(data.get("h"), int):
        return None
    host = db.session.get(ConversationHost, data["h"])
    if host is None or host.status != "approved" or host.link_version != data.get("v"):
        return None
    return host


def decide_host(host: ConversationHost, officer, decision: str, reason: str = "") -> None:
    if host.status != "pending":
        raise ConversationError(f"This host has already been {host.status}", "decision")
    if decision == "approve":
        host.approve(officer)
        link = email_link("conversations.host_home", token=host_token(host))
        send_email(host.email, "Your conversation kit is ready",
                   f"Dear {host.name},\n\nThank you: {host.organisation} can host a conversation about "
                   f"“{host.subject}”.\n\nYour kit, and the form to tell us what was said, are here:\n{link}\n\n"
                   "Keep this email: the link is your own way in (there is no password). Please don't share it.\n",
                   kind="conversation_host_approved")
    else:
        host.decline(officer, reason.strip())
        send_email(host.email, "Your request to host a conversation",
                   f"Dear {host.name},\n\nThank you for offering to host a conversation about “{host.subject}”. "
                   f"We can't take it forward this time, because:\n\n{host.decline_reason}\n",
                   kind="conversation_host_declined")
    db.session.flush()


# --- the kit ----------------------------------------------------------------------------------
def kit_questions(host: ConversationHost) -> list[KitQuestion]:
    return questions_for(host.consultation, host.topic)


def questions_for(consultation, topic) -> list[KitQuestion]:
    if consultation is not None:
        return [KitQuestion(i, q.text, q.hint, q.id, q.kind == "free_text", [label for _, label in q.choice_labels()])
                for i, q in enumerate(consultation.questions)]
    name = topic.name.lower() if topic is not None else "life"
    return [KitQuestion(i, text.format(topic=name)) for i, text in enumerate(GENERIC_QUESTIONS)]


def check_open(host: ConversationHost) -> None:
    """A record about a consultation can only be sent while it is open."""
    consultation = host.consultation
    if consultation is not None and not consultation.is_accepting_responses:
        when = format_london(consultation.closes_at, "%-d %B %Y")
        raise ConversationError(f"“{consultation.title}” closed on {when}, so it can't take new or changed "
                                "records. If your conversation was held before then, contact the engagement team")


# --- records ------------------------------------------------------------------------------------
def split_words(text: str) -> list[str]:
    """Each person's words: paragraphs separated by a blank line."""
    parts = [" ".join(p.split()) for p in (text or "").replace("\r\n", "\n").split("\n\n")]
    return [p for p in parts if p]


def save_record(host, form, checked_photos, record: ConversationRecord | None = None) -> ConversationRecord:
    """Create or change a record from a validated form and already-checked photos. Refuses a
    closed consultation or an accepted record before changing anything."""
    check_open(host)
    if record is not None and not record.editable:
        raise ConversationError("This record has been accepted, so it can no longer be changed")
    if record is None:
        record = ConversationRecord(host=host, consultation=host.consultation)
        db.session.add(record)
    else:
        record.resubmit()
    record.held_on, record.place = form.held_on.data, form.place.data.strip()
    record.participants, record.tallies = form.participants.data, form.tallies()
    record.entries.clear()
    for q in form.questions:
        notes = (form[f"notes_{q.position}"].data or "").strip()
        if notes:
            record.entries.append(ConversationEntry(position=q.position, question_id=q.question_id,
                                                    question_text=q.text[:500], kind="notes", text=notes))
        for words in split_words(form[f"words_{q.position}"].data):
            record.entries.append(ConversationEntry(position=q.position, question_id=q.question_id,
                                                    question_text=q.text[:500], kind="person", text=words))
    removed = set(form.remove_photos.data or [])
    for photo in [p for p in record.photos if str(p.id) in removed]:
        record.photos.remove(photo)
        photo_store.remove(photo.stored_name)
    for checked in checked_photos:
        photo = ConversationPhoto(content_type=checked.content_type, size=len(checked.data),
                                  width=checked.width, height=checked.height)
        record.photos.append(photo)
        db.session.flush()
        photo_store.write(photo.stored_name, checked.data)
    db.session.flush()
    return record


def photo_room(record: ConversationRecord | None, removing: int = 0) -> int:
    kept = len(record.photos) - removing if record is not None else 0
    return max(current_app.config["CONVERSATION_PHOTOS_PER_RECORD"] - kept, 0)


def decide_record(record: ConversationRecord, officer, decision: str, note: str = "") -> None:
    if not record.editable:
        raise ConversationError("This record has already been accepted", "decision")
    host = record.host
    link = email_link("conversations.host_record", token=host_token(host), record_id=record.id)
    if decision == "accept":
        accept(record, officer)
        send_email(host.email, "Thank you: your conversation record is accepted",
                   f"Dear {host.name},\n\nWe have accepted the record of your conversation on "
                   f"{record.held_on:%-d %B %Y} ({record.participants} people). What your group said is now "
                   "part of the consultation's results.\n", kind="conversation_record_accepted")
    else:
        record.send_back(officer, note.strip())
        send_email(host.email, "Please check your conversation record",
                   f"Dear {host.name},\n\nWe looked at the record of your conversation on {record.held_on:%-d %B %Y} "
                   f"and need you to change something before we can use it:\n\n{record.officer_note}\n\n"
                   f"Change it here:\n{link}\n", kind="conversation_record_returned")
    db.session.flush()


def accept(record: ConversationRecord, officer) -> Response | None:
    """Turn the record into one group response; its free-text entries become answers."""
    response = None
    if record.consultation is not None:
        response = Response(consultation=record.consultation, channel="group", entered_by=officer,
                            collected_on=record.held_on)
        db.session.add(response)
        free_text = {q.id for q in record.consultation.free_text_questions}
        for entry in record.entries:
            if entry.question_id in free_text:
                answer = Answer(response=response, question_id=entry.question_id, text=entry.text)
                db.session.add(answer)
                db.session.flush()
                entry.answer_id = answer.id
    record.accept(officer, response)
    db.session.flush()
    return response


# --- counting and labelling -------------------------------------------------------------------
def participation(consultation_id: int) -> tuple[int, int]:
    """(people who took part, conversations) over a consultation's accepted records."""
    people, count = db.session.execute(
        select(func.coalesce(func.sum(ConversationRecord.participants), 0), func.count(ConversationRecord.id))
        .where(ConversationRecord.consultation_id == consultation_id,
               ConversationRecord.status == "accepted")).one()
    return int(people), int(count)


def participation_text(consultation_id: int) -> str:
    people, count = participation(consultation_id)
    if not count:
        return ""
    return (f"{people:,} {'person' if people == 1 else 'people'} took part through {count} group "
            f"conversation{'s' if count != 1 else ''}")


@dataclass
class GroupView:
    people: int  # in the conversation
    kind: str  # "notes": the group's view; "person": one person's words said in the group
    organisation_kind: str

    @property
    def weight(self) -> int:
        """How many people the comment speaks for."""
        return self.people if self.kind == "notes" else 1

    @property
    def label(self) -> str:
        if self.kind == "notes":
            return f"The view of a group conversation: {self.people} people ({self.organisation_kind.lower()})"
        return f"Said in a group conversation of {self.people} people ({self.organisation_kind.lower()})"


def group_views(answer_ids) -> dict[int, GroupView]:
    ids = [i for i in answer_ids if i is not None]
    if not ids:
        return {}
    rows = db.session.execute(
        select(ConversationEntry.answer_id, ConversationEntry.kind, ConversationRecord.participants,
               ConversationHost.kind).join(ConversationRecord, ConversationEntry.record_id == ConversationRecord.id)
        .join(ConversationHost, ConversationRecord.host_id == ConversationHost.id)
        .where(ConversationEntry.answer_id.in_(ids)))
    from app.conversations.models import HOST_KINDS

    return {answer_id: GroupView(people, kind, HOST_KINDS.get(host_kind, host_kind))
            for answer_id, kind, people, host_kind in rows}


def theme_weight(theme) -> dict:
    """Comments whose main theme this is, and the people they speak for (a group's notes count
    for everyone in the conversation)."""
    from app.themes.models import ThemeAssignment

    ids = list(db.session.scalars(select(ThemeAssignment.answer_id).where(
        ThemeAssignment.theme_id == theme.id, ThemeAssignment.rank == 1)))
    views = group_views(ids)
    return {"comments": len(ids), "group_comments": len(views),
            "people": len(ids) - len(views) + sum(v.weight for v in views.values())}
