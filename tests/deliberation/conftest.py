"""Builders for statements tests."""
import numpy as np

from app.deliberation import services
from app.deliberation.models import Participant, Vote
from app.extensions import db
from nlp.opinion import planted_votes
from tests import factories

SEEDS = ["We should close the high street to cars on Saturdays",
         "Parking charges in the town centre are too high",
         "The council should plant more street trees"]


def make_conversation(status="open", seeds=SEEDS, residents_may_add=True, **consultation_fields):
    consultation = factories.consultation(status=status, **consultation_fields)
    conversation = services.create_conversation(consultation, "How should we improve the town centre?",
                                                list(seeds), residents_may_add)
    db.session.commit()
    return consultation, conversation


def plant_votes(conversation, n_participants=120, n_groups=2, seed=1, shared=0):
    """Participants whose votes follow planted opinion groups; returns their true groups."""
    statements = sorted(conversation.approved(), key=lambda s: s.id)
    X, truth = planted_votes(n_participants, len(statements), n_groups, vote_rate=0.9, noise=0.1,
                             pass_rate=0.05, seed=seed, shared=shared)
    for row in X:
        participant = Participant(conversation_id=conversation.id)
        db.session.add(participant)
        db.session.flush()
        db.session.add_all([Vote(participant_id=participant.id, statement_id=s.id, value=int(v))
                            for s, v in zip(statements, row) if not np.isnan(v)])
    conversation.version += 1
    db.session.commit()
    return truth


def many_seeds(n):
    return [f"Statement number {i} about the town centre" for i in range(1, n + 1)]
