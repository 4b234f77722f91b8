"""Demo data: statements to vote on for the open parks consultation, with 320 made-up
participants who hold one of three planted opinions (nature first, more to do in the parks,
keep costs down), so the results show three opinion groups, what sets each apart and what
everyone agrees on. Two residents' statements wait for moderation. Seeded, so every load looks
the same; safe to run again."""
import random

from app.common import equality
from app.consultations.models import Consultation
from app.deliberation import services
from app.deliberation.models import DeliberationAboutYou, Participant, Statement, Vote
from app.extensions import db

CONSULTATION = "Parks and green spaces: your priorities for 2027"
TOPIC = "What should the council do first in Northbrook's parks?"
# Statement, then how likely each group is to agree: (nature first, more to do, keep costs down).
STATEMENTS = [
    ("Parks should have more toilets that are open all day", (0.8, 0.9, 0.75)),
    ("Paths should be lit so people feel safe walking through parks after dark", (0.7, 0.85, 0.8)),
    ("Dog fouling is a real problem and needs more enforcement", (0.85, 0.8, 0.8)),
    ("Some grass should be left long to help wildflowers and insects", (0.95, 0.3, 0.2)),
    ("The council should plant at least 1,000 new trees in the borough's parks", (0.95, 0.5, 0.15)),
    ("Ponds and streams in parks should be restored for wildlife", (0.9, 0.4, 0.2)),
    ("Fewer pesticides should be used in parks, even if they look less tidy", (0.9, 0.35, 0.3)),
    ("Every park should have a play area for children under 12", (0.3, 0.95, 0.4)),
    ("There should be outdoor gym equipment in the bigger parks", (0.2, 0.9, 0.3)),
    ("Parks should host more events such as markets, films and concerts", (0.15, 0.85, 0.2)),
    ("Teenagers need places of their own in parks, like shelters and skate areas", (0.35, 0.9, 0.3)),
    ("Sports pitches should be free for local clubs", (0.3, 0.85, 0.2)),
    ("Money for parks should go on repairs before anything new is built", (0.4, 0.2, 0.95)),
    ("Local volunteers could look after flower beds to save money", (0.6, 0.3, 0.9)),
    ("Cafes in parks should pay rent that covers the cost of maintenance", (0.3, 0.2, 0.9)),
    ("Council tax should not go up to pay for parks", (0.2, 0.25, 0.95)),
    ("Car parks at the big parks should charge to pay for their upkeep", (0.65, 0.2, 0.85)),
    ("Bins should be emptied more often in summer", (0.75, 0.8, 0.7)),
]
GROUP_WEIGHTS = (0.38, 0.35, 0.27)
PENDING = ["There should be a community orchard in Kingsmead Park where anyone can pick fruit",
           "Close the parks at night to stop anti-social behaviour"]
AGE_BY_GROUP = [{"35_44": 3, "45_54": 4, "55_64": 4, "65_74": 3, "25_34": 2},
                {"18_24": 3, "25_34": 5, "35_44": 5, "16_17": 1, "45_54": 1},
                {"45_54": 3, "55_64": 4, "65_74": 5, "75_plus": 3, "35_44": 1}]
TENURE = {"owned_outright": 4, "owned_mortgage": 5, "social_council": 4, "social_ha": 2, "private_rent": 4}
PARTICIPANTS = 320


def _pick(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def load(data_dir) -> list[str]:
    consultation = Consultation.query.filter_by(title=CONSULTATION).first()
    if consultation is None or services.conversation_for(consultation.id) is not None:
        return []
    conversation = services.create_conversation(consultation, TOPIC, [text for text, _ in STATEMENTS], True)
    statements = sorted(conversation.approved(), key=lambda s: s.id)
    rng = random.Random(2027)
    votes = 0
    for _ in range(PARTICIPANTS):
        group = rng.choices(range(3), weights=GROUP_WEIGHTS)[0]
        participant = Participant(conversation_id=conversation.id, consented=rng.random() < 0.6)
        db.session.add(participant)
        db.session.flush()
        for statement, (_text, chances) in zip(statements, STATEMENTS):
            if rng.random() > 0.75:
                continue  # not everyone votes on everything
            roll = rng.random()
            value = 0 if roll < 0.08 else (1 if rng.random() < chances[group] else -1)
            db.session.add(Vote(participant_id=participant.id, statement_id=statement.id, value=value))
            votes += 1
        if participant.consented:
            db.session.add(DeliberationAboutYou(
                respondent_key=DeliberationAboutYou.key_for(participant.id), conversation_id=conversation.id,
                age_band=_pick(rng, AGE_BY_GROUP[group]) if rng.random() < 0.9 else equality.PREFER_NOT,
                disability=("disabled" if rng.random() < 0.2 else "not_disabled") if rng.random() < 0.85 else None,
                tenure=_pick(rng, TENURE) if rng.random() < 0.9 else None))
    db.session.add_all([Statement(conversation_id=conversation.id, text=text, status="pending", from_resident=True)
                        for text in PENDING])
    conversation.publish_results()
    conversation.version += 1
    db.session.flush()
    return ["", f"Statements to vote on: “{TOPIC}” on the parks consultation, {PARTICIPANTS} demo participants, "
                f"{votes} votes (/consultations/{consultation.id}/statements; "
                f"staff: /staff/consultations/{consultation.id}/statements)."]
