"""The measures as the regulator defines them, checked against figures worked out by hand."""
import pytest

from app.tenants import services, tsm
from tests.tenants import helpers

SAT = tsm.SATISFACTION
NA = tsm.NOT_APPLICABLE


def test_calculate_follows_the_regulator_definitions():
    tp01 = tsm.BY_CODE["TP01"]
    # 3 very + 2 fairly satisfied of 8 answers: 5/8 = 62.5%
    result = tsm.calculate(tp01, [0, 0, 0, 1, 1, 2, 3, 4])
    assert (result.positive, result.base, result.percent) == (5, 8, 62.5)
    # TP11: "not applicable/ don't know" (index 5) is left out of the base: 2 of 3 valid, not 2 of 5.
    result = tsm.calculate(tsm.BY_CODE["TP11"], [0, 1, 4, 5, 5])
    assert (result.positive, result.base, result.not_applicable) == (2, 3, 2)
    assert result.percent == pytest.approx(66.666, abs=0.01)
    # TP08: strongly agree + agree.
    assert tsm.calculate(tsm.BY_CODE["TP08"], [0, 1, 2, 3]).percent == 50.0
    # TP02: only those who had a repair count; an answer from someone who said "No" is ignored.
    result = tsm.calculate(tsm.BY_CODE["TP02"], [0, 4, 0, 1], [True, True, False, True])
    assert (result.positive, result.base) == (2, 3)
    assert tsm.calculate(tp01, []).percent is None


def test_survey_results_overall_and_by_landlord_and_estate(db):
    survey = helpers.survey()
    council, riverside = helpers.LANDLORDS
    canal, hill = helpers.ESTATES
    # Council, Canal: 6 answers to TP01 (very x2, fairly x2, neither, very dissatisfied) -> 4/6
    for label in (SAT[0], SAT[0], SAT[1], SAT[1], SAT[2], SAT[4]):
        helpers.respond(survey, council, canal, {tsm.FILTER_REPAIR: "Yes"}, {"TP01": label, "TP02": SAT[3],
                                                                          "TP12": NA})
    # Riverside, Hill: 4 answers (fairly x1, fairly dissatisfied x3) -> 1/4; they had no repair, so
    # their TP02 answers do not count.
    for label in (SAT[1], SAT[3], SAT[3], SAT[3]):
        helpers.respond(survey, riverside, hill, {tsm.FILTER_REPAIR: "No"}, {"TP01": label, "TP02": SAT[0],
                                                                           "TP12": SAT[0]})
    people = services.respondents(survey)
    overall = {r.code: r for r in services.measure_results(people)}
    assert (overall["TP01"].positive, overall["TP01"].base) == (5, 10)  # 50%
    assert (overall["TP02"].positive, overall["TP02"].base) == (0, 6)  # only the 6 with a repair
    assert (overall["TP12"].positive, overall["TP12"].base, overall["TP12"].not_applicable) == (4, 4, 6)
    assert overall["TP03"].base == 0 and overall["TP03"].percent is None
    # By landlord: both groups are under 10 people, so hidden.
    columns = services.by_landlord(survey, people)
    assert [c.label for c in columns] == helpers.LANDLORDS
    assert all(c.respondents is None for c in columns)


def test_groups_and_measures_under_ten_are_suppressed(app, db):
    survey = helpers.survey()
    council = helpers.LANDLORDS[0]
    for i in range(12):  # 12 council tenants who are disabled; TP01 from all, TP04 from only 3
        helpers.respond(survey, council, helpers.ESTATES[0], measures={"TP01": SAT[i % 2 * 3],
                                                                       **({"TP04": SAT[0]} if i < 3 else {})},
                        about={"disability": "disabled"})
    for _ in range(4):  # 4 not disabled: a group too small to show
        helpers.respond(survey, council, helpers.ESTATES[1], measures={"TP01": SAT[0]},
                        about={"disability": "not_disabled"})
    people = services.respondents(survey)
    columns = {c.label: c for c in services.by_group(survey, people, "disability")}
    disabled = columns["Yes"]
    assert disabled.respondents == 12
    tp01 = disabled.results[0]
    assert (tp01.positive, tp01.base, tp01.percent) == (6, 12, 50.0)
    assert disabled.results[3] is None  # TP04: 3 answers, fewer than 10
    assert columns["No"].respondents is None  # 4 people
    landlord = services.by_landlord(survey, people)[0]
    assert landlord.respondents == 16 and landlord.results[0].positive == 10
    estates = {c.label: c for c in services.by_estate(survey, people)}
    assert estates["Canal Estate"].respondents == 12 and estates["Hill Estate"].respondents is None
    with pytest.raises(ValueError):
        services.by_group(survey, people, "password_hash")


def test_the_measures_download_has_every_measure_for_all_and_each_landlord(app, db):
    from tests.conftest import login
    from tests import factories

    survey = helpers.survey()
    for i in range(10):
        helpers.respond(survey, helpers.LANDLORDS[0], measures={"TP01": SAT[0] if i < 7 else SAT[4],
                                                                "TP11": NA if i < 2 else SAT[1]})
    client = app.test_client()
    login(client, factories.user(role="tenant_board"))
    response = client.get(f"/staff/tenant-surveys/{survey.id}/measures.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert len(lines) == 1 + 12 * 3
    assert lines[1].startswith("All landlords,TP01,") and lines[1].endswith(",70.0,7,10,0")
    assert any(line.startswith("All landlords,TP11,") and line.endswith(",100.0,8,8,2") for line in lines)
    # Within a landlord, a measure with 8 valid answers is hidden like a small group.
    assert any(line.startswith("Northbrook Council,TP11,") and "fewer than 10 answers" in line for line in lines)
    assert any(line.startswith("Northbrook Council,TP01,") and line.endswith(",70.0,7,10,0") for line in lines)
    assert any(line.startswith("Riverside Homes,TP01,") and line.endswith(",,0,0,0") for line in lines)  # no answers


def test_an_option_renamed_in_the_draft_is_not_counted_and_a_deleted_question_does_not_break(app, db):
    survey = helpers.survey()
    helpers.respond(survey, helpers.LANDLORDS[0], measures={"TP01": SAT[0], "TP04": SAT[1]})
    tp01 = survey.question_for("measure", "TP01")
    tp01.options[0].label = "Delighted"  # no longer the regulator's scale
    db.session.delete(survey.question_for("landlord"))
    db.session.commit()
    db.session.refresh(survey)
    people = services.respondents(survey)
    results = {r.code: r for r in services.measure_results(people)}
    assert results["TP01"].base == 0 and results["TP04"].positive == 1
    assert services.by_landlord(survey, people) == []
