"""The newer question kinds end to end: the resident's form and its errors, storage, changing
an answer, results, the CSV export and import, and the question builder."""
import csv
import html
import io
import re
from datetime import date

import pytest

from app.consultations import csv_import, results
from app.consultations.kinds import REGISTRY
from app.consultations.kinds.contact import normalise_postcode
from app.consultations.models import Answer, Question, Response
from app.consultations.responses import answers_as_text, form_data
from tests import factories
from tests.consultations.kinds_helpers import every_kind, good_answers


def errors(page) -> list[str]:
    return [html.unescape(" ".join(re.sub(r"<[^>]+>", "", m).split())).removeprefix("Error: ")
            for m in re.findall(r'class="govuk-error-message"[^>]*>(.*?)</p>', page, re.S)]


def post(client, c, **overrides):
    return client.post(f"/consultations/{c.id}/respond", data=good_answers(c, **overrides))


def test_the_form_has_every_kind_and_works_without_javascript(client, db):
    c = every_kind()
    page = client.get(f"/consultations/{c.id}/respond").get_data(as_text=True)
    single, multi, ranking, grid, number, date_q, email, postcode, allocate, adjust = c.questions
    assert 'value="other"' in page and f'name="{single.field_name}_other"' in page
    assert page.count("class=\"govuk-checkboxes__conditional") == 1 and page.count("class=\"govuk-radios__conditional") == 1
    # Ranking: a select per option, ranks 1 to 3 only (rank_limit), "Not ranked" first.
    assert page.count(f'name="{ranking.field_name}-') == 4 and "Rank 3" in page and "Rank 4" not in page
    # Grid: a legend per statement.
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Cleanliness</legend>' in page
    assert f'name="{date_q.field_name}-day"' in page and 'autocomplete="postal-code"' in page
    # Budget: the adjust mode starts from the current budgets; the script is progressive enhancement.
    assert 'value="1000"' in page and "From £900 to £1,100" in page
    assert "js/budget.js" in page and "aria-live=\"polite\"" in page and "data-budget-target=\"100\"" in page


def test_good_answers_are_stored_in_the_existing_columns(client, db):
    c = every_kind()
    assert post(client, c).status_code == 302
    single, multi, ranking, grid, number, date_q, email, postcode, allocate, adjust = c.questions
    by_q = {}
    for a in Answer.query.order_by(Answer.id):
        by_q.setdefault(a.question_id, []).append(a)
    assert [(a.option_id, a.text) for a in by_q[single.id]] == [(None, "Cycle")]
    assert [(a.option_id, a.text) for a in by_q[multi.id]] == [(multi.options[0].id, None), (None, "A bandstand")]
    assert [(a.option_id, a.scale_value) for a in by_q[ranking.id]] == [(ranking.options[2].id, 1),
                                                                         (ranking.options[0].id, 2)]
    assert [a.scale_value for a in by_q[grid.id]] == [4, 2]
    assert by_q[number.id][0].number == 12 and by_q[date_q.id][0].date_value == date(2025, 4, 3)
    assert by_q[email.id][0].text == "Sam@example.org" and by_q[postcode.id][0].text == "NB1 2AB"
    assert [a.number for a in by_q[allocate.id]] == [50, 30, 20]
    assert sorted(a.number for a in by_q[adjust.id]) == [1100, 1900]
    # The resident's copy, and the form pre-filled again to change the answers.
    response = Response.query.one()
    text = dict((q.id, lines) for q, lines in answers_as_text(response))
    assert text[ranking.id] == ["1st: Roads", "2nd: Parks"] and text[single.id] == ["Other: Cycle"]
    assert text[allocate.id] == ["Parks: £50", "Libraries: £30", "Roads: £20"]
    data = form_data(response)
    assert data[single.field_name] == "other" and data[f"{single.field_name}_other"] == "Cycle"
    assert "other" in data[multi.field_name]
    assert data[ranking.field_name] == {str(ranking.options[2].id): "1", str(ranking.options[0].id): "2"}
    assert data[date_q.field_name] == date(2025, 4, 3) and data[number.field_name] == "12"


BAD = [
    # (question position, form overrides as {suffix: value}, message)
    (4, {"": "lots"}, "Enter a number for “How many times you visited last month”, like 12"),
    (4, {"": "2.5"}, "Enter a whole number for “How many times you visited last month”, like 2"),
    (4, {"": "101"}, "Enter a number between 0 and 100 for “How many times you visited last month”"),
    (4, {"": ""}, "Enter a number for “How many times you visited last month”"),
    (5, {"-day": "31", "-month": "2", "-year": "2025"}, "Enter a real date for “When did you last visit?”, like 27 3 2027"),
    (5, {"-day": "1", "-month": "1", "-year": "2019"},
     "Enter a date between 1 January 2020 and 31 December 2026 for “When did you last visit?”"),
    (5, {"-day": "1", "-month": "", "-year": "2025"}, "The date for “When did you last visit?” must include a month"),
    (6, {"": "sam@"}, "Enter an email address in the correct format, like name@example.com, for “Your work email”"),
    (7, {"": "NB1 2"}, "Enter a full UK postcode, like NB1 2AB, for “Your postcode”"),
    (0, {"_other": ""}, "Enter your other answer to “How do you get to the park?”"),
]


@pytest.mark.parametrize("position, overrides, message", BAD)
def test_bad_answers_name_the_question_and_nothing_is_saved(client, db, position, overrides, message):
    c = every_kind()
    name = c.questions[position].field_name
    response = post(client, c, **{name + suffix: value for suffix, value in overrides.items()})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and Response.query.count() == 0
    assert errors(page) == [message]
    assert "There is a problem" in page
    for value in overrides.values():  # what they typed is kept
        if value:
            assert f'value="{value}"' in page


def test_ranking_refuses_duplicate_ranks_gaps_and_unknown_ranks(client, db):
    c = every_kind()
    q = c.questions[2]
    parts = {f"{q.field_name}-{o.id}": "" for o in q.options}

    def ranks(*values):
        data = dict(parts)
        data.update({f"{q.field_name}-{o.id}": v for o, v in zip(q.options, values)})
        return errors(post(client, c, **data).get_data(as_text=True))

    assert ranks("1", "1") == ["Give each rank to only one option for “Rank the council's priorities”: "
                               "Parks and Libraries are both ranked 1"]
    assert ranks("1", "3") == ["Rank the options in order from 1 with no gaps for “Rank the council's "
                               "priorities”: there is no option ranked 2"]
    assert ranks("1", "4") == ["Choose a rank from 1 to 3 for “Rank the council's priorities”"]
    assert ranks() == ["Rank at least one option for “Rank the council's priorities”"]
    assert Response.query.count() == 0
    page = post(client, c, **{**parts, f"{q.field_name}-{q.options[0].id}": "2",
                              f"{q.field_name}-{q.options[1].id}": "2"}).get_data(as_text=True)
    assert "govuk-select--error" in page and '<option value="2" selected>' in page


def test_budget_must_balance_and_stay_within_limits(client, db):
    c = every_kind()
    allocate, adjust = c.questions[8], c.questions[9]
    a = {f"{allocate.field_name}-{o.id}": v for o, v in zip(allocate.options, ("50", "30", "10"))}
    assert errors(post(client, c, **a).get_data(as_text=True)) == [
        "Your allocations add up to £90; they must add up to £100"]
    a = {f"{allocate.field_name}-{o.id}": v for o, v in zip(allocate.options, ("50", "thirty", "20"))}
    assert errors(post(client, c, **a).get_data(as_text=True)) == [
        "Enter a whole number of pounds for Libraries in “Share out £100”"]
    b = {f"{adjust.field_name}-{o.id}": v for o, v in zip(adjust.options, ("1200", "1800"))}
    assert errors(post(client, c, **b).get_data(as_text=True)) == [
        "Enter an amount from £900 to £1,100 for Libraries in “Change the budgets”"]
    b = {f"{adjust.field_name}-{o.id}": v for o, v in zip(adjust.options, ("1100", "2000"))}
    assert errors(post(client, c, **b).get_data(as_text=True)) == [
        "Your allocations add up to £3,100; they must add up to £3,000"]
    empty = {f"{allocate.field_name}-{o.id}": "" for o in allocate.options}
    assert errors(post(client, c, **empty).get_data(as_text=True)) == ["Enter your allocations for “Share out £100”"]
    assert Response.query.count() == 0
    # An empty box counts as £0 (allocating) or the budget now (adjusting); an optional "adjust"
    # sent back as it was shown is not an answer.
    ok = {f"{allocate.field_name}-{o.id}": v for o, v in zip(allocate.options, ("100", "", ""))}
    ok.update({f"{adjust.field_name}-{adjust.options[0].id}": "1000", f"{adjust.field_name}-{adjust.options[1].id}": ""})
    assert post(client, c, **ok).status_code == 302
    assert Answer.query.filter_by(question_id=adjust.id).count() == 0
    assert sorted(a.number for a in Answer.query.filter_by(question_id=allocate.id)) == [0, 0, 100]
    ok.update({f"{adjust.field_name}-{adjust.options[0].id}": "950", f"{adjust.field_name}-{adjust.options[1].id}": "2050"})
    assert post(client, c, **ok).status_code == 302
    assert sorted(a.number for a in Answer.query.filter_by(question_id=adjust.id)) == [950, 2050]


def test_grid_required_means_every_statement(client, db):
    c = every_kind()
    grid = c.questions[3]
    page = post(client, c, **{f"{grid.field_name}-{grid.options[1].id}": ""}).get_data(as_text=True)
    assert errors(page) == ["Select an answer for “Safety” in “How do you rate the park?”"]
    page = post(client, c, **{f"{grid.field_name}-{grid.options[1].id}": "9"}).get_data(as_text=True)
    assert errors(page) == ["Select from the options shown for “How do you rate the park?”"]


def test_postcodes_are_normalised():
    assert normalise_postcode(" sw1a1aa ") == "SW1A 1AA" and normalise_postcode("NB12AB") == "NB1 2AB"
    assert normalise_postcode("M1 1AE") == "M1 1AE"
    for bad in ("", "12345", "NB1 2", "NB1 2CI", "QQQ 1AA"):
        assert normalise_postcode(bad) is None, bad


def _answer(client, c, **overrides):
    response = post(client, c, **overrides)
    assert response.status_code == 302, errors(response.get_data(as_text=True))


def test_results_per_kind(client, db):
    c = every_kind()
    single, multi, ranking, grid, number, date_q, email, postcode, allocate, adjust = c.questions
    _answer(client, c)
    rk = {f"{ranking.field_name}-{o.id}": "" for o in ranking.options}
    _answer(client, c, **{**rk, f"{ranking.field_name}-{ranking.options[0].id}": "1",
                          number.field_name: "4", postcode.field_name: "NB1 3DB",
                          f"{allocate.field_name}-{allocate.options[0].id}": "100",
                          f"{allocate.field_name}-{allocate.options[1].id}": "0",
                          f"{allocate.field_name}-{allocate.options[2].id}": "0",
                          single.field_name: str(single.options[0].id)})
    summaries = {qid: s for qid, (_kind, s) in results.kind_summaries(c, threshold=2).items()}
    rows = summaries[ranking.id]["rows"]
    # Parks: 2nd (2 points) and 1st (3 points); Roads: 1st once (3 points).
    assert [(r["label"], r["points"], r["mean_rank"]) for r in rows[:2]] == [("Parks", 5, 1.5), ("Roads", 3, 1.0)]
    assert summaries[number.id]["mean"] == 8 and summaries[number.id]["median"] == 8
    assert summaries[postcode.id]["districts"] == {"NB1": 2}
    budget = {r["label"]: (r["mean"], r["median"]) for r in summaries[allocate.id]["rows"]}
    assert budget == {"Parks": (75, 75), "Libraries": (15, 15), "Roads": (10, 10)}
    assert [r["change"] for r in summaries[adjust.id]["rows"]] == [100, -100]
    assert summaries[grid.id]["rows"][0]["cells"][3] == (2, 100.0)
    assert summaries[date_q.id]["months"] == {"April 2025": 2}
    answered, choice_rows = results.choice_results(single)
    assert answered == 2 and [(r.label, r.count) for r in choice_rows] == [
        ("Walk", 1), ("Bus", 0), ("Car", 0), ("Other", 1)]
    assert results.other_answers(single) == ["Cycle"]
    # Email and postcode are not on the public page.
    assert email.id not in results.kind_summaries(c, 2, public=True)


def test_results_pages_show_every_kind(officer_client, client, db):
    c = every_kind()
    _answer(client, c)
    page = officer_client.get(f"/staff/consultations/{c.id}/results").get_data(as_text=True)
    assert "Mean rank" in page and "Cleanliness" in page and "Median (middle value)" in page
    assert "What people wrote under “Other”" in page and "A bandstand" in page
    assert "gave an email address" in page and "Mean change" in page
    overview = officer_client.get(f"/staff/consultations/{c.id}").get_data(as_text=True)
    assert "Single choice with “Other”" in overview and "Budget allocation" in overview
    c.results_published_at = None
    published = every_kind(status="published")
    page = client.get(f"/consultations/{published.id}/results").get_data(as_text=True)
    assert "Mean rank" in page and "Your work email" not in page and "Your postcode" not in page


def test_csv_export_cells_and_they_import_back(officer_client, client, db):
    c = every_kind(status="closed")
    c.closes_at = c.closes_at.replace(year=c.closes_at.year + 1)  # open again for an online answer
    db.session.commit()
    _answer(client, c)
    header, rows = results.export_rows(c)
    cells = dict(zip(header, rows[0]))
    assert cells["How do you get to the park?"] == "Other: Cycle"
    assert cells["What would you use there?"] == "Toilets; Other: A bandstand"
    assert cells["Rank the council's priorities"] == "Roads; Parks"
    assert cells["How do you rate the park?"] == "Cleanliness: Agree; Safety: Disagree"
    assert cells["How many times you visited last month"] == "12"
    assert cells["When did you last visit?"] == "2025-04-03"
    assert cells["Your postcode"] == "NB1 2AB" and cells["Your work email"] == "Sam@example.org"
    assert cells["Share out £100"] == "Parks: 50; Libraries: 30; Roads: 20"
    # The same layout imports (as paper responses), answer for answer.
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    row = dict(cells, Reference="", Channel="Paper form", **{"Collected on": date.today().isoformat()})
    writer.writerow([row[h] for h in header])
    checked = csv_import.check_file(c, out.getvalue())
    assert checked.problems == [] and checked.ok
    imported = sorted(((a["question_id"], a.get("option_id"), a.get("scale_value"), a.get("text"), a.get("number"),
                        a.get("date_value")) for a in checked.rows[0].answers), key=repr)
    saved = sorted(((a.question_id, a.option_id, a.scale_value, a.text, a.number, a.date_value)
                    for a in Answer.query), key=repr)
    assert imported == saved


@pytest.mark.parametrize("position, cell, message", [
    (2, "Roads; Roads", "Roads is ranked twice for “Rank the council's priorities”"),
    (2, "Roads; Swings", "“Swings” is not one of the options of “Rank the council's priorities”"),
    (4, "twelve", "Enter a number for “How many times you visited last month”, like 12"),
    (5, "31/02/2025", "Enter a real date for “When did you last visit?”, like 27/03/2026 or 2026-03-27"),
    (7, "NOT A POSTCODE", "Enter a full UK postcode, like NB1 2AB, for “Your postcode”"),
    (8, "Parks: 50; Roads: 20", "Your allocations add up to £70; they must add up to £100"),
    (3, "Safety: Brilliant", "“Brilliant” is not on the scale of “How do you rate the park?”"),
])
def test_csv_import_checks_each_kind(db, position, cell, message):
    c = every_kind(status="closed")
    question = c.questions[position]
    text = f"Channel,Collected on,{question.text}\nPaper form,{c.opens_at.date().isoformat()},\"{cell}\"\n"
    checked = csv_import.check_file(c, text)
    assert [p.message for p in checked.problems] == [message]


BUILD = [
    ({"kind": "ranking", "text": "Rank these", "options": "A\nB\nC", "rank_limit": "2"}, {"rank_limit": 2}),
    ({"kind": "grid", "text": "Rate these", "options": "Clean\nSafe", "scale": "Poor\nOK\nGood"},
     {"scale": ["Poor", "OK", "Good"]}),
    ({"kind": "number", "text": "How many?", "min_value": "1", "max_value": "10", "whole_number": "y"},
     {"min": 1, "max": 10, "whole": True}),
    ({"kind": "date", "text": "When?", "earliest-day": "1", "earliest-month": "1", "earliest-year": "2020",
      "latest-day": "", "latest-month": "", "latest-year": ""}, {"earliest": "2020-01-01", "latest": None}),
    ({"kind": "budget", "text": "Share £100", "options": "Parks\nRoads", "budget_mode": "allocate",
      "budget_total": "100"}, {"mode": "allocate", "total": 100}),
    ({"kind": "budget", "text": "Change budgets", "options": "Parks | 5000\nRoads | 10,000",
      "budget_mode": "adjust", "budget_limit": "20"},
     {"mode": "adjust", "limit": 20, "current": {"Parks": 5000, "Roads": 10000}}),
    ({"kind": "single_choice", "text": "Which?", "options": "A\nB", "other": "y"}, {"other": True}),
    ({"kind": "postcode", "text": "Postcode?"}, {}),
]


@pytest.mark.parametrize("data, settings", BUILD)
def test_the_builder_makes_each_kind_and_edits_it_again(officer_client, db, data, settings):
    c = factories.consultation(status="draft", questions=[])
    base = f"/staff/consultations/{c.id}/questions"
    assert officer_client.post(f"{base}/new", data=data).status_code == 302
    question = Question.query.one()
    assert question.kind == data["kind"] and question.settings == settings
    if data["kind"] == "budget":
        assert [o.label for o in question.options] == ["Parks", "Roads"]
    page = officer_client.get(f"{base}/{question.id}").get_data(as_text=True)
    assert page.count("class=\"govuk-radios__conditional") >= 5  # settings revealed under their kind
    assert officer_client.post(f"{base}/{question.id}", data=data).status_code == 302
    assert Question.query.one().settings == settings


@pytest.mark.parametrize("data, message", [
    ({"kind": "number", "min_value": "ten"}, "Enter the smallest number allowed as a number, like 10"),
    ({"kind": "number", "min_value": "10", "max_value": "5"}, "The largest number allowed must be more than the smallest"),
    ({"kind": "ranking", "options": "A\nB", "rank_limit": "3"},
     "Enter how many options people rank as a whole number, no more than the number of options"),
    ({"kind": "grid", "options": "A\nB", "scale": "Only one"}, "Enter from 2 to 10 points on the scale, each on its own line"),
    ({"kind": "budget", "options": "A\nB", "budget_mode": "allocate", "budget_total": ""},
     "Enter the total people share out as a whole number of pounds, like 100"),
    ({"kind": "budget", "options": "A | 100\nB", "budget_mode": "adjust", "budget_limit": "10"},
     "Put each service's current budget after a “|”, in whole pounds, like “B | 250000”"),
    ({"kind": "budget", "options": "A\nB"}, "Select how people share out the budget"),
    ({"kind": "date", "earliest-day": "1", "earliest-month": "1", "earliest-year": "2024",
      "latest-day": "1", "latest-month": "1", "latest-year": "2023"},
     "The latest date must be the same as or after the earliest date"),
    ({"kind": "grid", "options": "Only one"}, "Enter at least 2 options, each on its own line"),
])
def test_builder_errors(officer_client, db, data, message):
    c = factories.consultation(status="draft", questions=[])
    response = officer_client.post(f"/staff/consultations/{c.id}/questions/new", data={"text": "Q?", **data})
    assert response.status_code == 200 and message in errors(response.get_data(as_text=True))
    assert Question.query.count() == 0


def test_every_registered_kind_has_a_label_and_template(app):
    from app.consultations.models import QUESTION_KINDS
    for key, kind in REGISTRY.items():
        assert key in QUESTION_KINDS
        app.jinja_env.get_template(kind.template)


def test_a_signed_in_resident_changes_their_answers(client, db):
    from tests.conftest import login

    login(client, factories.user(role="resident"))
    c = every_kind()
    _answer(client, c)
    ranking, number, allocate = c.questions[2], c.questions[4], c.questions[8]
    page = client.get(f"/consultations/{c.id}/respond").get_data(as_text=True)
    assert "Change your response" in page
    assert re.search(rf'name="{ranking.field_name}-{ranking.options[2].id}">\s*<option value="">Not ranked</option>\s*'
                     r'<option value="1" selected>', page)
    assert f'name="{allocate.field_name}-{allocate.options[0].id}" type="text" inputmode="numeric" spellcheck="false" ' \
           'value="50"' in page
    assert 'value="Cycle"' in page and 'value="12"' in page and 'value="NB1 2AB"' in page
    _answer(client, c, **{number.field_name: "3"})
    assert Response.query.count() == 1
    assert Answer.query.filter_by(question_id=number.id).one().number == 3


def test_officers_preview_and_enter_a_paper_response_with_gaps(officer_client, db):
    from app.common.timeutil import to_london, utcnow

    c = every_kind()
    assert "Rank 1 (first choice)" in officer_client.get(f"/staff/consultations/{c.id}/preview").get_data(as_text=True)
    today = to_london(utcnow()).date()
    number, allocate = c.questions[4], c.questions[8]
    data = {"channel": "paper", "collected_on-day": str(today.day), "collected_on-month": str(today.month),
            "collected_on-year": str(today.year), number.field_name: "7"}
    data.update({f"{allocate.field_name}-{o.id}": "" for o in allocate.options})
    response = officer_client.post(f"/staff/consultations/{c.id}/responses/new", data=data)
    assert response.status_code == 302, errors(response.get_data(as_text=True))
    assert [a.number for a in Answer.query] == [7]  # required questions may be left empty on paper


def test_how_an_answered_grid_budget_or_ranking_is_answered_cannot_change(officer_client, client, db):
    c = every_kind()
    _answer(client, c)
    budget = c.questions[8]
    base = f"/staff/consultations/{c.id}/questions/{budget.id}"
    data = {"kind": "budget", "text": budget.text, "options": "Parks\nLibraries\nRoads", "budget_mode": "allocate",
            "budget_total": "200", "required": "y"}
    page = officer_client.post(base, data=data).get_data(as_text=True)
    assert "You cannot change how this question is answered: 1 person has already answered it" in errors(page)
    assert officer_client.post(base, data={**data, "budget_total": "100", "text": "Share out £100, please"}
                               ).status_code == 302
    db.session.refresh(budget)
    assert budget.text == "Share out £100, please" and budget.settings == {"mode": "allocate", "total": 100}
