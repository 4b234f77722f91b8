"""The public progress dashboard and the scrutiny report (page and CSV)."""
import csv
import io
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from tests.actions import factories as af


@pytest.fixture()
def plan(db):
    p = af.plan(actions=4)
    a = p.actions
    a[0].set_status("on_track")
    a[1].set_status("at_risk")
    a[2].set_status("cant_proceed", "Planning refused.")
    af.milestone(a[1], "Lifts replaced", target=af.past(40))  # overdue
    af.milestone(a[1], "Cleaning schedules", target=af.past(60), completed_on=af.past(50))  # met late
    af.milestone(a[0], "Contract awarded", target=af.future(30))
    af.update(a[0], on=af.past(10), text="Contract signed.", percent=30)
    af.update(a[0], on=af.past(400), text="Old news.")
    return p


def test_dashboard_shows_chart_table_links_last_update_and_overdue(client, plan):
    body = client.get("/progress").get_data(as_text=True)
    assert "<svg" in body and 'aria-hidden="true"' in body  # chart, with the numbers in a table too
    assert "Actions by status and priority" in body
    for action in plan.actions:
        assert f'href="/actions/{action.id}"' in body
    assert af.past(10).strftime("%-d %B %Y") in body  # last update date
    assert "1 overdue" in body and "Lifts replaced" in body
    assert "1 milestone is overdue" in body


def test_dashboard_with_no_plans(client):
    assert "has not published an action plan" in client.get("/progress").get_data(as_text=True)


def test_report_defaults_to_the_last_six_months(officer_client, plan):
    response = officer_client.get("/staff/actions/report")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    start = date.today() - relativedelta(months=6)
    assert start.strftime("%-d %B %Y") in body
    assert "Contract signed." in body and "Old news." not in body
    assert "Planning refused." in body
    assert "Lifts replaced" in body and "Cleaning schedules" in body
    assert "app-no-print" in body


def test_report_lists_linked_themes_and_consultations(officer_client, plan):
    consultation, themes = af.consultation_with_themes()
    af.link(themes[0], plan.actions[0])
    body = officer_client.get("/staff/actions/report").get_data(as_text=True)
    assert "Slow repairs (3 comments)" in body and consultation.title in body


def test_report_csv(officer_client, plan):
    response = officer_client.get(f"/staff/actions/report.csv?date_from={af.past(30)}&date_to={date.today()}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:5] == ["Plan", "Number", "Action", "Priority", "Status"]
    assert len(rows) == 5
    first = rows[1]
    assert first[4] == "On track" and "Contract signed. (30%)" in first[8]
    assert "Lifts replaced" not in "".join(rows[2])  # due 40 days ago: outside a 30-day period
    wide = officer_client.get(f"/staff/actions/report.csv?date_from={af.past(100)}&date_to={date.today()}")
    rows = list(csv.reader(io.StringIO(wide.get_data(as_text=True).lstrip("\ufeff"))))
    assert "Lifts replaced" in rows[2][10] and "Cleaning schedules" in rows[2][10]  # missed: late or not met


def test_report_csv_is_safe_against_formula_injection(officer_client, plan):
    from app.extensions import db

    plan.actions[3].title = '=HYPERLINK("http://evil")'
    db.session.commit()
    body = officer_client.get("/staff/actions/report.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in body


@pytest.mark.parametrize("query, message", [
    ("date_from=2026-02-30", "Enter a real date"),
    ("date_from=yesterday&date_to=2026-01-01", "Enter a real date"),
    ("date_from=2026-05-01&date_to=2026-01-01", "start date must be on or before"),
    ("date_from=2000-01-01&date_to=2026-01-01", "5 years or shorter"),
    ("date_from=" + "9" * 5000, "Enter a real date"),
    ("date_from=" + str(date.today() + relativedelta(years=1)), "start date must be on or before"),
])
def test_report_period_validation(officer_client, plan, query, message):
    for url in ("/staff/actions/report?", "/staff/actions/report.csv?"):
        response = officer_client.get(url + query)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
