"""Place Standard pages over HTTP: answering (with mistakes), the compass, staff pages, ward page."""
import re

from app.consultations.models import Answer, Response
from app.places.models import PlaceSurvey
from tests import factories
from tests.conftest import login
from tests.places.conftest import add_response, form_for, make_round, rating_questions


def _respond(client, survey, data):
    return client.post(f"/consultations/{survey.consultation_id}/respond", data=data)


def test_the_form_has_seven_radios_per_theme_and_a_comment_box(client, db):
    survey = make_round(place_name="Town centre")
    page = client.get(f"/consultations/{survey.consultation_id}/respond").get_data(as_text=True)
    first = rating_questions(survey)[0]
    assert len(re.findall(rf'name="{first.field_name}" type="radio"', page)) == 7
    assert page.count('type="radio" value="7"') >= 14
    assert "Moving around: Can I easily walk and cycle around using good-quality routes?" in page
    assert "1 means there is a lot of room for improvement. 7 means there is very little room for improvement." in page
    assert "Public transport: what is good now, and what could be better?" in page
    assert "govuk-radios--inline" in page


def test_a_full_response_is_saved_with_its_ratings_and_comments(client, db):
    survey = make_round(place_name="Town centre")
    comment = next(q for q in survey.consultation.questions if q.kind == "free_text")
    data = form_for(survey, 5, **{comment.field_name: "Lovely towpath", "about_age_band": "18_24"})
    response = _respond(client, survey, data)
    assert response.status_code == 302 and "/confirmation" in response.headers["Location"]
    saved = Response.query.filter_by(consultation_id=survey.consultation_id).one()
    ratings = [a.scale_value for a in saved.answers if a.scale_value is not None]
    assert ratings == [5] * 14
    assert [a.text for a in saved.answers if a.text] == ["Lovely towpath"]


def test_a_missing_rating_names_the_theme_and_keeps_what_was_typed(client, db):
    survey = make_round(place_name="Town centre")
    transport = rating_questions(survey)[1]
    comment = survey.consultation.questions[3]  # public transport's comment box
    data = form_for(survey, 3, **{comment.field_name: "Buses stop at 9pm"})
    del data[transport.field_name]
    response = _respond(client, survey, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert page.count("Select a rating for Public transport") == 2  # summary and beside the radios
    assert f'href="#{transport.field_name}"' in page
    assert "Buses stop at 9pm" in page and 'value="3" checked' in page
    assert Response.query.count() == 0 and Answer.query.count() == 0


def test_a_crafted_rating_outside_1_to_7_is_refused_and_nothing_is_saved(client, db):
    survey = make_round(place_name="Town centre")
    safe = rating_questions(survey)[11]
    for bad in ("8", "0", "-1", "7.5", "seven", "1e3", "9" * 40):
        response = _respond(client, survey, form_for(survey, 4, **{safe.field_name: bad}))
        page = response.get_data(as_text=True)
        assert response.status_code == 200, bad
        assert "Select a rating for Feeling safe from 1 to 7" in page, bad
    assert Response.query.count() == 0 and Answer.query.count() == 0


def test_the_public_compass_is_shown_once_results_are_published(client, db):
    ward = factories.ward("Millfield")
    closed = make_round(ward=ward, status="closed")
    assert client.get(f"/place-standard/{closed.id}").status_code == 404
    assert client.get(f"/place-standard/{closed.id}/compass.svg").status_code == 404
    assert client.get("/place-standard/99999").status_code == 404
    survey = make_round(ward=ward, label="Autumn 2027", status="published")
    for _ in range(12):
        add_response(survey, {"public_transport": 2, "feeling_safe": 6}, about={"age_band": "16_17"})
    page = client.get(f"/place-standard/{survey.id}").get_data(as_text=True)
    assert "How good is Millfield?" in page
    assert re.search(r'<svg role="img" aria-labelledby="(compass-\w+)-title \1-desc"', page)
    assert "<desc id=" in page and "lowest-rated themes Public transport" in page
    assert re.search(r'<th scope="row" class="govuk-table__header">Public transport</th>\s*<td[^>]*>2<', page)
    assert "Young people (under 25)" in page
    assert "Not shown: fewer than 10 people" in page  # disabled residents and tenants: none
    assert "Themes in the comments" not in page  # staff only
    svg = client.get(f"/place-standard/{survey.id}/compass.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b'role="img"' in svg.data
    assert "Millfield: Autumn 2027" in client.get("/place-standard").get_data(as_text=True)


def test_comparing_with_another_place_and_over_time(client, db):
    ward = factories.ward("Riverside")
    earlier = make_round(ward=ward, label="2026", status="published", days_ago=365)
    later = make_round(ward=ward, label="2027", status="published")
    other = make_round(place_name="Town centre", label="2027", status="published")
    for survey, value in ((earlier, 3), (later, 5), (other, 6)):
        add_response(survey, value)
    page = client.get(f"/place-standard/{later.id}?compare={other.id}").get_data(as_text=True)
    assert "Riverside (2027)" in page and "Town centre (2027)" in page
    assert "Place Standard compass: Riverside and Town centre" in page
    assert "Median rating out of 7, by round, for Riverside" in page
    for nonsense in ("abc", "-1", "99999999999999999999", "%00"):
        assert client.get(f"/place-standard/{later.id}?compare={nonsense}").status_code == 200


def test_staff_create_a_round_and_see_its_compass_with_links_to_themes(client, db):
    officer = factories.user(role="officer")
    ward = factories.ward("Kingsmead")
    login(client, officer)
    page = client.get("/staff/place-standard/new").get_data(as_text=True)
    assert "New Place Standard round" in page
    bad = client.post("/staff/place-standard/new", data={"place_kind": "ward", "round_label": ""})
    text = bad.get_data(as_text=True)
    assert "Select a ward" in text and "Enter a name for the round" in text
    assert PlaceSurvey.query.count() == 0
    response = client.post("/staff/place-standard/new", data={
        "place_kind": "ward", "ward": str(ward.id), "round_label": "Spring 2027",
        "opens_on-day": "1", "opens_on-month": "3", "opens_on-year": "2027",
        "closes_on-day": "30", "closes_on-month": "4", "closes_on-year": "2027"})
    assert response.status_code == 302
    survey = PlaceSurvey.query.one()
    assert survey.ward_id == ward.id and len(survey.consultation.questions) == 28
    page = client.get(f"/staff/consultations/{survey.consultation_id}/place-standard").get_data(as_text=True)
    assert "Results are not published yet" in page
    assert page.count("/staff/themes/questions/") == 14
    assert "Kingsmead" in client.get("/staff/place-standard").get_data(as_text=True)
    # The consultation's own staff page knows the question kind.
    staff_page = client.get(f"/staff/consultations/{survey.consultation_id}").get_data(as_text=True)
    assert "Place Standard rating (1 to 7)" in staff_page and "Place Standard compass" in staff_page
    assert "Place Standard" in client.get("/staff/").get_data(as_text=True)


def test_councillors_read_only_their_wards_rounds(client, db):
    mine, other = factories.ward("Ashgrove"), factories.ward("Fairbank")
    councillor = factories.user(role="councillor", ward_id=mine.id)
    own = make_round(ward=mine, status="closed")
    theirs = make_round(ward=other, status="closed")
    login(client, councillor)
    assert client.get(f"/staff/consultations/{own.consultation_id}/place-standard").status_code == 200
    assert client.get(f"/staff/consultations/{theirs.consultation_id}/place-standard").status_code == 403
    assert client.get("/staff/place-standard/new").status_code == 403
    listing = client.get("/staff/place-standard").get_data(as_text=True)
    assert "Ashgrove" in listing and "Fairbank" not in listing


def test_the_ward_page_shows_its_latest_published_round(client, db):
    ward = factories.ward("Westwood Park")
    page = client.get(f"/wards/{ward.slug}").get_data(as_text=True)
    assert "place-standard" not in page
    survey = make_round(ward=ward, label="Autumn 2027", status="published")
    add_response(survey, {"care_maintenance": 1})
    page = client.get(f"/wards/{ward.slug}").get_data(as_text=True)
    assert 'id="place-standard"' in page and "In Autumn 2027, 1 person rated" in page
    assert f'href="/place-standard/{survey.id}"' in page
    assert f'src="/place-standard/{survey.id}/compass.svg"' in page and "lowest-rated themes Care and maintenance" in page


def test_csv_export_and_results_use_the_rating_labels(client, db):
    officer = factories.user(role="officer")
    survey = make_round(place_name="Town centre", status="closed")
    add_response(survey, 7)
    login(client, officer)
    csv = client.get(f"/staff/consultations/{survey.consultation_id}/responses.csv").get_data(as_text=True)
    assert "7 – very little room for improvement" in csv
    results = client.get(f"/staff/consultations/{survey.consultation_id}/results")
    assert results.status_code == 200


def test_find_themes_in_every_themes_comments_at_once(client, db, app):
    from app.themes.models import ThemeAnalysis

    officer = factories.user(role="officer")
    survey = make_round(place_name="Town centre", status="closed")
    comments = {"public_transport": "Buses are too infrequent in the evening.",
                "feeling_safe": "Street lights are broken in the underpass."}
    for _ in range(3):
        add_response(survey, 3, comments=comments)
    login(client, officer)
    response = client.post(f"/staff/consultations/{survey.consultation_id}/place-standard/find-themes")
    assert response.status_code == 302
    analyses = ThemeAnalysis.query.all()
    assert len(analyses) == 2  # only the themes with comments
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Finding themes in the comments of 2 Place Standard themes" in page or \
        "already being found" in page
    assert "Find themes in every theme’s comments" in page
