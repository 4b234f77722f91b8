"""The Place Standard demo: two places, two rounds each, groups large enough to show, run twice safely."""
from app.consultations.models import Consultation
from app.demo import loader
from app.places import compass, demo, services
from app.places.models import PlaceSurvey


def test_demo_rounds_have_compasses_for_every_group_and_load_once(db):
    loader.load_base()
    lines = demo.load(loader.DATA_DIR)
    db.session.commit()
    assert len(lines) == 5 and PlaceSurvey.query.count() == 5
    published = services.all_surveys(published_only=True)
    assert sorted({s.place for s in published}) == ["Millfield", "Riverside"]
    latest = next(s for s in published if s.place == "Millfield")
    assert len(services.same_place(latest, published_only=True)) == 2
    groups = compass.by_group(latest, threshold=10)
    assert all(not g.suppressed for g in groups), [(g.label, g.respondents) for g in groups]
    open_round = PlaceSurvey.query.filter_by(place_name="Northbrook town centre").one()
    assert open_round.consultation.status == "open"
    assert demo.load(loader.DATA_DIR) == []
    assert Consultation.query.count() == 5
