"""The demo consultation with every kind of question: loads once, and its answers are ones the
form would accept."""
from app.consultations import demo_kinds, results
from app.consultations.kinds import REGISTRY
from app.consultations.models import QUESTION_KINDS, Answer, Consultation
from app.demo import loader


def test_every_kind_with_valid_demo_answers(db, officer_client):
    loader.load_base()
    assert demo_kinds.load() and demo_kinds.load() == []
    db.session.commit()
    c = Consultation.query.filter_by(title=demo_kinds.TITLE).one()
    # Every kind but the map, whose demo is its own consultation (app/maps/demo.py).
    assert c.status == "open" and {q.kind for q in c.questions} == set(QUESTION_KINDS) - {"map"}
    assert c.responses.count() == demo_kinds.RESPONSES
    for question in c.questions:
        kind = REGISTRY.get(question.kind)
        if question.kind not in ("ranking", "budget"):
            continue
        by_response = {}
        for answer in Answer.query.filter_by(question_id=question.id):
            value = answer.scale_value if question.kind == "ranking" else answer.number
            by_response.setdefault(answer.response_id, {})[answer.option_id] = value
        assert by_response
        for values in by_response.values():
            problem = kind.check(question, values, True) if question.kind == "ranking" else kind.check(question, values)
            assert problem is None, (question.text, values)
    summaries = results.kind_summaries(c, threshold=10)
    assert len(summaries) == len([q for q in c.questions if q.kind in REGISTRY])
    page = officer_client.get(f"/staff/consultations/{c.id}/results")
    assert page.status_code == 200 and "Mean change" in page.get_data(as_text=True)
    header, rows = results.export_rows(c)
    assert len(rows) == demo_kinds.RESPONSES
