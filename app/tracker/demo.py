"""Demo data: two closed rounds of the shared-goals survey with a few hundred answers each, an
open round for residents to try, and the national figures found for docs/tracker.md. Safe to run
again: nothing is duplicated. Answers are made up (seeded), not anyone's."""
import random
from datetime import timedelta
from decimal import Decimal

from app.common.pseudonym import pseudonym
from app.extensions import db
from app.tracker import services
from app.tracker.indicators import INDICATORS
from app.tracker.models import (TRACKER_RESPONSE, TrackerAboutYou, TrackerAnswer, TrackerResponse, TrackerRound,
                                london_today)
from app.wards.models import Ward

# Indicator -> chance of an "agree" answer in the first and second round (the borough improves a little).
AGREE_CHANCE = {"belonging": (0.56, 0.63), "cohesion": (0.76, 0.79), "influence": (0.21, 0.29),
                "trust": (0.36, 0.39)}
# Only the figures confirmed from a published source (docs/tracker.md); trust is left for an officer.
BENCHMARKS = [
    ("belonging", Decimal("61"), "2023/24", "Community Life Survey 2023/24: Neighbourhood and community"),
    ("cohesion", Decimal("81"), "2018/19", "Community Life Survey 2018/19, in Ethnicity facts and figures"),
    ("influence", Decimal("27"), "2019/20", "Community Life Survey 2019/20, in Ethnicity facts and figures"),
]
AGE_WEIGHTS = {"16_17": 1, "18_24": 6, "25_34": 12, "35_44": 14, "45_54": 14, "55_64": 13, "65_74": 11,
               "75_plus": 6, "prefer_not": 3}
TENURE_WEIGHTS = {"owned_outright": 28, "owned_mortgage": 27, "shared_ownership": 2, "social_council": 10,
                  "social_ha": 8, "private_rent": 20, "rent_free": 1, "prefer_not": 4}


def _rounds():
    """(name, opens, closes, answers) relative to today, so the demo always has two closed rounds."""
    today = london_today()
    first_close, second_close = today - timedelta(days=370), today - timedelta(days=6)
    return [(f"{first_close:%B %Y} round", first_close - timedelta(days=42), first_close, 320),
            (f"{second_close:%B %Y} round", second_close - timedelta(days=42), second_close, 380),
            (f"{today:%B %Y} round (open)", today - timedelta(days=1), today + timedelta(days=27), 0)]


def _pick(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _answer(rng, indicator, chance):
    codes = [code for code, _label in indicator.choices]
    agree = [c for c in codes if c in indicator.agree]
    other = [c for c in codes if c not in indicator.agree]
    if rng.random() < chance:
        return rng.choice(agree) if len(agree) == 1 else rng.choices(agree, weights=[35, 65][:len(agree)])[0]
    return rng.choices(other, weights=[55, 30, 15][:len(other)])[0]


def _seed_answers(tracker_round, count, which, wards, rng):
    # One ward is deliberately small, so the results show a suppressed ward.
    weights = [1 if i == len(wards) - 1 else 10 + (i * 3) % 7 for i in range(len(wards))]
    effect = {w.id: (i % 5 - 2) * 0.04 for i, w in enumerate(wards)}
    abouts = []
    for _ in range(count):
        ward = rng.choices(wards, weights=weights)[0]
        disabled = rng.random() < 0.21
        response = TrackerResponse(
            round=tracker_round, ward=ward,
            submitted_on=tracker_round.opens_on + timedelta(days=rng.randrange(
                (tracker_round.closes_on - tracker_round.opens_on).days + 1)))
        about = {"age_band": _pick(rng, AGE_WEIGHTS) if rng.random() < 0.9 else None,
                 "disability": ("disabled" if disabled else "not_disabled") if rng.random() < 0.88 else None,
                 "tenure": _pick(rng, TENURE_WEIGHTS) if rng.random() < 0.85 else None}
        for indicator in INDICATORS:
            if rng.random() < 0.94:
                chance = AGREE_CHANCE[indicator.code][which] + effect[ward.id] - (0.06 if disabled else 0)
                response.answers.append(TrackerAnswer(indicator=indicator.code,
                                                      answer=_answer(rng, indicator, chance)))
        db.session.add(response)
        abouts.append((response, about))
    db.session.flush()
    for response, about in abouts:
        if any(about.values()):
            db.session.add(TrackerAboutYou(respondent_key=pseudonym(TRACKER_RESPONSE, response.id),
                                           round_id=tracker_round.id, **about))
    db.session.flush()


def load(data_dir) -> list[str]:
    wards = Ward.query.order_by(Ward.name).all()
    if not wards:
        return []
    rng = random.Random(2026)
    added = []
    for which, (name, opens_on, closes_on, count) in enumerate(_rounds()):
        if TrackerRound.query.filter_by(name=name).first():
            continue
        tracker_round = services.create_round(name, opens_on, closes_on)
        if count:
            _seed_answers(tracker_round, count, min(which, 1), wards, rng)
        added.append(name)
    existing = services.benchmarks()
    for code, percent, year, source in BENCHMARKS:
        if code not in existing:
            services.save_benchmark(code, percent, year, source)
    if not added:
        return []
    return ["", "Shared goals tracker: " + ", ".join(added) + " (/shared-goals; staff: /staff/tracker)."]
