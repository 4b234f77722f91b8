"""An officer makes a tenant survey from the template in one step: the regulator's questions in
its words and scales, filter questions, landlord, estate and the free-text question."""
from app.consultations.models import Consultation
from app.tenants import tsm
from app.tenants.models import TenantSurvey
from tests.conftest import login
from tests import factories


def _form(**overrides):
    data = {"title": "Tenant satisfaction survey 2027", "landlords": "Northbrook Council\nRiverside Homes\n",
            "estates": "Canal Estate\r\nHill Estate\r\n\r\nCanal Estate", "opens_on-day": "1", "opens_on-month": "4",
            "opens_on-year": "2027", "closes_on-day": "30", "closes_on-month": "6", "closes_on-year": "2027"}
    data.update(overrides)
    return data


def test_one_post_makes_the_whole_survey_as_a_draft(officer_client, db):
    response = officer_client.post("/staff/tenant-surveys/new", data=_form())
    assert response.status_code == 302
    consultation = Consultation.query.one()
    assert consultation.launched_at is None and consultation.title == "Tenant satisfaction survey 2027"
    survey = TenantSurvey.query.one()
    questions = consultation.questions
    assert len(questions) == 2 + 3 + 12 + 1
    assert [o.label for o in questions[0].options] == ["Northbrook Council", "Riverside Homes"]
    assert [o.label for o in questions[1].options] == ["Canal Estate", "Hill Estate"]  # duplicates dropped
    assert questions[0].required and questions[-1].kind == "free_text"
    assert questions[-1].text == tsm.ANYTHING_ELSE
    for measure in tsm.MEASURES:
        question = survey.question_for("measure", measure.code)
        assert question.kind == "single_choice" and question.text == measure.question
        assert tuple(o.label for o in question.options) == measure.options
    tp01 = survey.question_for("measure", "TP01")
    assert tp01.text == ("Taking everything into account, how satisfied or dissatisfied are you with the "
                         "service provided by your landlord?")
    assert [o.label for o in tp01.options] == ["Very satisfied", "Fairly satisfied",
                                               "Neither satisfied nor dissatisfied", "Fairly dissatisfied",
                                               "Very dissatisfied"]
    assert [o.label for o in survey.question_for("measure", "TP08").options][-1] == "Not applicable/ don't know"
    assert len(survey.question_for("measure", "TP04").options) == 5  # no "don't know" offered
    # Each filter question comes just before the measures it filters.
    texts = [q.text for q in questions]
    repair = texts.index(tsm.FILTERS[tsm.FILTER_REPAIR])
    assert texts[repair + 1] == tsm.BY_CODE["TP02"].question and texts[repair + 2] == tsm.BY_CODE["TP03"].question
    assert [o.label for o in questions[repair].options] == ["Yes", "No"]


def test_bad_template_input_is_explained_and_nothing_is_saved(officer_client, db):
    response = officer_client.post("/staff/tenant-surveys/new", data=_form(
        landlords="  \n ", estates="", **{"closes_on-month": "3"}))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page
    for message in ("Enter at least one landlord, one to a line", "Enter at least one estate, one to a line",
                    "The closing date must be after the opening date"):
        assert message in page
    assert "Tenant satisfaction survey 2027" in page  # what was typed is kept
    assert Consultation.query.count() == 0 and TenantSurvey.query.count() == 0


def test_councillors_and_residents_cannot_make_one(client, db):
    for role in ("councillor", "resident", "tenant_board"):
        c = client.application.test_client()
        login(c, factories.user(role=role))
        assert c.post("/staff/tenant-surveys/new", data=_form()).status_code == 403
    assert Consultation.query.count() == 0
