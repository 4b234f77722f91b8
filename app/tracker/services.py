"""Tracker logic: rounds, recording answers, benchmarks and results. Flush, never commit."""
from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app
from sqlalchemy import func

from app.common import equality
from app.common.pseudonym import pseudonym, pseudonyms
from app.common.timeutil import utcnow
from app.extensions import db
from app.tracker.indicators import BY_CODE, INDICATORS
from app.tracker.models import (TRACKER_RESPONSE, TrackerAboutYou, TrackerAnswer, TrackerBenchmark,
                                TrackerResponse, TrackerRound)
from app.tracker.stats import Estimate, estimate
from app.wards.models import Ward

# "About you" breakdowns shown in results: TrackerAboutYou column -> (heading, choices).
GROUPS = {
    "age_band": ("Age", equality.AGE_BANDS),
    "disability": ("Disability", [("disabled", "Disabled"), ("not_disabled", "Not disabled")]),
    "tenure": ("Housing", equality.TENURES),
}


class RoundClosed(Exception):
    """The round closed (or has not opened) between showing the form and sending it."""


def threshold() -> int:
    return int(current_app.config.get("SMALL_NUMBER_THRESHOLD", 10))


def create_round(name: str, opens_on, closes_on, created_by=None) -> TrackerRound:
    tracker_round = TrackerRound(name=name.strip(), opens_on=opens_on, closes_on=closes_on,
                                 created_by_id=getattr(created_by, "id", None))
    db.session.add(tracker_round)
    db.session.flush()
    return tracker_round


def rounds_newest_first():
    return TrackerRound.query.order_by(TrackerRound.opens_on.desc(), TrackerRound.id.desc()).all()


def record_response(tracker_round: TrackerRound, ward: Ward, answers: dict[str, str],
                    about: dict[str, str | None], submitted_on=None) -> TrackerResponse:
    """One resident's answers, all or nothing. `answers`: indicator code -> choice code (blanks left out)."""
    if not tracker_round.is_open:
        raise RoundClosed()
    for code, answer in answers.items():
        if answer not in dict(BY_CODE[code].choices):
            raise ValueError(f"{answer!r} is not an answer to {code}")
    response = TrackerResponse(round=tracker_round, ward=ward)
    if submitted_on is not None:
        response.submitted_on = submitted_on
    response.answers = [TrackerAnswer(indicator=code, answer=answer) for code, answer in answers.items()]
    db.session.add(response)
    db.session.flush()
    about = {k: about.get(k) or None for k in GROUPS}
    if any(about.values()):
        db.session.add(TrackerAboutYou(respondent_key=pseudonym(TRACKER_RESPONSE, response.id),
                                       round_id=tracker_round.id, **about))
        db.session.flush()
    return response


def about_you(response: TrackerResponse) -> TrackerAboutYou | None:
    return db.session.get(TrackerAboutYou, pseudonym(TRACKER_RESPONSE, response.id))


def benchmarks() -> dict[str, TrackerBenchmark]:
    return {b.indicator: b for b in TrackerBenchmark.query.all()}


def save_benchmark(code: str, percent: Decimal, year: str, source: str, user=None) -> TrackerBenchmark:
    if code not in BY_CODE:
        raise ValueError(f"unknown indicator {code!r}")
    benchmark = db.session.get(TrackerBenchmark, code) or TrackerBenchmark(indicator=code)
    benchmark.percent, benchmark.year, benchmark.source = percent, year.strip(), (source or "").strip()
    benchmark.updated_at, benchmark.updated_by_id = utcnow(), getattr(user, "id", None)
    db.session.add(benchmark)
    db.session.flush()
    return benchmark


# --- Results -----------------------------------------------------------------------------------

def _counts(round_ids, group_column=None):
    """{(round_id, group, indicator): [agree, base]} in one grouped query."""
    columns = [TrackerResponse.round_id, TrackerAnswer.indicator, TrackerAnswer.answer]
    if group_column is not None:
        columns.append(group_column)
    query = (db.session.query(*columns, func.count(TrackerAnswer.id))
             .join(TrackerResponse, TrackerAnswer.response_id == TrackerResponse.id)
             .filter(TrackerResponse.round_id.in_(round_ids))
             .group_by(*columns))
    totals = {}
    for row in query:
        round_id, code, answer = row[0], row[1], row[2]
        group = row[3] if group_column is not None else None
        indicator = BY_CODE.get(code)
        if indicator is None:
            continue
        cell = totals.setdefault((round_id, group, code), [0, 0])
        cell[1] += row[-1]
        if answer in indicator.agree:
            cell[0] += row[-1]
    return totals


def _group_counts(round_id):
    """{column: {(round_id, code, indicator): [agree, base]}} for the "About you" groups.

    The rows share no column with the responses, so the application matches them by computing
    each response's pseudonym (the database alone cannot)."""
    key_to_response = pseudonyms(TRACKER_RESPONSE, [rid for (rid,) in db.session.query(TrackerResponse.id)
                                                    .filter(TrackerResponse.round_id == round_id)])
    groups_of = {}  # response id -> {column: code}
    for row in TrackerAboutYou.query.filter_by(round_id=round_id):
        response_id = key_to_response.get(row.respondent_key)
        if response_id is not None:
            groups_of[response_id] = {column: getattr(row, column) for column in GROUPS}
    totals = {column: {} for column in GROUPS}
    answers = (db.session.query(TrackerAnswer.response_id, TrackerAnswer.indicator, TrackerAnswer.answer)
               .join(TrackerResponse, TrackerAnswer.response_id == TrackerResponse.id)
               .filter(TrackerResponse.round_id == round_id))
    for response_id, code, answer in answers:
        indicator, groups = BY_CODE.get(code), groups_of.get(response_id)
        if indicator is None or groups is None:
            continue
        for column, group in groups.items():
            if group is None:
                continue
            cell = totals[column].setdefault((round_id, group, code), [0, 0])
            cell[1] += 1
            cell[0] += answer in indicator.agree
    return totals


def _estimate(totals, round_id, group, code, limit) -> Estimate:
    agree, base = totals.get((round_id, group, code), (0, 0))
    return estimate(agree, base, limit)


@dataclass
class Breakdown:
    heading: str
    rows: list = field(default_factory=list)  # [(label, {indicator code: Estimate})]


@dataclass
class RoundResults:
    round: TrackerRound
    responses: int
    overall: dict  # indicator code -> Estimate
    by_ward: Breakdown
    by_group: list  # [Breakdown]
    threshold: int


def round_results(tracker_round: TrackerRound) -> RoundResults:
    limit = threshold()
    rid = tracker_round.id
    overall = _counts([rid])
    by_ward = _counts([rid], TrackerResponse.ward_id)
    ward_rows = [(ward.name, {i.code: _estimate(by_ward, rid, ward.id, i.code, limit) for i in INDICATORS})
                 for ward in Ward.query.order_by(Ward.name)]
    groups = []
    group_counts = _group_counts(rid)
    for column_name, (heading, choices) in GROUPS.items():
        counts = group_counts[column_name]
        groups.append(Breakdown(heading, [
            (label, {i.code: _estimate(counts, rid, code, i.code, limit) for i in INDICATORS})
            for code, label in choices]))
    responses = tracker_round.responses.count()
    return RoundResults(tracker_round, responses,
                        {i.code: _estimate(overall, rid, None, i.code, limit) for i in INDICATORS},
                        Breakdown("Ward", ward_rows), groups, limit)


def over_time(rounds) -> list[tuple[TrackerRound, dict]]:
    """[(round, {indicator code: Estimate})], oldest round first."""
    rounds = sorted(rounds, key=lambda r: (r.opens_on, r.id))
    if not rounds:
        return []
    limit = threshold()
    totals = _counts([r.id for r in rounds])
    return [(r, {i.code: _estimate(totals, r.id, None, i.code, limit) for i in INDICATORS}) for r in rounds]
