"""Importing an action plan from CSV: preview, confirm, and every kind of bad row."""
import io
import os
import re
from datetime import timedelta

import pytest

from app.actions import importer
from app.actions.models import Action, ActionPlan, ImportDraft, Milestone
from app.extensions import db as _db
from tests import factories

DEMO_CSV = os.path.join(os.path.dirname(__file__), "..", "..", "app", "demo", "data", "action_plan_import.csv")
HEADER = "Objective,Action,How will we know we have achieved it?,Key milestones,Portfolio holder,Timescale\n"


def _upload(client, text, title="Fairer Plan", encoding="utf-8"):
    raw = text if isinstance(text, bytes) else text.encode(encoding)
    data = {"title": title, "file": (io.BytesIO(raw), "plan.csv")}
    return client.post("/staff/actions/import", data=data, content_type="multipart/form-data")


def _token(preview):
    """The token in the preview's Import form (the file itself stays on the server)."""
    return re.search(r'name="token" type="hidden" value="([^"]+)"', preview.get_data(as_text=True)).group(1)


def _confirm(client, preview):
    return client.post("/staff/actions/import/confirm", data={"token": _token(preview)})


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
    assert "Light the main walking routes" in body and "Install low-energy" not in body  # no CSV in the form
    confirm = _confirm(officer_client, page)
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
    preview = _upload(officer_client, HEADER + "Objective,1.1 Title. Body,Measure,,Helen Marsh,\n")
    assert preview.status_code == 200
    holders[2].role = "officer"  # no longer a councillor by the time the officer confirms
    _db.session.commit()
    response = _confirm(officer_client, preview)
    assert response.status_code == 400
    assert "Helen Marsh" in response.get_data(as_text=True)
    assert ActionPlan.query.count() == 0


def test_a_file_over_500_kb_imports(officer_client, holders):
    """Bigger than Flask's 500,000-byte form-field limit: the file must not travel back in the form."""
    rows = [f"Objective {i},{i}.1 Action {i}. {'Words about the action. ' * 80},Measure {i},"
            f"April to June 2026: step {i},David Okafor,2026" for i in range(1, 301)]
    text = HEADER + "\n".join(rows) + "\n"
    assert 550_000 < len(text.encode()) < 1_000_000
    preview = _upload(officer_client, text)
    assert preview.status_code == 200 and "Import 300 actions" in preview.get_data(as_text=True)
    assert len(preview.get_data()) < 200_000
    confirm = _confirm(officer_client, preview)
    assert confirm.status_code == 302
    plan = ActionPlan.query.one()
    assert len(plan.actions) == 300 and plan.title == "Fairer Plan"
    assert ImportDraft.query.count() == 0


def test_a_checked_file_is_imported_once_and_only_by_its_officer(officer_client, holders):
    preview = _upload(officer_client, open(DEMO_CSV, encoding="utf-8").read())
    token = _token(preview)
    other = factories.user(role="officer", email="other.officer@northbrook.example")
    assert importer.take_draft(other, token) is None
    _db.session.rollback()
    assert officer_client.post("/staff/actions/import/confirm", data={"token": token}).status_code == 302
    again = officer_client.post("/staff/actions/import/confirm", data={"token": token})
    assert again.status_code == 400 and "imported already" in again.get_data(as_text=True)
    assert ActionPlan.query.count() == 1
    assert officer_client.post("/staff/actions/import/confirm", data={"token": "made-up"}).status_code == 400


def test_a_checked_file_waits_a_day(officer_client, holders):
    preview = _upload(officer_client, open(DEMO_CSV, encoding="utf-8").read())
    draft = ImportDraft.query.one()
    draft.created_at -= timedelta(hours=importer.DRAFT_HOURS, minutes=1)
    _db.session.commit()
    response = _confirm(officer_client, preview)
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "more than 24 hours ago" in body
    assert 'value="Fairer Plan"' in body  # the title typed is kept; only the file is chosen again
    assert ActionPlan.query.count() == 0 and ImportDraft.query.count() == 0
    _upload(officer_client, open(DEMO_CSV, encoding="utf-8").read())  # checking another file tidies up
    assert ImportDraft.query.count() == 1


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
    assert response.status_code == 400 and "CSV UTF-8" in response.get_data(as_text=True)
    response = officer_client.post("/staff/actions/import", content_type="multipart/form-data", data={
        "title": "x" * 100_000, "file": (io.BytesIO(HEADER.encode()), "p.csv")})
    assert response.status_code == 400
    assert officer_client.post("/staff/actions/import/confirm", data={"token": ""}).status_code == 400


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


def test_every_imported_text_fits_its_column():
    """A limit bigger than its column would let PostgreSQL refuse the insert (a 500) on import."""
    columns = {"number": Action.number, "title": Action.title, "priority": Action.priority,
               "lead_officer": Action.lead_officer, "timescale": Action.timescale, "milestone": Milestone.title}
    for name, column in columns.items():
        assert importer.LIMITS[name] <= column.type.length, name
    for name in ("objective", "description", "how_we_will_know"):  # Text columns: the limit is ours
        assert name in importer.LIMITS
    assert set(importer.LABELS) <= set(importer.LIMITS)


def test_a_long_action_number_is_a_problem_not_a_crash(officer_client, holders):
    number = ".".join(["1"] * 15)  # 29 characters: too long for the 20-character column
    text = HEADER + f"Objective,{number} Too long a number. x,Measure,,,\n"
    response = _upload(officer_client, text)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<td class=\"govuk-table__cell\">2</td>" in body and "Action number (before the title) is longer than 20" in body
    fine = HEADER + f"Objective,{'1.' * 9}1 Just fits. x,Measure,,,\n"  # 19 characters
    preview = _upload(officer_client, fine)
    assert preview.status_code == 200
    assert _confirm(officer_client, preview).status_code == 302
    assert Action.query.one().number == "1." * 9 + "1"


@pytest.mark.parametrize("field, value", [
    ("Priority", "p" * 201), ("Lead officer", "l" * 201), ("Timescale", "t" * 121),
    ("Key milestones", "April to June 2026: " + "m" * 301),
])
def test_long_optional_texts_are_problems(officer_client, holders, field, value):
    header = "Objective,Action,How will we know we have achieved it?,Key milestones,Priority,Lead officer,Timescale\n"
    row = {"Key milestones": "", "Priority": "", "Lead officer": "", "Timescale": ""} | {field: value}
    text = header + ",".join(["Objective", "1.1 Title. x", "Measure", row["Key milestones"], row["Priority"],
                              row["Lead officer"], row["Timescale"]]) + "\n"
    response = _upload(officer_client, text)
    assert response.status_code == 400 and "is longer than" in response.get_data(as_text=True)
    assert ActionPlan.query.count() == 0


def test_the_row_limit_counts_rows_not_problems():
    bad = HEADER + "".join(f",{i}.1 Title. x,,,,\n" for i in range(1, 301))  # 300 rows, 2 problems each
    result = importer.parse_plan_csv(bad)
    assert len(result.problems) == 600
    assert not any("more than" in message for _, message in result.problems)
    too_many = HEADER + "".join(f"O,{i}.1 Title. x,M,,,\n" for i in range(1, importer.MAX_ROWS + 2))
    result = importer.parse_plan_csv(too_many)
    assert result.problems == [(importer.MAX_ROWS + 2, f"The file has more than {importer.MAX_ROWS} actions; split it up")]


def test_an_unreadable_row_does_not_stop_the_check():
    text = (HEADER + "O,1.1 Fine. x,M,,,\n"
            + f'O,"1.2 {"x" * 200_000}",M,,,\n'  # line 3: bigger than the csv module's field limit
            + ",1.3 No objective. x,M,,,\n")  # line 4: still checked
    result = importer.parse_plan_csv(text)
    problems = dict(result.problems)
    assert set(problems) == {3, 4}
    assert "could not be read" in problems[3] and problems[4] == "Objective is empty"


def test_an_excel_windows_1252_file_is_accepted(officer_client, holders):
    text = HEADER + "Objective – fairer,1.1 Save £50 a year. For “every” tenant,Measure,,Cllr David Okafor,\n"
    preview = _upload(officer_client, text, encoding="cp1252")
    assert preview.status_code == 200
    assert _confirm(officer_client, preview).status_code == 302
    action = Action.query.one()
    assert action.title == "Save £50 a year" and action.objective == "Objective – fairer"
    assert action.description == "For “every” tenant"
    with_bom = _upload(officer_client, "\ufeff" + text, title="Again")  # Excel's "CSV UTF-8"
    assert with_bom.status_code == 200 and "Save £50 a year" in with_bom.get_data(as_text=True)


@pytest.mark.parametrize("raw", [b"\xff\xfe\x00b\x00a\x00d", b"Objective,\x81\x8d\x8f\n"])
def test_a_file_that_is_not_text_is_refused(raw):
    with pytest.raises(ValueError):
        importer.decode_upload(raw)
