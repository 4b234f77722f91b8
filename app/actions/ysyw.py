""""You said, we did": officers respond to each theme of a closed consultation, then publish.

Services flush; the route or CLI command commits.
"""
from sqlalchemy import func, or_

from app.actions.models import RESPONSE_KINDS, Action, ThemeResponse, YouSaidWeDid
from app.actions.services import ActionError
from app.actions.ysyw_versions import record_version
from app.common.timeutil import utcnow
from app.consultations.models import CHANNELS, Consultation, ConsultationEvent, Question, Response, Topic
from app.consultations.services import record_history
from app.extensions import db

READY_STATUSES = ("closed", "published")  # a consultation must have closed before the council responds
MAX_TEXT = 5000


def consultations_for_staff():
    """Every launched consultation with its page (or None), newest closing first."""
    consultations = (Consultation.query.filter(Consultation.launched_at.is_not(None))
                     .order_by(Consultation.closes_at.desc()).all())
    pages = {p.consultation_id: p for p in YouSaidWeDid.query.all()}
    return [(c, pages.get(c.id)) for c in consultations]


def state_label(consultation, page) -> str:
    if page is not None and page.is_published:
        return "Published"
    if consultation.status not in READY_STATUSES:
        return "Consultation still open" if consultation.status in ("open", "scheduled") else "Not started"
    if page is not None and page.responses:
        return "In progress"
    return "Not started"


def page_for(consultation, create: bool = False):
    page = YouSaidWeDid.query.filter_by(consultation_id=consultation.id).first()
    if page is None and create:
        if consultation.status not in READY_STATUSES:
            raise ActionError("consultation", "You can respond only once the consultation has closed")
        page = YouSaidWeDid(consultation=consultation)
        db.session.add(page)
        db.session.flush()
    return page


def active_themes(consultation) -> list:
    """Themes residents raised, biggest first, ignoring merged and not-relevant ones."""
    from app.themes.models import Theme

    return (Theme.query.join(Question).filter(Question.consultation_id == consultation.id,
                                              Theme.merged_into_id.is_(None), Theme.not_relevant.is_(False))
            .order_by(Question.position, Theme.size.desc(), Theme.id).all())


def response_for_theme(theme):
    return ThemeResponse.query.filter(ThemeResponse.themes.any(id=theme.id)).first()


def save_response(page, theme_ids: list[int], kind: str, text: str, action_id: int | None,
                  response: ThemeResponse | None = None, user=None) -> ThemeResponse:
    """Create or edit a response to one or more themes of this page's consultation. Naming the
    action that shows progress confirms each theme's link to it (by ``user``), so the action's
    public page lists the themes this page says it answers."""
    if kind not in RESPONSE_KINDS:
        raise ActionError("kind", "Select what the council did")
    text = (text or "").strip()
    if not text:
        raise ActionError("text", "Say why the council can't make this change" if kind == "we_cant"
                          else "Say why you are setting this theme aside" if kind == "set_aside"
                          else "Say what the council did or is doing")
    if len(text) > MAX_TEXT:
        raise ActionError("text", f"Response must be {MAX_TEXT} characters or fewer")
    allowed = {t.id: t for t in active_themes(page.consultation)}
    chosen = [allowed[i] for i in dict.fromkeys(theme_ids) if i in allowed]
    if not chosen or len(chosen) != len(set(theme_ids)):
        raise ActionError("themes", "Select at least one theme from this consultation")
    if kind == "set_aside":
        big = next((t for t in chosen if t.size > 1), None)
        if big is not None:
            raise ActionError("kind", f"Only a theme raised in one comment can be set aside: "
                                      f"“{big.display_label}” has {big.size} comments")
    for theme in chosen:
        other = response_for_theme(theme)
        if other is not None and other is not response:
            raise ActionError("themes", f"“{theme.display_label}” already has a response; edit that one instead")
    action = None
    if kind == "we_are_doing":
        action = db.session.get(Action, action_id) if action_id else None
        if action is None:
            raise ActionError("action_id", "Select the action that shows progress on this")
    if response is None:
        position = (db.session.query(func.max(ThemeResponse.position)).filter_by(page_id=page.id).scalar() or 0) + 1
        response = ThemeResponse(page=page, position=position)
        db.session.add(response)
    response.kind, response.text, response.action = kind, text, action
    response.themes = chosen
    if action is not None:
        _confirm_links(chosen, action, user)
    page.updated_at = utcnow()
    db.session.flush()
    return response


def _confirm_links(themes, action, user) -> None:
    from app.themes.models import ThemeActionLink

    for theme in themes:
        link = next((l for l in theme.action_links if l.action_id == action.id), None)
        if link is None:
            link = ThemeActionLink(action=action, score=None)
            theme.action_links.append(link)
        if link.status != "confirmed":
            link.confirm(user)


def delete_response(response: ThemeResponse):
    db.session.delete(response)
    db.session.flush()


def unanswered_themes(page) -> list:
    answered = {t.id for r in page.responses for t in r.themes}
    return [t for t in active_themes(page.consultation) if t.id not in answered]


def publish_problem(page) -> str | None:
    """Why the page can't be published yet, or None."""
    if page is None or not page.responses:
        return "Write at least one response before publishing"
    if page.is_published:
        return "This page is already published"
    missing = unanswered_themes(page)
    if missing:
        return ("Respond to every theme before publishing. Still to do: "
                + ", ".join(t.display_label for t in missing[:10]))
    return None


def published_before(page) -> bool:
    """Whether this page was published once already (and later withdrawn) and residents were
    told: a publication whose held emails were cancelled told nobody."""
    def count(action):
        return db.session.query(ConsultationEvent.id).filter_by(
            consultation_id=page.consultation_id, action=action).count()

    return count("ysyw_published") > count("ysyw_emails_cancelled")


def mailing_cancelled(key: str, user, count: int) -> None:
    """Held "You said, we did" emails were cancelled: the history says so, and publishing the
    page again emails residents after all."""
    kind, _, page_id = key.partition(":")
    page = db.session.get(YouSaidWeDid, int(page_id)) if kind == "ysyw" and page_id.isdigit() else None
    if page is not None and count:
        record_history(page.consultation, "ysyw_emails_cancelled", user,
                       f"{count} {'email' if count == 1 else 'emails'} to residents cancelled before they went")


def publish(page, user) -> int:
    """Make the page public, publish the consultation's results, and email residents who asked
    (the first time only: a page published again after a correction emails nobody). Returns
    the number of residents emailed."""
    problem = publish_problem(page)
    if problem:
        raise ActionError("publish", problem)
    again = published_before(page)
    page.publish(user)
    if page.consultation.status == "closed":
        page.consultation.publish_results()
        record_history(page.consultation, "published", user)
    db.session.flush()
    from app.actions.notify import notify_published

    sent = 0 if again else notify_published(page)
    record_version(page, "Published again after a correction" if page.versions else "Published", user)
    record_history(page.consultation, "ysyw_published", user,
                   "published again; nobody emailed" if again else
                   f"{sent} {'resident' if sent == 1 else 'residents'} emailed")
    return sent


def withdraw(page, user, reason: str):
    """Take a published page down (e.g. a mistake in it), with the reason in the history."""
    if page is None or not page.is_published:
        raise ActionError("withdraw", "This page is not published")
    page.withdraw()
    record_history(page.consultation, "ysyw_withdrawn", user, reason)
    from app.actions.notify import ysyw_mailing
    from app.notifications.services import cancel_mailing

    key = ysyw_mailing(page).key
    cancelled = cancel_mailing(key)  # emails still held don't announce a withdrawn page
    mailing_cancelled(key, user, cancelled)
    return cancelled


# --- Public ---------------------------------------------------------------------------------

def published_pages(q: str = "", ward_id: int | None = None, topic_id: int | None = None):
    query = (YouSaidWeDid.query.filter(YouSaidWeDid.published_at.is_not(None))
             .join(Consultation, YouSaidWeDid.consultation_id == Consultation.id))
    q = (q or "").strip()[:200]
    if q:
        like = f"%{q.lower()}%"
        query = query.filter(or_(func.lower(Consultation.title).like(like),
                                 func.lower(Consultation.summary).like(like),
                                 func.lower(YouSaidWeDid.summary).like(like),
                                 YouSaidWeDid.responses.any(func.lower(ThemeResponse.text).like(like))))
    if ward_id:
        query = query.filter(or_(Consultation.borough_wide.is_(True), Consultation.wards.any(id=ward_id)))
    if topic_id:
        query = query.filter(Consultation.topics.any(Topic.id == topic_id))
    return query.order_by(YouSaidWeDid.published_at.desc()).all()


def channel_counts(consultation) -> tuple[int, list[tuple[str, int]]]:
    rows = dict(db.session.query(Response.channel, func.count()).filter(
        Response.consultation_id == consultation.id).group_by(Response.channel).all())
    total = sum(rows.values())
    return total, [(CHANNELS.get(k, k), n) for k, n in sorted(rows.items(), key=lambda kv: -kv[1]) if n]


def page_view(page) -> dict:
    """Everything the public page shows: questions asked, who responded, themes and responses."""
    consultation = page.consultation
    total, channels = channel_counts(consultation)
    themes = active_themes(consultation)
    by_theme = {t.id: r for r in page.responses for t in r.themes}
    questions = [q for q in consultation.free_text_questions if any(t.question_id == q.id for t in themes)]
    return {"page": page, "consultation": consultation, "total": total, "channels": channels,
            "themes": themes, "response_for": by_theme, "questions": questions or consultation.free_text_questions}
