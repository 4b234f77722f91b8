"""Drawing groups from the panel for events, inviting them, their replies and replacements."""
import logging
import secrets

from flask import current_app

from app.common.pseudonym import DRAW_MEMBER, pseudonym
from app.common.signing import make_token, read_token
from app.common.transaction import after_commit
from app.common.timeutil import utcnow
from app.extensions import db
from app.notifications.notify import texts_available
from app.notifications.services import email_link, send_email, send_sms
from app.panel import groups as G
from app.panel.membership import keyed_hash, manage_link
from app.panel.models import (ACCEPTED, ACTIVE, DECLINED, DRAW_DONE, DRAW_QUEUED, PENDING, REPLACED, Draw,
                              DrawSelection, PanelEquality, PanelMember)
from app.panel.sortition import METHOD, Candidate, InfeasibleQuotas, draw_panel, explain_infeasible
from app.wards.models import Ward

log = logging.getLogger(__name__)
REPLY_PURPOSE = "panel-reply"
REPLY_LINK_DAYS = 30
QUOTA_CHARACTERISTICS = list(G.CHARACTERISTICS)


def new_seed() -> int:
    return secrets.randbelow(10**9)


def describe(characteristic, group):
    """Plain words for a quota group, used in explanations ('Age: 18 to 24')."""
    if group is None:
        return G.characteristic_label(characteristic).lower()
    return f"{G.characteristic_label(characteristic)}: {G.label_of(characteristic, group)}"


def quota_groups(wards=None) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """[(characteristic, label, [(group_key, group_label)])] including 'not known'."""
    wards = wards if wards is not None else Ward.query.order_by(Ward.name).all()
    return [(c, G.characteristic_label(c), G.groups_for(c, wards) + [(G.UNKNOWN, G.UNKNOWN_LABEL)])
            for c in QUOTA_CHARACTERISTICS]


def _candidate(member, ward_names) -> Candidate:
    return Candidate(id=member.id, groups={c: G.group_of(c, member, ward_names) for c in QUOTA_CHARACTERISTICS},
                     household=member.household_key)


def _household_hash(key: str | None) -> str | None:
    """Keyed, so the stored snapshot can't be matched against a list of addresses."""
    return keyed_hash("panel-household", key, 24) if key else None


def pool_key(member_id) -> str:
    """The pseudonym a member has in draw records (HMAC under EQUALITY_KEY; docs/privacy.md)."""
    return pseudonym(DRAW_MEMBER, member_id)


def snapshot(people) -> dict:
    """The pseudonymised pool a draw ran on: groups and a household hash per member, keyed by
    pool_key(member id), so the stored record can't be joined to names without the key."""
    return {pool_key(p.id): {"g": dict(p.groups), "h": _household_hash(p.household)} for p in people}


def _people_from(snapshot_: dict) -> list[Candidate]:
    return [Candidate(id=k, groups=v["g"], household=v["h"]) for k, v in snapshot_.items()]


def unchecked_households(draw) -> int:
    """Members in the draw's pool the one-per-household rule couldn't check (no address line)."""
    return sum(1 for v in (draw.pool_snapshot or {}).values() if not v.get("h"))


class ReplyRefused(ValueError):
    """A reply that can't be recorded; the message says why, for the person."""


def _ward_names():
    return dict(db.session.query(Ward.id, Ward.name).all())


def pool(exclude_ids=()) -> list[PanelMember]:
    """Members who can be drawn: confirmed, not paused."""
    query = PanelMember.query.filter(PanelMember.status == ACTIVE)
    if exclude_ids:
        query = query.filter(PanelMember.id.not_in(list(exclude_ids)))
    members = query.order_by(PanelMember.id).all()
    PanelEquality.load(members)  # the lottery needs each member's groups (docs/privacy.md)
    return members


def create_draw(title, size, quotas, seed, one_per_household, user) -> Draw:
    """Check the quotas can be met and queue the lottery; it runs once the caller commits
    (on the RQ worker when REDIS_URL is set). Raises InfeasibleQuotas with reasons at once when
    no group fits, so the officer sees them beside the form."""
    names = _ward_names()
    people = [_candidate(m, names) for m in pool()]
    problems = explain_infeasible(people, size, quotas, one_per_household, describe=describe)
    if problems:
        raise InfeasibleQuotas(problems)
    draw = Draw(title=title, size=size, seed=str(seed), quotas=_jsonable(quotas),
                one_per_household=one_per_household, method=METHOD, pool_size=len(people),
                quotas_met=False, probability_min=0, probability_max=0, probabilities={},
                created_by_id=getattr(user, "id", None), status=DRAW_QUEUED, progress=0,
                message="Waiting to start")
    db.session.add(draw)
    db.session.flush()
    after_commit(run_draw, draw.id)
    return draw


def run_draw(draw_id: int) -> None:
    """The background job: run the lottery for a queued draw and store who was drawn. Commits
    progress as it goes so the status page can show it; a failure is recorded, never raised."""
    draw = db.session.get(Draw, draw_id)
    if draw is None or draw.status != DRAW_QUEUED:
        return  # unknown, or already picked up by another worker
    draw.start("Reading the panel")
    db.session.commit()
    shown = [draw.progress]

    def progress(percent, message):
        if percent != shown[0]:
            shown[0] = percent
            draw.report(percent, message)
            db.session.commit()

    try:
        names = _ward_names()
        members = pool()
        # The lottery runs on the pseudonymised snapshot itself, so `verify_draw` re-runs exactly it.
        pool_snapshot = snapshot([_candidate(m, names) for m in members])
        member_of = {pool_key(m.id): m.id for m in members}
        people = _people_from(pool_snapshot)
        quotas = _quotas_of(draw)
        result = draw_panel(people, draw.size, quotas, int(draw.seed), one_per_household=draw.one_per_household,
                            describe=describe, progress=progress, time_limit=current_app.config.get(
                                "PANEL_DRAW_TIME_LIMIT", 120))
        by_id = {p.id: p for p in people}
        draw.pool_size = len(people)
        draw.probability_min, draw.probability_max = result.probability_min, result.probability_max
        draw.probability_bound, draw.panels_used = result.probability_bound, result.panels_used
        draw.probabilities = dict(result.probabilities)  # keyed by pool_key
        draw.pool_snapshot = pool_snapshot
        draw.time_limit_hit = result.time_limit_hit
        for key in result.selected:
            # The selected people's groups stay with their selection: the officer running the
            # event audits the quotas and fills places with them (erased if the person leaves).
            draw.selections.append(DrawSelection(member_id=member_of[key], round=0, reply=PENDING,
                                                 groups=by_id[key].groups, probability=result.probabilities[key]))
        db.session.flush()
        draw.quotas_met = not quota_report(draw)["unmet"]
        draw.succeed(result.seconds)
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 - recorded for the officer, then logged
        db.session.rollback()
        draw = db.session.get(Draw, draw_id)
        if isinstance(exc, InfeasibleQuotas):
            # The panel changed since the quotas were checked (members left or paused).
            draw.fail("The group can't be drawn now: " + " ".join(exc.problems))
        else:
            log.exception("panel draw %s failed", draw_id)
            draw.fail("Something went wrong while drawing the group. Try again; if it keeps happening, "
                      "ask your administrator to check the logs.")
        db.session.commit()


def _jsonable(quotas):
    return {c: {g: [lo, hi] for g, (lo, hi) in groups.items()} for c, groups in quotas.items()}


def _quotas_of(draw):
    return {c: {g: tuple(v) for g, v in groups.items()} for c, groups in (draw.quotas or {}).items()}


def current_group(draw):
    """Selections that make up the group now: everyone not declined and still on the panel."""
    return [s for s in draw.selections if s.reply in (PENDING, ACCEPTED) and s.member_id is not None]


def quota_report(draw) -> dict:
    """For each quota: min, max, how many the current group has, and whether it is met."""
    selected = current_group(draw)
    rows = []
    for characteristic, groups in sorted(_quotas_of(draw).items()):
        for group, (low, high) in groups.items():
            have = sum(1 for s in selected if s.groups.get(characteristic) == group)
            met = (low is None or have >= low) and (high is None or have <= high)
            rows.append({"label": describe(characteristic, group), "min": low, "max": high, "have": have,
                         "met": met})
    return {"rows": rows, "unmet": [r for r in rows if not r["met"]], "size_met": len(selected) == draw.size}


def reply_link(selection) -> str:
    return email_link("panel.reply", token=make_token(REPLY_PURPOSE, {"s": selection.id, "m": selection.member_id}))


def send_invitations(draw, details: str) -> int:
    """Email every selected member not yet invited. Returns how many were sent."""
    council = current_app.config["COUNCIL_NAME"]
    sent = 0
    for selection in draw.selections:
        member = selection.member
        if member is None or selection.invited_at is not None or selection.reply != PENDING:
            continue
        reply, manage = reply_link(selection), manage_link(member)
        fields = {"name": member.name, "event": draw.title, "details": details, "reply_link": reply,
                  "manage_link": manage}
        if member.texts and texts_available():  # they asked for texts: the invitation goes by text only
            send_sms(member.mobile, "panel_invitation",
                     f"{council}: {member.name}, you have been chosen from the Citizens' Panel to be invited to "
                     f"{draw.title}. {details}\nCan you come? Reply here: {reply}", personalisation=fields)
        else:
            send_email(member.email, f"Invitation: {draw.title}",
                       f"Hello {member.name},\n\nYou have been chosen at random from the Citizens' Panel to be "
                       f"invited to: {draw.title}.\n\n{details}\n\nPlease tell us whether you can come:\n"
                       f"{reply}\n\nIf you need anything to take part (access, interpreting, "
                       f"childcare), reply to this email or update your access needs here:\n{manage}\n\n"
                       f"{council}", kind="panel_invitation", personalisation=fields)
        selection.invited_at = utcnow()
        sent += 1
    draw.invitations_sent_at = utcnow()
    db.session.flush()
    return sent


def selection_for_reply_token(token: str) -> DrawSelection | None:
    data = read_token(REPLY_PURPOSE, token, max_age_seconds=REPLY_LINK_DAYS * 86400)
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        return None
    selection = db.session.get(DrawSelection, data["s"])
    if selection is None or selection.member_id is None or selection.member_id != data.get("m"):
        return None
    return selection


REPLACED_MESSAGE = ("You told us you couldn't come, and your place has now been offered to someone else, so your "
                    "reply can't be changed. We'll invite you again to future events.")


def record_reply(selection, reply: str):
    """Raises ReplyRefused once the person's place has gone to a replacement."""
    if reply not in (ACCEPTED, DECLINED, PENDING):
        raise ValueError(reply)
    if selection.reply == REPLACED:
        raise ReplyRefused(REPLACED_MESSAGE)
    selection.record_reply(reply)
    db.session.flush()


def verify_draw(draw) -> tuple[bool, str]:
    """Re-run a finished draw's first round from its stored snapshot, seed and quotas, and say
    whether the same people come out."""
    if draw.status != DRAW_DONE:
        return False, f"Draw {draw.id} has not finished, so there is nothing to check."
    snap = draw.pool_snapshot or {}
    if not snap:
        return False, f"Draw {draw.id} has no stored pool (it was made before pools were kept)."
    if len(snap) < draw.pool_size:
        return False, (f"{draw.pool_size - len(snap)} member(s) of draw {draw.id}'s pool have left the panel and "
                       f"their entries were erased, so the draw can't be re-run exactly.")
    result = draw_panel(_people_from(snap), draw.size, _quotas_of(draw), int(draw.seed),
                        one_per_household=draw.one_per_household, describe=describe,
                        time_limit=current_app.config.get("PANEL_DRAW_TIME_LIMIT", 120))
    stored = sorted(pool_key(s.member_id) for s in draw.selections if s.round == 0 and s.member_id is not None)
    if result.selected == stored:
        return True, f"Draw {draw.id} reproduced: the same {len(stored)} people were selected with seed {draw.seed}."
    note = (" The lottery hit its time limit when it ran, so a re-run may differ." if draw.time_limit_hit
            or result.time_limit_hit else "")
    missing = sorted(set(stored) - set(result.selected))
    extra = sorted(set(result.selected) - set(stored))
    return False, (f"Draw {draw.id} did NOT reproduce: stored selection has {missing} that the re-run didn't pick, "
                   f"and the re-run picked {extra}.{note}")


def draw_replacements(draw, seed) -> list[DrawSelection]:
    """Fill the places of those who declined (or left), keeping everyone else, within the quotas.
    Raises InfeasibleQuotas when the remaining pool can't fill them."""
    kept = current_group(draw)
    if len(kept) >= draw.size:
        raise InfeasibleQuotas(["Nobody has declined, so there are no places to fill."])
    names = _ward_names()
    already = [s.member_id for s in draw.selections if s.member_id is not None]
    kept_members = [s.member for s in kept]
    people = [_candidate(m, names) for m in kept_members + pool(exclude_ids=already)]
    fixed = frozenset(m.id for m in kept_members)
    quotas = _quotas_of(draw)
    problems = explain_infeasible(people, draw.size, quotas, draw.one_per_household, fixed, describe=describe)
    if problems:
        raise InfeasibleQuotas(problems)
    result = draw_panel(people, draw.size, quotas, seed, one_per_household=draw.one_per_household,
                        fixed_in=fixed, describe=describe,
                        time_limit=current_app.config.get("PANEL_DRAW_TIME_LIMIT", 120))
    for selection in draw.selections:
        selection.mark_replaced()  # their places are filled now; a late "yes" can't overfill the group
    round_no = max((s.round for s in draw.selections), default=0) + 1
    by_id = {p.id: p for p in people}
    added = []
    for member_id in result.selected:
        if member_id in fixed:
            continue
        selection = DrawSelection(member_id=member_id, round=round_no, reply=PENDING, groups=by_id[member_id].groups,
                                  probability=result.probabilities[member_id])
        draw.selections.append(selection)
        added.append(selection)
    draw.rounds = list(draw.rounds or []) + [{
        "seed": str(seed), "at": utcnow().isoformat(timespec="seconds"), "added": len(added),
        "probability_min": result.probability_min, "probability_max": result.probability_max}]
    draw.quotas_met = not quota_report(draw)["unmet"]
    db.session.flush()
    return added
