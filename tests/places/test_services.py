"""Place Standard rounds: the generated questions, and the compass's figures."""
from app.consultations.models import Question
from app.places import compass, services
from app.places.models import PlaceQuestion
from app.places.themes import BY_KEY, RATING_LABELS, THEMES
from tests import factories
from tests.places.conftest import add_response, make_round


def test_a_round_has_a_rating_and_a_comment_for_each_of_the_14_themes(db):
    ward = factories.ward("Millfield")
    survey = make_round(ward=ward)
    assert len(THEMES) == 14 and len(BY_KEY) == 14
    questions = survey.consultation.questions
    assert [q.kind for q in questions] == ["place_rating", "free_text"] * 14
    assert questions[2].text.startswith("Public transport: Does public transport meet my needs?")
    assert all(q.required for q in questions if q.kind == "place_rating")
    assert not any(q.required for q in questions if q.kind == "free_text")
    assert survey.consultation.wards == [ward] and not survey.consultation.borough_wide
    assert survey.place == "Millfield" and survey.place_key == f"ward:{ward.id}"
    parts = {(pq.theme, pq.part) for pq in PlaceQuestion.query.filter_by(survey_id=survey.id)}
    assert len(parts) == 28
    assert questions[0].choice_labels()[0] == ("1", RATING_LABELS[1])
    assert "a lot of room for improvement" in RATING_LABELS[1] and "very little" in RATING_LABELS[7]


def test_a_named_place_is_borough_wide_and_matches_across_rounds_whatever_its_case(db):
    first = make_round(place_name="Northbrook  Town Centre", label="2026")
    second = make_round(place_name="northbrook town centre", label="2027")
    assert first.consultation.borough_wide and first.place_key == second.place_key
    assert [s.id for s in services.same_place(second)] == [first.id, second.id]


def test_medians_per_theme(db):
    survey = make_round(status="closed")
    for value in (1, 2, 6):
        add_response(survey, {"public_transport": value, "feeling_safe": 7})
    add_response(survey, {"public_transport": 5})
    line = compass.overall(survey)
    assert line.respondents == 4
    assert line.medians["public_transport"] == 3.5  # median of 1, 2, 5, 6
    assert line.medians["feeling_safe"] == 7 and line.counts["feeling_safe"] == 3
    assert line.medians["moving_around"] is None
    assert line.lowest(1) == ["Public transport"]


def test_groups_under_the_threshold_are_suppressed(db, app):
    survey = make_round(status="closed")
    for _ in range(10):
        add_response(survey, {"play_recreation": 2}, about={"age_band": "18_24", "tenure": "owned_outright"})
    for _ in range(9):
        add_response(survey, {"play_recreation": 6}, about={"age_band": "45_54", "tenure": "social_council",
                                                           "disability": "disabled"})
    add_response(survey, {"play_recreation": 7})  # no "About you"
    everyone, young, disabled, tenants = compass.by_group(survey, threshold=10)
    assert everyone.respondents == 20 and everyone.medians["play_recreation"] == 4.0
    assert young.respondents == 10 and not young.suppressed and young.medians["play_recreation"] == 2
    assert disabled.suppressed and disabled.medians == {}  # 9 people: nothing shown
    assert tenants.suppressed


def test_over_time_and_between_places(db):
    ward = factories.ward("Riverside")
    earlier = make_round(ward=ward, label="2025", status="published", days_ago=365)
    later = make_round(ward=ward, label="2026", status="published")
    elsewhere = make_round(place_name="Town centre", label="2026", status="published")
    add_response(earlier, 3)
    add_response(later, 5)
    add_response(elsewhere, 6)
    history = services.same_place(later)
    assert [s.round_label for s in history] == ["2025", "2026"]
    lines = compass.over_time(history)
    assert [line.medians["moving_around"] for line in lines] == [3, 5]
    pair = compass.side_by_side([later, elsewhere])
    assert [line.label for line in pair] == ["Riverside (2026)", "Town centre (2026)"]
    assert services.surveys_in_ward(ward.id) == [later, earlier]


def test_deleting_a_round_takes_its_questions_and_theme_records(db):
    from app.extensions import db as sa_db

    survey = make_round()
    consultation = survey.consultation
    sa_db.session.delete(consultation)
    sa_db.session.commit()
    assert PlaceQuestion.query.count() == 0 and Question.query.count() == 0
