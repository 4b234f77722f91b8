"""The demo gives every ward a page with partners and updates, and loading it twice adds nothing."""
from app.demo import loader
from app.wards import demo
from app.wards.models import Partner, Ward, WardUpdate


def test_every_demo_ward_has_partners_and_updates(client, db):
    loader.load_base()
    demo.load(loader.DATA_DIR)
    db.session.commit()
    wards = Ward.query.all()
    assert len(wards) >= 10
    for ward in wards:
        assert ward.partners, ward.name
        assert WardUpdate.query.filter_by(ward_id=ward.id).count() >= 2, ward.name
        html = client.get(f"/wards/{ward.slug}").get_data(as_text=True)
        assert ward.partners[0].name.replace("'", "&#39;") in html
    counts = Partner.query.count(), WardUpdate.query.count()
    demo.load(loader.DATA_DIR)
    db.session.commit()
    assert (Partner.query.count(), WardUpdate.query.count()) == counts
    councillor_updates = WardUpdate.query.filter(WardUpdate.author_name.like("Councillor %")).count()
    assert councillor_updates >= 4  # the demo councillors post in their own wards
