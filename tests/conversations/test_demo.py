"""The demo: three hosts whose accepted records feed the open parks consultation."""
from app.common.transaction import commit
from app.consultations import demo as consultations_demo
from app.consultations.models import Consultation
from app.conversations import demo, services
from app.conversations.models import ConversationRecord
from app.demo import loader


def test_demo_adds_three_accepted_conversations_once(app, db):
    loader.load_base()
    consultations_demo.load(loader.DATA_DIR)
    commit()
    lines = demo.load(loader.DATA_DIR)
    commit()
    assert lines and "3 hosts, 34 people" in lines[0]
    consultation = Consultation.query.filter_by(title=demo.TITLE).one()
    assert services.participation(consultation.id) == (34, 3)
    assert {r.response.channel for r in ConversationRecord.query} == {"group"}
    assert demo.load(loader.DATA_DIR) == []  # safe to run again
