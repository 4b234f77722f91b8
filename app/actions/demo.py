"""Demo data: the Northbrook action plan (load) and a published "You said, we did" (finish).

Both are idempotent: running `flask demo` again changes nothing that is already there.
"""
import json
import os
import re
from datetime import date

from app.accounts.models import User
from app.actions import services, ysyw
from app.actions.models import Action, ActionPlan, Milestone, ProgressUpdate
from app.extensions import db

CLOSED_CONSULTATION = "Housing repairs and estate safety"
DECENT_SCORE = 0.2  # the theme engine's similarity above which a suggested link is worth confirming
# When the theme engine suggests no good link, the demo links a theme to the plan's action by
# words residents actually use. Matched on word starts so "mouldy", "lifts" and "playground" count;
# robust to the engine's labels changing. Most specific first: a tie goes to the earlier action.
KEYWORD_ACTIONS = [
    ("2.2", ("damp", "mould", "mold", "condensation", "ventilat", "extractor", "fan")),
    ("2.3", ("lift", "elevator", "stairwell", "communal")),
    ("2.5", ("adaptation", "ramp", "handrail", "wheelchair", "disab")),
    ("3.1", ("youth", "young", "teenage", "club")),
    ("1.2", ("play", "swing", "slide")),
    ("2.4", ("light", "dark", "cctv", "unsafe", "safe", "bin", "rubbish", "litter", "fly", "patrol")),
    ("4.1", ("email", "photo", "phone", "online", "updat", "letter", "call")),
    ("2.1", ("repair", "appointment", "contractor", "fix", "broken", "wait", "job", "boiler", "leak")),
]
COMMENT_HITS = 2  # keyword hits in a theme's example comments needed for a link
# Responses an officer wrote for themes the demo consultation always produces, so the published
# page shows all three kinds of answer, including a plain "we can't, because…". Matched like
# KEYWORD_ACTIONS, on the theme's label and key terms; other themes get their action's summary.
WRITTEN_RESPONSES = [
    (("service", "charge"), "we_cant",
     "We can't stop charging for communal services: leaseholders' and tenants' agreements, and the "
     "Landlord and Tenant Act 1985, require the cost of cleaning, lighting and lift servicing to be "
     "recovered from the homes that use them. What we can change, we have: from April 2027 every bill "
     "lists each cost line, and you can ask to see the invoices behind it at any estate office."),
    (("appointment", "missed"), "we_did",
     "Since September 2026 we text a two-hour arrival window the evening before, and the operative "
     "phones 30 minutes ahead. If we miss an appointment you get £20 off your rent account without "
     "having to ask. Missed appointments fell from 14% in July to 6% in October."),
    (("bin", "rubbish"), "we_did",
     "We repaired the doors and lighting of all 23 bin stores on the estates you named, and the "
     "caretaking team now checks them every Tuesday and Friday. Report a problem on the same day "
     "and we clear it within 48 hours."),
]
WE_CANT_TEXT = ("Some of these issues are the responsibility of Larkfield Housing Association or the police, "
                "not the council, so we can't change them ourselves. We have passed your comments to them and "
                "asked them to answer residents at the monthly estate walkabouts.")


def _day(text):
    return date.fromisoformat(text) if text else None


def load(data_dir) -> list[str]:
    with open(os.path.join(data_dir, "action_plan.json"), encoding="utf-8") as handle:
        data = json.load(handle)
    if ActionPlan.query.filter_by(title=data["title"]).first():
        return [f"Action plan already loaded: {data['title']}"]
    plan = ActionPlan(title=data["title"], summary=data.get("summary", ""))
    db.session.add(plan)
    holders = {u.name: u for u in User.query.filter_by(role="councillor").all()}
    for position, item in enumerate(data["actions"]):
        action = Action(position=position, priority=item["priority"], objective=item["objective"],
                        number=item["number"], title=item["title"], description=item["description"],
                        how_we_will_know=item["how_we_will_know"], lead_officer=item.get("lead_officer", ""),
                        timescale=item.get("timescale", ""), portfolio_holder=holders.get(item.get("portfolio_holder")))
        action.set_status(item["status"], item.get("status_reason"))
        for m in item.get("milestones", []):
            action.milestones.append(Milestone(title=m["title"], target_date=_day(m.get("target")),
                                               completed_on=_day(m.get("completed_on"))))
        for u in item.get("updates", []):
            action.updates.append(ProgressUpdate(update_date=_day(u["date"]), text=u["text"], percent=u.get("percent")))
        plan.actions.append(action)
    db.session.flush()
    overdue = sum(len(a.overdue_milestones(services.today_london())) for a in plan.actions)
    return [f"Action plan: {plan.title} ({len(plan.actions)} actions, {overdue} overdue milestones)"]


def _response_text(action) -> tuple[str, str]:
    summary = action.description.split(". ")[0].rstrip(".") + "."
    if action.status == "completed":
        return "we_did", f"Action {action.number}, “{action.title}”, is finished. {summary}"
    if action.status == "cant_proceed":
        return "we_cant", action.status_reason or "This action can't go ahead."
    return "we_are_doing", f"This is part of action {action.number} in our plan, “{action.title}”. {summary}"


def _written_response(theme, used: set) -> tuple[str, str] | None:
    """The first written response this theme's label or key terms call for, each used once."""
    words = _theme_words(theme)
    for stems, kind, text in WRITTEN_RESPONSES:
        if text not in used and any(word.startswith(stems) for word in words):
            used.add(text)
            return kind, text
    return None


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", (text or "").lower())


def _theme_words(theme) -> list[str]:
    """The words of a theme's label and key terms."""
    return _words(theme.display_label) + _words(" ".join(map(str, theme.keywords or [])))


def _keyword_action(words: list[str], actions: dict, min_hits: int = 1):
    """The plan's action whose keywords these words hit most (at least min_hits), or None."""
    best, best_hits = None, 0
    for number, stems in KEYWORD_ACTIONS:
        if number not in actions:
            continue
        hits = sum(1 for word in words if word.startswith(stems))
        if hits > best_hits:
            best, best_hits = actions[number], hits
    return best if best_hits >= min_hits else None


def _theme_comments(theme) -> list[str]:
    from app.consultations.models import Answer

    ids = [i for i in (theme.examples or []) if isinstance(i, int)]
    return [a.text or "" for a in Answer.query.filter(Answer.id.in_(ids)).all()] if ids else []


def _confirm_link(theme, action, officer):
    """Confirm the theme-action link, creating it if the engine did not suggest it. None if an
    officer has rejected it."""
    from app.themes.models import ThemeActionLink

    link = ThemeActionLink.query.filter_by(theme_id=theme.id, action_id=action.id).first()
    if link is None:
        link = ThemeActionLink(theme=theme, action=action, score=None)
        db.session.add(link)
    elif link.status == "rejected":
        return None
    link.confirm(officer)
    db.session.flush()
    return link


def fallback_link(theme, plan, officer):
    """Link a theme the engine could not link to the plan's action by keyword: first the label and
    key terms, then the words of its example comments."""
    if plan is None:
        return None
    actions = {a.number: a for a in plan.actions}
    action = _keyword_action(_theme_words(theme), actions)
    if action is None:
        action = _keyword_action(_words(" ".join(_theme_comments(theme))), actions, COMMENT_HITS)
    return _confirm_link(theme, action, officer) if action is not None else None


def publish_for(consultation, officer, plan=None) -> list[str]:
    """Confirm good theme links (the engine's, else by keyword within `plan`), respond to every
    theme and publish. Skips a published page."""
    from app.themes.models import ThemeActionLink

    page = ysyw.page_for(consultation)
    if page is not None and page.is_published:
        return [f"“You said, we did” already published for {consultation.title}"]
    themes = ysyw.active_themes(consultation)
    if not themes:
        return [f"No themes yet for {consultation.title}: “You said, we did” not published"]
    page = ysyw.page_for(consultation, create=True)
    page.summary = page.summary or (
        f"Thank you to everyone who told us what they think. This page sets out the main things you said "
        f"in “{consultation.title}” and what the council is doing about each of them.")
    unlinked, written_used = [], set()
    for theme in themes:
        if ysyw.response_for_theme(theme) is not None:
            continue
        links = ThemeActionLink.query.filter_by(theme_id=theme.id).all()
        confirmed = [l for l in links if l.status == "confirmed"]
        if not confirmed:
            best = max((l for l in links if l.status == "suggested" and (l.score or 0) >= DECENT_SCORE),
                       key=lambda l: l.score, default=None)
            if best is not None:
                best.confirm(officer)
                confirmed = [best]
            elif (link := fallback_link(theme, plan, officer)) is not None:
                confirmed = [link]
        written = _written_response(theme, written_used)
        if written is not None:
            kind, text = written
            ysyw.save_response(page, [theme.id], kind, text, confirmed[0].action_id if confirmed else None)
        elif confirmed:
            kind, text = _response_text(confirmed[0].action)
            ysyw.save_response(page, [theme.id], kind, text, confirmed[0].action_id)
        else:
            unlinked.append(theme)
    if len(unlinked) == len(themes) and plan is not None and plan.actions:
        # Nothing matched at all: the demo must still show a linked theme, so the biggest theme
        # (this is a repairs consultation) goes to the repairs action.
        action = next((a for a in plan.actions if a.number == "2.1"), plan.actions[0])
        link = _confirm_link(unlinked[0], action, officer)
        if link is not None:
            kind, text = _response_text(action)
            ysyw.save_response(page, [unlinked[0].id], kind, text, action.id)
            unlinked = unlinked[1:]
    if unlinked:
        # The biggest unlinked theme gets a "we did"; the rest are things the council can't change alone.
        ysyw.save_response(page, [unlinked[0].id], "we_did",
                           "We shared these comments with the repairs and estates teams and with the Overview "
                           "and Scrutiny Committee, which discussed them at its meeting in October 2026.", None)
        if unlinked[1:]:
            ysyw.save_response(page, [t.id for t in unlinked[1:]], "we_cant", WE_CANT_TEXT, None)
    db.session.flush()
    ysyw.publish(page, officer)
    return [f"Published “You said, we did” for {consultation.title} ({len(page.responses)} responses)"]


def finish(data_dir) -> list[str]:
    from app.consultations.models import Consultation

    consultation = Consultation.query.filter_by(title=CLOSED_CONSULTATION).first()
    if consultation is None or consultation.status not in ysyw.READY_STATUSES:
        return [f"No closed consultation “{CLOSED_CONSULTATION}”: “You said, we did” not published"]
    officer = (User.query.filter_by(email="grace.osei@northbrook.example").first()
               or User.query.filter_by(role="officer").order_by(User.id).first())
    with open(os.path.join(data_dir, "action_plan.json"), encoding="utf-8") as handle:
        plan = ActionPlan.query.filter_by(title=json.load(handle)["title"]).first()
    return publish_for(consultation, officer, plan)
