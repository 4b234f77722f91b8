"""The statements demo: 300+ made-up votes on the open parks consultation showing 2 to 3 groups."""
from app.consultations import demo as consultations_demo
from app.deliberation import demo, services
from app.deliberation.models import Conversation, Vote
from app.demo import loader
from app.extensions import db as _db


def test_demo_statements_show_opinion_groups(client):
    loader.load_base()
    consultations_demo.load(loader.DATA_DIR)
    _db.session.commit()
    lines = demo.load(loader.DATA_DIR)
    _db.session.commit()
    assert any("Statements to vote on" in line for line in lines)
    conversation = Conversation.query.one()
    assert conversation.consultation.status == "open" and Vote.query.count() >= 300
    data = services.results(conversation)
    _db.session.commit()
    assert 2 <= len(data["groups"]) <= 3
    assert data["consensus"]
    assert len(conversation.pending()) == 2
    page = client.get(f"/consultations/{conversation.consultation_id}/statements/results").get_data(as_text=True)
    assert "Group A" in page and "Who is in each group" in page
    assert client.get(f"/consultations/{conversation.consultation_id}/statements").status_code == 200

    assert demo.load(loader.DATA_DIR) == []  # nothing duplicated
