import io

from app.wards.models import Postcode
from app.wards.services import normalise_postcode, ward_for_postcode
from tests import factories


def test_normalise_postcode():
    assert normalise_postcode(" nb12ab ") == "NB1 2AB"
    assert normalise_postcode("SW1A 1AA") == "SW1A 1AA"
    assert normalise_postcode("not a postcode") is None


def test_import_postcodes_all_or_nothing(admin_client, db):
    ward = factories.ward("Hollybush")
    bad = "postcode,ward\nNB1 2AB,Hollybush\nrubbish,Hollybush\nNB1 3CD,Nowhere\n"
    response = admin_client.post("/staff/admin/wards/postcodes", data={"pc-file": (io.BytesIO(bad.encode()), "p.csv")},
                                 content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Line 3" in page and "Line 4" in page
    assert Postcode.query.count() == 0
    good = "postcode,ward\nnb1 2ab,Hollybush\nNB13CD,hollybush\n"
    response = admin_client.post("/staff/admin/wards/postcodes", data={"pc-file": (io.BytesIO(good.encode()), "p.csv")},
                                 content_type="multipart/form-data")
    assert response.status_code == 302
    assert ward_for_postcode("NB1 3CD").id == ward.id


def test_add_ward_rejects_duplicates(admin_client, db):
    factories.ward("Riverside")
    page = admin_client.post("/staff/admin/wards/", data={"name": "Riverside"}).get_data(as_text=True)
    assert "There is already a ward with this name" in page
