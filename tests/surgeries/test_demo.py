"""The surgeries demo: the postcode it suggests leads to surgeries a resident can book."""
from app.demo import loader
from app.extensions import db as _db
from app.surgeries import demo


def test_demo_suggests_a_postcode_with_bookable_surgeries(client):
    loader.load_base()
    lines = demo.load(loader.DATA_DIR)
    _db.session.commit()
    hint = next(line for line in lines if "try postcode" in line)
    assert "try postcode NB2 3QS at /surgeries" in hint
    response = client.get("/surgeries?postcode=NB2+3QS")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hollybush" in page and "free time" in page
