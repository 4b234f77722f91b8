"""The results the app computes from stored votes: planted groups found, consensus, the opinion
map and the "About you" cross-tabulation with small numbers hidden."""
from sklearn.metrics import adjusted_rand_score

from app.deliberation import services
from app.deliberation.models import DeliberationAboutYou, Participant
from app.extensions import db
from tests.deliberation.conftest import make_conversation, many_seeds, plant_votes


def test_planted_groups_and_consensus_are_found_from_the_database(db):
    _consultation, conversation = make_conversation(seeds=many_seeds(16))
    truth = plant_votes(conversation, 150, n_groups=3, shared=3)
    data = services.results(conversation)
    assert len(data["groups"]) == 3 and data["participants"] == 150
    statements = sorted(conversation.approved(), key=lambda s: s.id)
    assert {s["id"] for s in data["consensus"] if s["direction"] == "agree"} >= {s.id for s in statements[:3]}
    assert all(group["representative"] for group in data["groups"])
    assert len(data["points"]) == data["placed"]
    # The groups match the planted ones (participants were created in order).
    found = services.compute_results(conversation)
    assert found["groups"] == data["groups"]
    ids = sorted(p.id for p in Participant.query)
    X, participants, _ = services._matrix(conversation)
    from nlp.opinion import OpinionGroups

    labels = OpinionGroups().fit(X).labels_
    assert participants == ids
    assert adjusted_rand_score(truth, labels) > 0.9


def test_too_few_votes_says_so(db, client):
    consultation, conversation = make_conversation()
    plant_votes(conversation, 5)
    data = services.results(conversation)
    assert data["not_enough"] and data["groups"] == [] and data["participants"] == 5
    conversation.publish_results()
    db.session.commit()
    page = client.get(f"/consultations/{consultation.id}/statements/results").get_data(as_text=True)
    assert "Not enough people have voted yet" in page


def test_groups_are_cross_tabulated_with_about_you_with_small_numbers_hidden(db, client):
    consultation, conversation = make_conversation(seeds=many_seeds(10))
    plant_votes(conversation, 80, n_groups=2)
    participants = Participant.query.order_by(Participant.id).all()
    for n, participant in enumerate(participants[:60]):
        participant.consented = n < 50  # ten answered but did not consent: never counted
        db.session.add(DeliberationAboutYou(respondent_key=DeliberationAboutYou.key_for(participant.id),
                                            conversation_id=conversation.id,
                                            tenure="social_council" if n < 44 else "private_rent",
                                            age_band="25_34"))
    conversation.version += 1
    conversation.publish_results()
    db.session.commit()
    data = services.results(conversation)
    housing = next(t for t in data["crosstab"] if t["heading"] == "Housing")
    assert housing["answered"] == 50
    rows = {row["label"]: row for row in housing["rows"]}
    assert rows["Rent from a private landlord"]["total"] is None  # 6 people: hidden
    assert all(c is None or c >= 10 or c == 0 for row in housing["rows"] for c in row["counts"])
    council = rows["Rent from the council"]
    assert sum(c or 0 for c in council["counts"]) <= 44
    page = client.get(f"/consultations/{consultation.id}/statements/results").get_data(as_text=True)
    assert "Who is in each group" in page and "Fewer than 10" in page
    assert '<svg viewBox="0 0 400 400"' in page and 'role="img"' in page
