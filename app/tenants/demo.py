"""Demo data: a closed tenant satisfaction survey with answers from two landlords' tenants on
four estates (made up, seeded), an open one for residents to try, and a Tenant Board member."""
import random
from datetime import timedelta

from app.accounts.models import User
from app.common.timeutil import utcnow
from app.consultations.models import AboutYou, Answer, Consultation, Response
from app.extensions import db
from app.tenants import services, tsm

BOARD_EMAIL = "tenant.board@northbrook.example"
LANDLORDS = ["Northbrook Council", "Riverside Homes (housing association)"]
ESTATES = ["Canal Estate", "Hillside Estate", "Mill Lane Estate", "Station Court"]
CLOSED_TITLE = "Tenant satisfaction survey (demo, closed)"
OPEN_TITLE = "Tenant satisfaction survey"
# Chance of each positive answer by landlord: the council does a little worse on repairs.
SATISFIED = {LANDLORDS[0]: 0.62, LANDLORDS[1]: 0.74}
COMMENTS = [
    "Repairs take weeks and nobody tells you when they are coming.",
    "The damp and mould in the bathroom keeps coming back after every repair.",
    "The stairwell lights have been broken for months and it feels unsafe at night.",
    "Please do something about the drug dealing by the garages.",
    "Communal bins overflow every weekend and attract rats.",
    "The caretaker is brilliant and keeps the block clean.",
    "I reported a leak three times before anyone came out.",
    "Nobody answers the phone when you call about a repair.",
    "Noise from the flat above late at night, and complaints go nowhere.",
    "Better lighting and CCTV near the car park would make us feel safer.",
]


def _board_member(lines):
    from app.demo.cli import DEMO_PASSWORD

    user = User.query.filter_by(email=BOARD_EMAIL).first()
    if user is None:
        user = User(email=BOARD_EMAIL, name="Grace Okafor (Tenant Board)", role="tenant_board")
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
    lines.append(f"  {'tenant_board':<11} {BOARD_EMAIL} (Tenant Board: /staff/tenant-surveys)")


def _answer(rng, measure, chance):
    if measure.has_not_applicable and rng.random() < 0.12:
        return measure.options[-1]
    if rng.random() < chance:
        return measure.options[rng.choices([0, 1], weights=[40, 60])[0]]
    return measure.options[rng.choices([2, 3, 4], weights=[45, 35, 20])[0]]


def _seed(survey, count, rng):
    questions = {(i.kind, i.key): i.question for i in survey.items}
    option = {(q.id, o.label): o.id for q in questions.values() for o in q.options}
    made = []
    for n in range(count):
        landlord = rng.choices(LANDLORDS, weights=[60, 40])[0]
        estate = rng.choices(ESTATES, weights=[35, 30, 25, 10])[0]
        email = f"tenant{n}@example.org" if n % 9 == 0 else None
        response = Response(consultation_id=survey.consultation_id, keep_informed=bool(email), contact_email=email,
                            submitted_at=utcnow() - timedelta(days=20 + rng.randrange(20)))

        def pick(kind, key, label):
            question = questions[(kind, key)]
            response.answers.append(Answer(question_id=question.id, option_id=option[(question.id, label)]))

        pick("landlord", None, landlord)
        if rng.random() < 0.95:
            pick("estate", None, estate)
        filters = {tsm.FILTER_REPAIR: rng.random() < 0.7, tsm.FILTER_COMPLAINT: rng.random() < 0.3,
                   tsm.FILTER_COMMUNAL: rng.random() < 0.6}
        for key, yes in filters.items():
            pick("filter", key, "Yes" if yes else "No")
        for measure in tsm.MEASURES:
            if measure.filter and not filters[measure.filter]:
                continue
            chance = SATISFIED[landlord] - (0.1 if measure.code in ("TP02", "TP03", "TP09") else 0)
            pick("measure", measure.code, _answer(rng, measure, chance))
        if rng.random() < 0.45:
            response.answers.append(Answer(question_id=questions[("anything_else", None)].id,
                                           text=rng.choice(COMMENTS)))
        db.session.add(response)
        made.append(response)
    db.session.flush()
    for response in made:
        if rng.random() < 0.85:
            db.session.add(AboutYou(
                response_id=response.id, consultation_id=survey.consultation_id,
                age_band=rng.choice(["25_34", "35_44", "45_54", "55_64", "65_74"]),
                disability=rng.choices(["disabled", "not_disabled"], weights=[25, 75])[0],
                tenure="social_council" if any(a.option_id == option[(questions[("landlord", None)].id, LANDLORDS[0])]
                                               for a in response.answers) else "social_ha"))
    db.session.flush()


def load(data_dir) -> list[str]:
    lines = []
    _board_member(lines)
    if Consultation.query.filter_by(title=CLOSED_TITLE).first():
        return lines
    now = utcnow()
    closed = services.create_from_template(title=CLOSED_TITLE, landlords=LANDLORDS, estates=ESTATES,
                                           opens_at=now - timedelta(days=45), closes_at=now - timedelta(days=3),
                                           user=None)
    closed.launched_at = now - timedelta(days=46)
    _seed(services.survey_for(closed), 180, random.Random(2027))
    opened = services.create_from_template(title=OPEN_TITLE, landlords=LANDLORDS, estates=ESTATES,
                                           opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=40),
                                           user=None)
    opened.launched_at = now - timedelta(days=1)
    db.session.flush()
    lines += ["", "Tenant voice: a closed tenant survey with 180 answers (TP01 to TP12 by landlord, estate and "
                  "group at /staff/tenant-surveys) and an open one for tenants to answer."]
    return lines
