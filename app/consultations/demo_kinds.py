"""A demo consultation with a question of every kind, budget allocation included ("Budget 2027:
help us balance the books"), and seeded demo responses. Loaded by demo.finish(), after the
themes, so the theme engine's demo is unchanged. Safe to run twice."""
import random
from datetime import date, timedelta

from app.common.timeutil import utcnow
from app.consultations.models import Answer, Consultation, ConsultationEvent, Question, QuestionOption, Response
from app.consultations.services import topics_named
from app.extensions import db

TITLE = "Budget 2027: help us balance the books"
RESPONSES = 60
CURRENT = {"Adult social care": 48_000_000, "Children's services": 31_000_000, "Waste and recycling": 12_000_000,
           "Roads and transport": 9_000_000, "Parks and leisure": 5_000_000}
QUESTIONS = [
    ("single_choice", "How do you mostly hear about council news?", True,
     ["Council website", "Social media", "Local newspaper", "Word of mouth"], {"other": True}),
    ("multiple_choice", "Which council services have you used in the last year?", False,
     ["Libraries", "Leisure centres", "Parks", "Recycling centre"], {"other": True}),
    ("agreement", "The council should raise council tax to protect front-line services.", False, [], {}),
    ("ranking", "Which services matter most to you?", True, list(CURRENT), {"rank_limit": 3}),
    ("grid", "How do you rate these services?", False, ["Bin collections", "Street cleaning", "Libraries"],
     {"scale": ["Very poor", "Poor", "OK", "Good", "Very good"]}),
    ("number", "How many times did you use a library in the last year?", False, [],
     {"min": 0, "max": 365, "whole": True}),
    ("date", "When did you last contact the council?", False, [], {"earliest": "2020-01-01", "latest": None}),
    ("postcode", "What is your postcode?", False, [], {}),
    ("email", "If you would like to join our budget panel, what is your email address?", False, [], {}),
    ("budget", "You have £100 to spend on these services. How would you share it?", True,
     list(CURRENT)[:4], {"mode": "allocate", "total": 100}),
    ("budget", "Cut or raise each service's budget by up to 10%, keeping the total the same", False,
     list(CURRENT), {"mode": "adjust", "limit": 10, "current": CURRENT}),
    ("free_text", "Is there anything else you would like to tell us about the budget?", False, [], {}),
]
COMMENTS = ["Please keep the libraries open in the evenings.", "Fix the potholes on the high road first.",
            "Social care for older people must come first.", "More bins in the park, and empty them more often."]
POSTCODES = ["NB1 2AB", "NB1 4DX", "NB2 7QT", "NB2 1HS", "NB3 9PL", "NB4 6RW"]


def load() -> list[str]:
    if Consultation.query.filter_by(title=TITLE).first():
        return []
    now = utcnow().replace(second=0, microsecond=0)
    consultation = Consultation(
        title=TITLE, summary="Tell us how you would share out the council's budget, and which services matter "
                             "most to you.",
        body="Like every council, we have less money than we need for everything we want to do.\n\n"
             "Try sharing out our budget yourself, rank the services that matter most to you, and tell us "
             "how well they work.", opens_at=now - timedelta(days=14), closes_at=now + timedelta(days=28),
        launched_at=now - timedelta(days=16))
    consultation.topics = topics_named(["Budget and council tax"])
    for position, (kind, text, required, options, settings) in enumerate(QUESTIONS):
        consultation.questions.append(Question(
            kind=kind, text=text, required=required, position=position, settings=dict(settings),
            options=[QuestionOption(label=label, position=i) for i, label in enumerate(options)]))
    db.session.add(consultation)
    db.session.flush()
    db.session.add(ConsultationEvent(consultation_id=consultation.id, action="launched",
                                     occurred_at=consultation.launched_at, detail="Demo"))
    rng = random.Random(2027)
    for n in range(RESPONSES):
        response = Response(consultation=consultation, channel="online" if n % 6 else "paper",
                            submitted_at=consultation.opens_at + timedelta(hours=rng.uniform(1, 300)))
        response.collected_on = response.submitted_at.date() if response.channel == "paper" else None
        for question in consultation.questions:
            response.answers.extend(_answers(question, rng, n))
        db.session.add(response)
    db.session.flush()
    return [f"  Consultation (open): {TITLE} – every kind of question, {RESPONSES} responses"]


def _answers(question, rng, n) -> list[Answer]:  # noqa: C901 - one branch per kind, read top to bottom
    q, options = question.id, question.options
    if question.kind == "single_choice":
        if rng.random() < 0.12:
            return [Answer(question_id=q, text=rng.choice(["The library noticeboard", "My councillor"]))]
        return [Answer(question_id=q, option_id=rng.choice(options).id)]
    if question.kind == "multiple_choice":
        found = [Answer(question_id=q, option_id=o.id) for o in options if rng.random() < 0.4]
        return found + ([Answer(question_id=q, text="Adult education classes")] if rng.random() < 0.08 else [])
    if question.kind == "agreement":
        return [Answer(question_id=q, scale_value=rng.choice([1, 2, 2, 3, 4, 4, 5]))]
    if question.kind == "ranking":
        weights = [5, 4, 2, 2, 3]
        chosen = []
        while len(chosen) < rng.randint(1, 3):
            option = rng.choices(options, weights=weights)[0]
            if option not in chosen:
                chosen.append(option)
        return [Answer(question_id=q, option_id=o.id, scale_value=rank) for rank, o in enumerate(chosen, start=1)]
    if question.kind == "grid":
        return [Answer(question_id=q, option_id=o.id, scale_value=rng.choice([1, 2, 3, 3, 4, 4, 5]))
                for o in options if rng.random() < 0.9]
    if question.kind == "number":
        return [Answer(question_id=q, number=float(rng.choice([0, 0, 1, 2, 4, 6, 12, 24, 52])))] if n % 4 else []
    if question.kind == "date":
        return [Answer(question_id=q, date_value=date(2026, 1, 1) + timedelta(days=rng.randint(0, 300)))] if n % 3 else []
    if question.kind == "postcode":
        return [Answer(question_id=q, text=rng.choice(POSTCODES))] if n % 5 else []
    if question.kind == "email":
        return [Answer(question_id=q, text=f"panel{n}@example.org")] if n % 7 == 0 else []
    if question.kind == "budget" and question.setting("mode") == "allocate":
        cuts = sorted(rng.sample(range(0, 101, 5), 3))
        shares = [cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], 100 - cuts[2]]
        return [Answer(question_id=q, option_id=o.id, number=float(s)) for o, s in zip(options, shares)]
    if question.kind == "budget":
        if n % 3 == 0:
            return []
        amounts = {o.id: CURRENT[o.label] for o in options}
        for _move in range(2):  # move money from one service to another, within 10% of both
            give, take = rng.sample(options, 2)
            room = min(CURRENT[give.label], CURRENT[take.label]) // 20
            amount = rng.randint(0, room // 100_000) * 100_000
            amounts[give.id] -= amount
            amounts[take.id] += amount
        return [Answer(question_id=q, option_id=o.id, number=float(amounts[o.id])) for o in options]
    if question.kind == "free_text" and n % 4 == 1:
        return [Answer(question_id=q, text=rng.choice(COMMENTS))]
    return []
