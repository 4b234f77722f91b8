"""Tenants answer through the ordinary consultation form: a crafted answer outside a measure's
scale is refused with a message naming the question and nothing is saved; tenants who asked
to hear back are emailed when "You said, we did" is published."""
from app.actions import ysyw
from app.actions.models import ThemeResponse
from app.common.transaction import commit
from app.consultations.models import Answer, Response
from app.extensions import db
from app.tenants import tsm
from app.themes.models import Theme
from tests import factories
from tests.tenants import helpers


def _answers(survey, **by_code):
    """Form data: a landlord, "Yes" to the repair filter, and the given measures (option labels)."""
    data = {}
    landlord = survey.question_for("landlord")
    data[landlord.field_name] = str(landlord.options[1].id)
    repair = survey.question_for("filter", tsm.FILTER_REPAIR)
    data[repair.field_name] = str(repair.options[0].id)
    for code, label in by_code.items():
        question = survey.question_for("measure", code)
        data[question.field_name] = str(next(o.id for o in question.options if o.label == label))
    return data


def test_a_tenant_answers_and_the_answers_are_measured(client, db):
    survey = helpers.survey(status="open")
    data = _answers(survey, TP01="Fairly satisfied", TP02="Very dissatisfied", TP08="Agree")
    data[survey.question_for("anything_else").field_name] = "The lifts are always broken."
    response = client.post(f"/consultations/{survey.consultation_id}/respond", data=data)
    assert response.status_code == 302
    saved = Response.query.one()
    assert len(saved.answers) == 6
    from app.tenants import services

    results = {r.code: r for r in services.measure_results(services.respondents(survey))}
    assert results["TP01"].percent == 100.0 and results["TP02"].percent == 0.0 and results["TP08"].base == 1


def test_an_answer_outside_the_scale_is_refused_by_name_and_nothing_is_saved(client, db):
    survey = helpers.survey(status="open")
    other = helpers.survey(status="open")
    data = _answers(survey, TP01="Very satisfied")
    tp04 = survey.question_for("measure", "TP04")
    # Crafted: an option id belonging to another survey's TP04, and a made-up value for TP05.
    data[tp04.field_name] = str(other.question_for("measure", "TP04").options[0].id)
    data[survey.question_for("measure", "TP05").field_name] = "7"
    response = client.post(f"/consultations/{survey.consultation_id}/respond", data=data)
    assert response.status_code == 200  # the form again, with the errors (as for any consultation)
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page
    assert "Select one of the answers shown for “How satisfied or dissatisfied are you that your landlord" in page
    assert "Select one of the answers shown for “Thinking about the condition of the property" in page
    assert Response.query.count() == 0 and Answer.query.count() == 0


def test_tenants_who_asked_to_hear_back_are_emailed_when_you_said_we_did_is_published(db, sent_emails, officer):
    survey = helpers.survey(status="closed")
    helpers.respond(survey, helpers.LANDLORDS[0], measures={"TP01": "Very satisfied"},
                    text="Fix the lifts please", keep_informed="tenant@example.org")
    helpers.respond(survey, helpers.LANDLORDS[1], measures={"TP01": "Very dissatisfied"}, text="Damp everywhere")
    question = survey.question_for("anything_else")
    answers = Answer.query.filter(Answer.question_id == question.id).all()
    theme = Theme(question=question, label="Lifts and damp", size=2, examples=[a.id for a in answers],
                  keywords=["lifts"])
    db.session.add(theme)
    db.session.flush()
    page = ysyw.page_for(survey.consultation, create=True)
    page.responses.append(ThemeResponse(kind="we_did", text="We replaced the lifts.", themes=[theme]))
    db.session.flush()
    sent = ysyw.publish(page, officer)
    commit()  # the request's commit: queued emails go after it
    assert sent == 1
    assert [m["To"] for m in sent_emails] == ["tenant@example.org"]
