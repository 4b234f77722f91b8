"""Officers set up statements, add more, moderate residents' statements and publish the summary;
councillors only read; residents see the summary only once published."""
import pytest

from app.deliberation import services
from app.deliberation.models import Conversation, ConversationResults, Statement
from app.extensions import db
from tests import factories
from tests.conftest import login
from tests.deliberation.conftest import SEEDS, make_conversation, many_seeds, plant_votes


def _staff(consultation, suffix=""):
    return f"/staff/consultations/{consultation.id}/statements{suffix}"


def test_an_officer_adds_statements_to_a_consultation(officer_client):
    consultation = factories.consultation(status="draft")
    page = officer_client.get(f"/staff/consultations/{consultation.id}").get_data(as_text=True)
    assert "Add statements to vote on" in page
    response = officer_client.post(_staff(consultation), data={
        "topic": "How should we improve the town centre?", "statements": "\n".join(SEEDS) + "\n\n",
        "residents_may_add": "y"})
    assert response.status_code == 302
    conversation = Conversation.query.one()
    assert [s.text for s in conversation.statements] == SEEDS
    assert all(s.status == "approved" and not s.from_resident for s in conversation.statements)
    page = officer_client.get(_staff(consultation)).get_data(as_text=True)
    assert "Statements to vote on" in page and SEEDS[1] in page

    response = officer_client.post(_staff(consultation, "/add"), data={"statements": "Buses should run later at night"})
    assert response.status_code == 302 and len(conversation.approved()) == 4


@pytest.mark.parametrize("data, message", [
    ({"topic": "", "statements": "A statement long enough"}, "Enter the question the statements answer"),
    ({"topic": "Q?", "statements": ""}, "Enter at least one statement"),
    ({"topic": "Q?", "statements": "Fine statement here\n" + "y" * 201}, "Statement 2 is 201 characters"),
    ({"topic": "Q?", "statements": "Same statement twice\nSame statement twice"}, "appears twice"),
    ({"topic": "Q" * 301, "statements": "A statement long enough"}, "300 characters or fewer"),
])
def test_set_up_mistakes_are_explained_and_nothing_is_saved(officer_client, data, message):
    consultation = factories.consultation(status="draft")
    response = officer_client.post(_staff(consultation), data=data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert Conversation.query.count() == 0 and Statement.query.count() == 0


def test_moderation(officer_client, client):
    consultation, conversation = make_conversation()
    pending = Statement(conversation_id=conversation.id, text="More benches by the river please", status="pending",
                        from_resident=True)
    spam = Statement(conversation_id=conversation.id, text="Buy cheap watches at my website", status="pending",
                     from_resident=True)
    db.session.add_all([pending, spam])
    db.session.commit()
    version = conversation.version
    page = officer_client.get(_staff(consultation)).get_data(as_text=True)
    assert "Waiting for moderation (2)" in page and "More benches" in page

    assert officer_client.post(_staff(consultation, f"/{pending.id}/moderate"), data={"decision": "approve"}).status_code == 302
    assert officer_client.post(_staff(consultation, f"/{spam.id}/moderate"), data={"decision": "reject"}).status_code == 302
    db.session.refresh(conversation)
    assert pending.status == "approved" and spam.status == "rejected" and conversation.version > version
    assert pending.moderated_at is not None
    assert officer_client.post(_staff(consultation, f"/{spam.id}/moderate"), data={"decision": "delete"}).status_code == 400

    other, other_conversation = make_conversation()
    assert officer_client.post(_staff(other, f"/{pending.id}/moderate"), data={"decision": "reject"}).status_code == 404
    assert pending.status == "approved"


def test_results_are_public_only_once_published(officer_client, app):
    consultation, conversation = make_conversation(seeds=many_seeds(12))
    plant_votes(conversation, 60)
    anyone = app.test_client()
    assert anyone.get(f"/consultations/{consultation.id}/statements/results").status_code == 404
    page = officer_client.get(_staff(consultation, "/results")).get_data(as_text=True)
    assert "Only staff can see this page" in page and "Groups of people who think alike" in page

    assert officer_client.post(_staff(consultation, "/publish"), data={"action": "publish"}).status_code == 302
    response = anyone.get(f"/consultations/{consultation.id}/statements/results")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Group A" in page and "Publish" not in page
    assert "See what people think" in anyone.get(f"/consultations/{consultation.id}").get_data(as_text=True)

    assert officer_client.post(_staff(consultation, "/publish"), data={"action": "withdraw"}).status_code == 302
    assert anyone.get(f"/consultations/{consultation.id}/statements/results").status_code == 404
    assert officer_client.post(_staff(consultation, "/publish"), data={"action": "explode"}).status_code == 400


def test_results_are_computed_once_per_version(officer_client, sql_statements):
    consultation, conversation = make_conversation(seeds=many_seeds(10))
    plant_votes(conversation, 40)
    officer_client.get(_staff(consultation, "/results"))
    first = ConversationResults.query.one()
    computed_at, version = first.computed_at, first.version
    officer_client.get(_staff(consultation, "/results"))
    db.session.refresh(first)
    assert first.computed_at == computed_at  # not recomputed on a second view

    statement = conversation.approved()[0]
    voter = officer_client.application.test_client()
    voter.post(f"/consultations/{consultation.id}/statements", data={"statement_id": statement.id, "vote": "agree"})
    officer_client.get(_staff(consultation, "/results"))
    db.session.refresh(first)
    assert first.version == version + 1


def test_councillors_read_results_but_change_nothing(app, db):
    ward = factories.ward("Kingsmead")
    consultation, conversation = make_conversation(borough_wide=False)
    consultation.wards.append(ward)
    db.session.commit()
    councillor = factories.user(role="councillor", ward_id=ward.id)
    client = app.test_client()
    login(client, councillor)
    assert client.get(_staff(consultation, "/results")).status_code == 200
    assert client.get(_staff(consultation)).status_code == 403
    assert client.post(_staff(consultation, "/publish"), data={"action": "publish"}).status_code == 403
    other_councillor = factories.user(role="councillor", ward_id=factories.ward("Elsewhere").id)
    other = app.test_client()
    login(other, other_councillor)
    assert other.get(_staff(consultation, "/results")).status_code == 403


def test_residents_and_anonymous_users_are_kept_out(app, db):
    consultation, _conversation = make_conversation()
    anonymous = app.test_client()
    assert anonymous.get(_staff(consultation)).status_code == 302
    resident = app.test_client()
    login(resident, factories.user(role="resident"))
    assert resident.get(_staff(consultation, "/results")).status_code == 403
    assert resident.post(_staff(consultation, "/add"), data={"statements": "Something sensible here"}).status_code == 403
    assert len(services.conversation_for(consultation.id).approved()) == 3


def test_staff_results_without_a_conversation(officer_client):
    consultation = factories.consultation(status="open")
    assert "No statements to vote on" in officer_client.get(_staff(consultation, "/results")).get_data(as_text=True)
    assert officer_client.post(_staff(consultation, "/add"), data={"statements": "Something sensible here"}).status_code == 404
