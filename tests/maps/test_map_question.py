"""Map questions: answering with pins and in words, pins outside the borough, results by ward with
themes, blurred public results, and exact CSV and GeoJSON exports for staff."""
import csv
import io
import json

import pytest

from app.audit.models import AuditEvent
from app.consultations.models import Answer, Response
from app.extensions import db
from app.maps import geo, services
from app.maps.models import MapPlace
from app.themes.models import Theme, ThemeAssignment
from tests import factories
from tests.conftest import login

MAP_Q = {"kind": "map", "text": "Where do you feel unsafe crossing the road?", "required": True,
         "hint": "Add a comment for each place."}
CHOICE_Q = {"kind": "single_choice", "text": "How do you get about?", "options": ["Walking", "Cycling"]}
OUTSIDE = (51.5007, -0.1246)  # Westminster: well outside the demo borough


@pytest.fixture()
def wards(app, db):
    """The demo's wards, whose slugs match the demo boundaries (MAP_BOUNDARIES_FILE default)."""
    from app.wards.models import Ward

    bounds = geo.boundaries()
    made = {}
    for ward in bounds.wards:
        row = Ward(name=ward.name, slug=ward.slug)
        db.session.add(row)
        made[ward.slug] = row
    db.session.commit()
    return made


def inside(slug):
    """A point well inside a demo ward."""
    point = next(w for w in geo.boundaries().wards if w.slug == slug).geometry.representative_point()
    return round(point.y, 6), round(point.x, 6)


@pytest.fixture()
def consultation(wards):
    return factories.consultation(status="open", title="Safer crossings", questions=[MAP_Q, CHOICE_Q])


def form(consultation, pins=(), places=(), **extra):
    q, choice = consultation.questions
    data = {choice.field_name: str(choice.options[0].id)}
    for n, (lat, lng, comment) in enumerate(pins):
        data.update({f"{q.field_name}-pin-{n}-lat": str(lat), f"{q.field_name}-pin-{n}-lng": str(lng),
                     f"{q.field_name}-pin-{n}-comment": comment})
    for n, (ward, text) in enumerate(places):
        data.update({f"{q.field_name}-place-{n}-ward": ward, f"{q.field_name}-place-{n}-text": text})
    data.update(extra)
    return data


def places_of(consultation):
    q = consultation.questions[0]
    return db.session.query(Answer, MapPlace).join(MapPlace, MapPlace.answer_id == Answer.id).filter(
        Answer.question_id == q.id).order_by(Answer.id).all()


# --- geography -----------------------------------------------------------------------------------
def test_boundaries_find_the_ward_and_refuse_points_outside(app, db):
    with app.app_context():
        bounds = geo.boundaries()
        assert len(bounds.wards) == 10
        for ward in bounds.wards:
            assert bounds.ward_at(*inside(ward.slug)) == ward.slug
        assert bounds.ward_at(*OUTSIDE) is None
        assert not bounds.contains(bounds.centre[0] + 1, bounds.centre[1])


def test_blurring_snaps_to_the_grid_and_is_stable(app, db):
    bounds = geo.boundaries()
    grid = geo.grid(bounds, 250)
    lat, lng = inside("riverside")
    blurred = grid.blur(lat, lng)
    assert blurred != (lat, lng)
    # Within half a square's diagonal of the real point, and the same for every point in the square.
    assert abs(blurred[0] - lat) <= grid.dlat / 2 + 1e-9 and abs(blurred[1] - lng) <= grid.dlng / 2 + 1e-9
    assert grid.blur(lat + grid.dlat / 10, lng) in (blurred, grid.blur(lat + grid.dlat, lng))
    assert grid.blur(*blurred) == blurred
    # About 250 metres across.
    assert 240 < grid.dlat * geo.METRES_PER_DEGREE_LAT < 260
    cells = geo.density([(lat, lng), (lat, lng), inside("hollybush")], grid)
    assert [c.count for c in cells] == [2, 1]
    assert (cells[0].lat, cells[0].lng) == blurred


# --- answering -------------------------------------------------------------------------------------
def test_pins_and_places_in_words_are_saved_with_their_wards(client, consultation, wards):
    lat, lng = inside("hollybush")
    data = form(consultation, pins=[(lat, lng, "No crossing by the school.")],
                places=[(str(wards["riverside"].id), "The towpath under the bridge is dark."),
                        ("unsure", "The ring road roundabout.")])
    response = client.post(f"/consultations/{consultation.id}/respond", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    saved = places_of(consultation)
    assert [(a.text, p.ward_id, p.lat) for a, p in saved] == [
        ("No crossing by the school.", wards["hollybush"].id, lat),
        ("The towpath under the bridge is dark.", wards["riverside"].id, None),
        ("The ring road roundabout.", None, None)]
    assert saved[0][1].lng == lng


def test_page_works_without_javascript(client, consultation, wards):
    page = client.get(f"/consultations/{consultation.id}/respond").get_data(as_text=True)
    q = consultation.questions[0]
    # The map is hidden until the script shows it; the words alternative is plain form fields.
    assert 'data-map-block hidden' in page
    assert f'name="{q.field_name}-place-0-ward"' in page and f'name="{q.field_name}-place-0-text"' in page
    assert "Riverside" in page and "I’m not sure" in page
    assert "/static/leaflet/leaflet.js" in page and "https://" not in page.split("<main", 1)[1].split("</main>")[0]


def test_pin_outside_the_borough_is_refused_beside_the_field_and_nothing_is_saved(client, consultation, wards):
    good = inside("kingsmead")
    data = form(consultation, pins=[(*good, "Fine pin."), (*OUTSIDE, "Far away.")],
                places=[(str(wards["ashgrove"].id), "Ashgrove Close pavement.")])
    response = client.post(f"/consultations/{consultation.id}/respond", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    message = "Pin 2 for “Where do you feel unsafe crossing the road?” is outside the borough"
    assert page.count(message) >= 3  # summary, beside the question, beside the pin
    assert Response.query.count() == 0 and MapPlace.query.count() == 0
    # What was typed is kept.
    assert "Fine pin." in page and "Far away." in page and "Ashgrove Close pavement." in page


@pytest.mark.parametrize("pins,places,message", [
    ([("abc", "1", "x")], [], "Pin 1 for “Where do you feel unsafe crossing the road?” has no position"),
    ([("nan", "inf", "x")], [], "has no position we can read"),
    ([("INSIDE", "", "")], [], "Enter a comment for pin 1"),
    ([], [("", "Somewhere by the shops")], "Choose the ward for place 1"),
    ([], [("WARD", "")], "Describe place 1"),
    ([], [("999999", "Somewhere")], "Choose a ward from the list for place 1"),
    ([], [], "Mark a place on the map or describe a place in words for “Where do you feel unsafe"),
    ([("INSIDE", "", "x" * 1001)], [], "must be 1,000 characters or fewer"),
])
def test_bad_places_get_a_message_naming_the_question(client, consultation, wards, pins, places, message):
    lat, lng = inside("fairbank")
    pins = [(lat, lng, c) if a == "INSIDE" else (a, b, c) for a, b, c in pins]
    places = [(str(wards["fairbank"].id) if w == "WARD" else w, t) for w, t in places]
    response = client.post(f"/consultations/{consultation.id}/respond", data=form(consultation, pins, places))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert Response.query.count() == 0


def test_removed_pin_is_not_saved_and_too_many_pins_are_refused(client, consultation, wards):
    lat, lng = inside("millfield")
    q = consultation.questions[0]
    data = form(consultation, pins=[(lat, lng, "Keep."), (*OUTSIDE, "Ticked to remove.")],
                **{f"{q.field_name}-pin-1-remove": "y"})
    assert client.post(f"/consultations/{consultation.id}/respond", data=data).status_code == 302
    assert [a.text for a, _p in places_of(consultation)] == ["Keep."]
    many = form(consultation, pins=[(lat, lng, f"Pin {n}") for n in range(11)])
    page = client.post(f"/consultations/{consultation.id}/respond", data=many).get_data(as_text=True)
    assert "Drop 10 pins or fewer" in page


def test_changing_a_response_keeps_and_replaces_its_places(client, consultation, wards):
    resident = factories.user(role="resident")
    login(client, resident)
    lat, lng = inside("westwood-park")
    client.post(f"/consultations/{consultation.id}/respond",
                data=form(consultation, pins=[(lat, lng, "First comment.")]))
    page = client.get(f"/consultations/{consultation.id}/respond").get_data(as_text=True)
    assert "First comment." in page and f'value="{lat!r}"' in page
    client.post(f"/consultations/{consultation.id}/respond",
                data=form(consultation, places=[(str(wards["riverside"].id), "Changed my mind.")]))
    assert [(a.text, p.lat) for a, p in places_of(consultation)] == [("Changed my mind.", None)]
    assert MapPlace.query.count() == 1


def test_staff_entry_need_not_place_anything(officer_client, consultation):
    data = form(consultation, channel="paper", **{"collected_on-day": "1", "collected_on-month": "1",
                                                  "collected_on-year": "2020"})
    response = officer_client.post(f"/staff/consultations/{consultation.id}/responses/new", data=data)
    assert "Mark a place on the map" not in response.get_data(as_text=True)


# --- results -------------------------------------------------------------------------------------
def _answer(consultation, wards, slug, text, pin=True):
    q = consultation.questions[0]
    response = Response(consultation=consultation)
    db.session.add(response)
    answer = Answer(question_id=q.id, text=text)
    lat, lng = inside(slug) if pin else (None, None)
    answer.map_place = MapPlace(lat=lat, lng=lng, ward_id=wards[slug].id)
    response.answers.append(answer)
    db.session.add(response)
    db.session.commit()
    return answer


def test_staff_results_show_wards_density_and_themes(officer_client, consultation, wards):
    a1 = _answer(consultation, wards, "riverside", "Dark towpath, needs lights.")
    a2 = _answer(consultation, wards, "riverside", "Lights are broken.")
    _answer(consultation, wards, "hollybush", "Cars park on the pavement.", pin=False)
    q = consultation.questions[0]
    theme = Theme(question_id=q.id, label="Better street lighting", size=2)
    db.session.add(theme)
    db.session.flush()
    db.session.add_all([ThemeAssignment(answer_id=a1.id, theme_id=theme.id, rank=1),
                        ThemeAssignment(answer_id=a2.id, theme_id=theme.id, rank=1)])
    db.session.commit()
    results = officer_client.get(f"/staff/consultations/{consultation.id}/results").get_data(as_text=True)
    assert f"/staff/consultations/{consultation.id}/map/{q.id}" in results
    page = officer_client.get(f"/staff/consultations/{consultation.id}/map/{q.id}").get_data(as_text=True)
    assert "3 places: 2 pins on the map and 1 described in words" in page
    assert "<svg" in page and "2 pins</title>" in page
    assert "Better street lighting (2)" in page
    assert "Dark towpath, needs lights." in page  # officers read the comments by ward
    rows = {r.name: r for r in services.by_ward(q)}
    assert (rows["Riverside"].pins, rows["Hollybush"].words) == (2, 1)


def test_councillor_reads_counts_but_not_comments_or_exports(client, consultation, wards):
    _answer(consultation, wards, "riverside", "Dark towpath, needs lights.")
    councillor = factories.user(role="councillor", ward_id=wards["riverside"].id)
    login(client, councillor)
    q = consultation.questions[0]
    page = client.get(f"/staff/consultations/{consultation.id}/map/{q.id}")
    assert page.status_code == 200 and "Dark towpath" not in page.get_data(as_text=True)
    assert client.get(f"/staff/consultations/{consultation.id}/map/{q.id}/places.csv").status_code == 403
    assert client.get(f"/staff/consultations/{consultation.id}/map/{q.id}/places.geojson").status_code == 403


def test_exports_are_exact_and_audited(officer_client, consultation, wards):
    pin = _answer(consultation, wards, "kingsmead", "=HYPERLINK(\"x\") crossing")
    _answer(consultation, wards, "millfield", "Words only.", pin=False)
    q = consultation.questions[0]
    base = f"/staff/consultations/{consultation.id}/map/{q.id}"
    response = officer_client.get(f"{base}/places.csv")
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == services.EXPORT_HEADER
    assert rows[1][3:7] == [f"{pin.map_place.lat:.6f}", f"{pin.map_place.lng:.6f}", "Kingsmead", "Pin on the map"]
    assert rows[1][7].startswith("'=")  # spreadsheet formulas neutralised
    assert rows[2][3:7] == ["", "", "Millfield", "Described in words"]
    geojson = officer_client.get(f"{base}/places.geojson")
    assert geojson.mimetype == "application/geo+json" and "attachment" in geojson.headers["Content-Disposition"]
    data = json.loads(geojson.get_data(as_text=True))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 1
    assert data["features"][0]["geometry"]["coordinates"] == [pin.map_place.lng, pin.map_place.lat]
    assert data["features"][0]["properties"]["ward"] == "Kingsmead"
    assert AuditEvent.query.filter_by(event="export.personal_data").count() == 2


def test_map_pages_for_other_questions_go_to_the_results_or_404(officer_client, consultation):
    choice = consultation.questions[1]
    response = officer_client.get(f"/staff/consultations/{consultation.id}/map/{choice.id}/places.csv")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/consultations/{consultation.id}/results")
    other = factories.consultation(status="open", questions=[MAP_Q])
    q = other.questions[0]
    assert officer_client.get(f"/staff/consultations/{consultation.id}/map/{q.id}").status_code == 404


def test_public_results_are_blurred_and_hold_no_comments(client, wards):
    published = factories.consultation(status="published", title="Crossings results", questions=[MAP_Q, CHOICE_Q])
    answer = _answer(published, wards, "riverside", "Secret comment by number 12.")
    _answer(published, wards, "hollybush", "Words.", pin=False)
    page = client.get(f"/consultations/{published.id}/results").get_data(as_text=True)
    assert "People marked 2 places: 1 on the map and 1 described in words" in page
    assert "Secret comment" not in page
    lat, lng = answer.map_place.lat, answer.map_place.lng
    assert f"{lat:.4f}" not in page and f"{lng:.4f}" not in page  # no exact position, in any form
    summary = services.public_summary(published.questions[0])
    cell = summary["cells"][0]
    assert (cell.lat, cell.lng) == geo.grid(geo.boundaries(), 250).blur(lat, lng) != (lat, lng)


def test_map_comments_feed_the_theme_engine(app, consultation, wards):
    from app.themes import services as theme_services

    q = consultation.questions[0]
    _answer(consultation, wards, "riverside", "Dark towpath, needs lights.")
    texts = [a.text for a in db.session.scalars(theme_services.answers_query(q.id))]
    assert texts == ["Dark towpath, needs lights."]
    assert consultation.free_text_questions == [q] and consultation.choice_questions == [consultation.questions[1]]


def test_csp_names_a_configured_tile_server_only(client, consultation, app, monkeypatch):
    csp = client.get(f"/consultations/{consultation.id}/respond").headers["Content-Security-Policy"]
    assert "img-src 'self' data:;" in csp
    monkeypatch.setitem(app.config, "MAP_TILE_URL", "https://{s}.tiles.example.gov.uk/{z}/{x}/{y}.png")
    response = client.get(f"/consultations/{consultation.id}/respond")
    assert "img-src 'self' data: https://*.tiles.example.gov.uk;" in response.headers["Content-Security-Policy"]
    assert "tiles.example.gov.uk" in response.get_data(as_text=True)


def test_a_responses_file_cannot_bring_in_map_places(app, consultation):
    from app.consultations.csv_import import check_file

    q, choice = consultation.questions
    text = f"Channel,Collected on,{q.text},{choice.text}\nPaper,2020-01-02,By the school,Walking\n"
    checked = check_file(consultation, text)
    assert not checked.ok
    assert any("Places on a map can’t be imported from a file" in p.message for p in checked.problems)
