"""Importing an action plan from CSV: preview, confirm, and every kind of bad row."""
import io
import os

import pytest

from app.actions import importer
from app.actions.models import Action, ActionPlan
from tests import factories

DEMO_CSV = os.path.join(os.path.dirname(__file__), "..", "..", "app", "demo", "data", "action_plan_import.csv")
HEADER = "Objective,Action,How will we know we have achieved it?,Key milestones,Portfolio holder,Timescale\n"


def _upload(client, text, title="Fairer Plan"):
    data = {"title": title, "file": (io.BytesIO(text.encode("utf-8")), "plan.csv")}
    return client.post("/staff/actions/import", data=data, content_type="multipart/form-data")


@pytest.fixture()
def holders(db):
    return [factories.user(role="councillor", name=n) for n in ("David Okafor", "Fatima Begum", "Helen Marsh")]


def test_good_file_shows_a_preview_then_imports_on_confirm(officer_client, holders):
    text = open(DEMO_CSV, encoding="utf-8").read()
    page = _upload(officer_client, text)
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Check “Fairer Plan” before importing" in body and "Import 14 actions" in body
    assert ActionPlan.query.count() == 0  # nothing saved at preview
    confirm = officer_client.post("/staff/actions/import/confirm", data={"title": "Fairer Plan", "csv_text": text})
    assert confirm.status_code == 302
    plan = ActionPlan.query.one()
    assert len(plan.actions) == 14
    first = plan.actions[0]
    assert (first.number, first.title) == ("1.1", "Light the main walking routes through our parks")
    assert first.description.startswith("Install low-energy")
    assert first.portfolio_holder.name == "David Okafor"
    assert first.timescale == "April 2025 to March 2027"
    assert [str(m.target_date) for m in first.milestones] == ["2025-09-30", "2026-03-31", "2027-03-31"]
    assert first.milestones[0].period_text == "July to September 2025"
    assert first.milestones[0].title == "Survey lighting and bat roosts on 6 routes"


def test_confirm_checks_the_file_again(officer_client, holders):
    bad = HEADER + ",1.1 Title. Body,Measure,April to June 2026: pilot,,\n"
    response = officer_client.post("/staff/actions/import/confirm", data={"title": "Plan", "csv_text": bad})
    assert response.status_code == 400
    assert "Objective is empty" in response.get_data(as_text=True)
    assert ActionPlan.query.count() == 0


def test_every_problem_row_is_reported_with_its_line_and_nothing_is_imported(officer_client, holders):
    rows = [
        "Objective A,1.1 Good action. Fine,Measure,April to June 2026: pilot in two parks,David Okafor,2026",  # line 2
        ",1.2 No objective. x,Measure,,,",  # line 3
        "Objective B,,Measure,,,",  # line 4
        "Objective C,1.3 No measure. x,,,,",  # line 5
        "Objective D,1.1 Duplicate number. x,Measure,,,",  # line 6
        "Objective E,1.4 Unknown holder. x,Measure,,Boris Nobody,",  # line 7
        f"Objective F,1.5 {'x' * 400}. y,Measure,,,",  # line 8
        '"Objective G\nspanning two lines",1.6 Fine. x,Measure,,,',  # lines 9-10
        "Objective H,1.7,Measure,,,",  # line 11: number but no title
    ]
    response = _upload(officer_client, HEADER + "\n".join(rows) + "\n")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "nothing was imported" in body
    result = importer.parse_plan_csv(HEADER + "\n".join(rows) + "\n")
    problems = {line: message for line, message in result.problems}
    assert set(problems) == {3, 4, 5, 6, 7, 8, 11}
    assert problems[3] == "Objective is empty"
    assert problems[4] == "Action is empty"
    assert "How will we know" in problems[5]
    assert problems[6] == "Action number 1.1 is also used on line 2"
    assert "Boris Nobody" in problems[7]
    assert "longer than 300" in problems[8]
    assert "no title" in problems[11]
    for line in problems:
        assert f'<td class="govuk-table__cell">{line}</td>' in body
    assert ActionPlan.query.count() == 0 and Action.query.count() == 0


@pytest.mark.parametrize("text, message", [
    ("", "The file is empty"),
    ("Objective,Action\nA,B\n", "missing the columns"),
    (HEADER, "no actions"),
])
def test_file_level_problems(officer_client, text, message):
    response = _upload(officer_client, text)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_upload_without_file_or_title_or_with_binary(officer_client):
    response = officer_client.post("/staff/actions/import", data={"title": ""}, content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "Choose a CSV file" in body
    response = officer_client.post("/staff/actions/import", content_type="multipart/form-data", data={
        "title": "", "file": (io.BytesIO(HEADER.encode()), "p.csv")})
    assert response.status_code == 400 and "Enter the plan&#39;s title" in response.get_data(as_text=True)
    response = officer_client.post("/staff/actions/import", content_type="multipart/form-data", data={
        "title": "P", "file": (io.BytesIO(b"\xff\xfe\x00bad"), "p.csv")})
    assert response.status_code == 400 and "UTF-8" in response.get_data(as_text=True)
    response = officer_client.post("/staff/actions/import", content_type="multipart/form-data", data={
        "title": "x" * 100_000, "file": (io.BytesIO(HEADER.encode()), "p.csv")})
    assert response.status_code == 400
    assert officer_client.post("/staff/actions/import/confirm", data={"title": "", "csv_text": ""}).status_code == 400


@pytest.mark.parametrize("text, expected", [
    ("April to June 2026", "2026-06-30"), ("January to March 2027", "2027-03-31"),
    ("Oct 2025 to Feb 2026", "2026-02-28"), ("March 2027", "2027-03-31"), ("by 15 May 2026", "2026-05-15"),
    ("Spring 2027", "2027-05-31"), ("Winter 2026", "2027-02-28"), ("Q4 2026/27", "2027-03-31"),
    ("Q1 2026-27", "2026-06-30"), ("2026-07-01", "2026-07-01"), ("Soon", None), ("February 2026x", None),
])
def test_period_end(text, expected):
    result = importer.period_end(text)
    assert (result.isoformat() if result else None) == expected


def test_milestones_text_is_split_and_dated():
    found = importer.parse_milestones("April to June 2026: pilot in two parks; Later: review; "
                                      "October to December 2025: first season: 1,200 trees")
    assert found[0] == {"title": "Pilot in two parks", "period_text": "April to June 2026",
                        "target_date": __import__("datetime").date(2026, 6, 30)}
    assert found[1]["target_date"] is None and found[1]["title"] == "Later: review"
    assert found[2]["title"] == "First season: 1,200 trees"
