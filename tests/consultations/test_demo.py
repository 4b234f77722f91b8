"""The demo loader: statuses hold whenever it runs, responses look real, and it runs twice safely."""
from app.consultations import demo
from app.consultations.models import AboutYou, Consultation, Response
from app.demo import loader


def test_demo_loads_three_consultations_once(db):
    loader.load_base()
    lines = demo.load(loader.DATA_DIR)
    db.session.commit()
    assert len(lines) == 4
    statuses = {c.title: c.status for c in Consultation.query}
    assert sorted(statuses.values()) == ["closed", "draft", "open"]
    open_one = Consultation.query.filter(Consultation.launched_at.is_not(None)).first()
    assert open_one.topics
    for consultation in Consultation.query:
        # 170 in English, and 3 (parks) or 2 (housing) in Welsh or Polish.
        expected = {"draft": 0, "open": 173, "closed": 172}[consultation.status]
        assert consultation.responses.count() == expected
    channels = {r.channel for r in Response.query}
    assert channels == {"online", "paper", "event", "phone"}
    share = AboutYou.query.count() / Response.query.count()
    assert 0.6 < share < 0.8
    assert AboutYou.query.filter_by(age_band="16_17").count() > 0
    assert AboutYou.query.filter_by(tenure="social_ha").count() > 0
    assert Response.query.filter(Response.contact_email.like("%@example.org")).count() >= 3
    assert demo.load(loader.DATA_DIR) == []
    assert Consultation.query.count() == 3 and Response.query.count() == 345
