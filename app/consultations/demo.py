"""Demo consultations for the fictional borough (text from app/demo/data/consultations.json).

Dates are set relative to now so the open one is open, the closed one closed and the draft a
draft whenever the demo is loaded. Each comment becomes one response; the other answers are
drawn from a seeded random generator so every load looks the same. Safe to run twice.
"""
import json
import os
import random
from datetime import timedelta

from app.accounts.models import User
from app.common import equality
from app.common.timeutil import format_london, utcnow
from app.consultations.models import (AUDIENCE_TAGS, AboutYou, Answer, Consultation, ConsultationEvent,
                                      Question, QuestionOption, Response)
from app.consultations.services import topics_named
from app.extensions import db
from app.wards.models import Ward

# Days relative to today: (opens, closes, launched?)
WINDOWS = {"open": (-21, 42, True), "closed": (-110, -12, True), "draft": (14, 84, False)}
TOPICS = {
    "parks-and-green-spaces-2027": ["Parks and green spaces", "Children and families"],
    "housing-repairs-and-estate-safety": ["Housing", "Community safety"],
    "youth-services-review-2027": ["Young people", "Children and families"],
}
EXTRA_AUDIENCES = {"parents and carers": "Families"}
CHANNEL_WEIGHTS = {"online": 78, "paper": 11, "event": 7, "phone": 4}
AGE_WEIGHTS = {"under_16": 3, "16_17": 4, "18_24": 9, "25_34": 16, "35_44": 18, "45_54": 16, "55_64": 14,
               "65_74": 11, "75_plus": 6, equality.PREFER_NOT: 3}
TENURE_WEIGHTS = {"owned_outright": 18, "owned_mortgage": 22, "shared_ownership": 3, "social_council": 20,
                  "social_ha": 12, "private_rent": 20, "rent_free": 2, equality.PREFER_NOT: 3}
ETHNIC_WEIGHTS = {"white_british": 48, "white_other": 9, "white_irish": 2, "asian_indian": 6,
                  "asian_pakistani": 4, "asian_bangladeshi": 4, "asian_chinese": 2, "asian_other": 2,
                  "black_african": 7, "black_caribbean": 5, "black_other": 1, "mixed_white_black_caribbean": 2,
                  "mixed_white_asian": 1, "mixed_other": 1, "other_arab": 1, "other_any": 1,
                  "white_gypsy_traveller": 1, equality.PREFER_NOT: 3}


def _pick(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def load(data_dir) -> list[str]:
    with open(os.path.join(data_dir, "consultations.json"), encoding="utf-8") as handle:
        specs = json.load(handle)
    officer = User.query.filter(User.role == "officer").order_by(User.id).first()
    lines = []
    for index, spec in enumerate(specs):
        if Consultation.query.filter_by(title=spec["title"]).first():
            continue
        consultation = _create(spec, officer)
        rng = random.Random(2026 + index)
        count = 0
        if spec["status"] in ("open", "closed"):
            for n, comment in enumerate(spec.get("comments", [])):
                _add_response(consultation, comment, rng, officer, n)
                count += 1
            # Welsh and Polish answers: the theme engine sets them aside for a speaker to read.
            for n, comment in enumerate(spec.get("comments_in_other_languages", []), start=count):
                _add_response(consultation, comment, rng, officer, n)
                count += 1
        db.session.flush()
        lines.append(f"  Consultation ({consultation.status}): {consultation.title} – {count} responses")
    if lines:
        lines.insert(0, "Consultations:")
    return lines


def _create(spec, officer) -> Consultation:
    now = utcnow().replace(second=0, microsecond=0)
    opens, closes, launched = WINDOWS[spec["status"]]
    tags = {t.lower(): t for t in AUDIENCE_TAGS}
    audience = []
    for tag in spec.get("audience_tags", []):
        name = tags.get(tag.lower()) or EXTRA_AUDIENCES.get(tag.lower())
        if name and name not in audience:
            audience.append(name)
    consultation = Consultation(
        title=spec["title"], summary=spec["summary"], body=spec["body"], created_by=officer,
        borough_wide=spec.get("scope") != "wards", audience_tags=audience,
        opens_at=now + timedelta(days=opens), closes_at=now + timedelta(days=closes),
        launched_at=now + timedelta(days=opens - 3) if launched else None)
    if not consultation.borough_wide:
        consultation.wards = Ward.query.filter(Ward.name.in_(spec.get("wards", []))).all()
    consultation.topics = topics_named(TOPICS.get(spec.get("slug"), []))
    for position, q in enumerate(spec["questions"]):
        question = Question(kind=q["kind"], text=q["text"], hint=q.get("hint", ""), position=position,
                            required=bool(q.get("required")), max_choices=q.get("max_choices"))
        if q["kind"] in ("single_choice", "multiple_choice"):
            question.options = [QuestionOption(label=label, position=i) for i, label in enumerate(q["options"])]
        consultation.questions.append(question)
    db.session.add(consultation)
    db.session.flush()
    _add_history(consultation, officer)
    return consultation


def _add_history(consultation, officer):
    """What an officer would have done: launched it; the closed one was closed early by
    mistake and reopened the same day, so its history shows how that is undone."""
    if consultation.launched_at is None:
        return

    def event(action, when, detail=""):
        db.session.add(ConsultationEvent(consultation_id=consultation.id, action=action, occurred_at=when,
                                         detail=detail, actor_id=getattr(officer, "id", None),
                                         actor_name=getattr(officer, "name", None)))
    event("launched", consultation.launched_at, f"Open from {format_london(consultation.opens_at)} "
          f"to {format_london(consultation.closes_at)}")
    if consultation.closes_at < utcnow():
        slip = consultation.closes_at - timedelta(days=30)
        event("closed", slip, f"It was due to close on {format_london(consultation.closes_at)}")
        event("reopened", slip + timedelta(hours=1), f"Now closes on {format_london(consultation.closes_at)}")


def _add_response(consultation, comment, rng, officer, n):
    end = min(utcnow(), consultation.closes_at)
    span = (end - consultation.opens_at).total_seconds()
    channel = _pick(rng, CHANNEL_WEIGHTS)
    response = Response(consultation=consultation, channel=channel,
                        entered_by=officer if channel != "online" else None,
                        submitted_at=consultation.opens_at + timedelta(seconds=rng.uniform(0, span)))
    free_text = consultation.free_text_questions
    for question in consultation.questions:
        if question.kind == "agreement":
            stance = comment.get("stance")
            response.answers.append(Answer(question_id=question.id,
                                           scale_value=stance if stance else rng.choice([2, 3, 3, 4])))
        elif question.kind == "single_choice":
            weights = [len(question.options) - i + 1 for i in range(len(question.options))]
            option = rng.choices(question.options, weights=weights)[0]
            response.answers.append(Answer(question_id=question.id, option_id=option.id))
        elif question.kind == "multiple_choice" and rng.random() < 0.85:
            limit = min(question.max_choices or 3, len(question.options))
            for option in rng.sample(question.options, rng.randint(1, limit)):
                response.answers.append(Answer(question_id=question.id, option_id=option.id))
        elif question.kind == "free_text" and question is free_text[0]:
            response.answers.append(Answer(question_id=question.id, text=comment["text"]))
    if n % 29 == 3:
        response.keep_informed = True
        response.contact_email = f"resident{n + 1}.{consultation.id}@example.org"
    db.session.add(response)
    db.session.flush()
    if rng.random() < 0.7:
        _add_about_you(response, consultation, rng)


def _add_about_you(response, consultation, rng):
    wards = consultation.wards if not consultation.borough_wide else Ward.query.all()
    prefer = equality.PREFER_NOT
    db.session.add(AboutYou(
        response_id=response.id, consultation_id=consultation.id,
        age_band=_pick(rng, AGE_WEIGHTS) if rng.random() < 0.95 else None,
        sex=rng.choices(["female", "male", prefer], weights=[53, 43, 4])[0],
        ethnic_group=_pick(rng, ETHNIC_WEIGHTS) if rng.random() < 0.93 else None,
        disability=rng.choices(["disabled", "not_disabled", prefer], weights=[18, 76, 6])[0],
        tenure=_pick(rng, TENURE_WEIGHTS),
        ward_id=rng.choice(wards).id if wards and rng.random() < 0.85 else None))


def finish(data_dir) -> list[str]:
    """After the themes exist: a bulk import of paper and event responses (demo_import.py), and
    the consultation with every kind of question (demo_kinds.py)."""
    from app.consultations import demo_kinds
    from app.consultations.demo_import import load_import

    return load_import() + demo_kinds.load()
