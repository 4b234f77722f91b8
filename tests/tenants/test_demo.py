"""The demo: a closed tenant survey whose measures and breakdowns show, an open one, and a
Tenant Board login; loading again adds nothing."""
from app.accounts.models import User
from app.common.transaction import commit
from app.consultations.models import Consultation, Response
from app.demo.cli import DEMO_PASSWORD
from app.tenants import demo, services
from app.tenants.models import TenantSurvey
from tests.conftest import login


def test_demo_survey_shows_measures_by_landlord_and_estate(app, db):
    lines = demo.load(None)
    commit()
    assert any(demo.BOARD_EMAIL in line for line in lines)
    assert demo.load(None) and TenantSurvey.query.count() == 2 and User.query.count() == 1
    closed = Consultation.query.filter_by(title=demo.CLOSED_TITLE).one()
    assert closed.status == "closed" and Response.query.filter_by(consultation_id=closed.id).count() == 180
    survey = services.survey_for(closed)
    people = services.respondents(survey)
    assert all(r.percent is not None for r in services.measure_results(people))
    assert all(c.respondents for c in services.by_landlord(survey, people))
    assert sum(1 for c in services.by_estate(survey, people) if c.respondents) >= 3
    assert any(c.respondents for c in services.by_group(survey, people, "disability"))

    board = app.test_client()
    login(board, User.query.filter_by(email=demo.BOARD_EMAIL).one(), password=DEMO_PASSWORD)
    page = board.get(f"/staff/tenant-surveys/{survey.id}").get_data(as_text=True)
    assert "Riverside Homes" in page and "Hillside Estate" in page and "TP12" in page
