"""The public progress dashboard and the scrutiny report (page and CSV)."""
import csv
import re
import io
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from app.actions.services import today_london
from tests import factories
from tests.actions import factories as af
from tests.conftest import login


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
    chart_url = f"/progress/plans/{plan.id}/chart.svg"
    assert f'<img src="{chart_url}" alt=""' in body  # chart, with the numbers in a table too
    chart = client.get(chart_url)
    assert chart.mimetype == "image/svg+xml" and "<svg" in chart.get_data(as_text=True)
    assert client.get(chart_url, headers={"If-None-Match": chart.headers["ETag"]}).status_code == 304
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
    start = today_london() - relativedelta(months=6)
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
    response = officer_client.get("/staff/actions/report.csv?" + _period(af.past(30), today_london()))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:5] == ["Plan", "Number", "Action", "Priority", "Status"]
    assert len(rows) == 5
    first = rows[1]
    assert first[4] == "On track" and "Contract signed. (30%)" in first[8]
    assert "Lifts replaced" not in "".join(rows[2])  # due 40 days ago: outside a 30-day period
    wide = officer_client.get("/staff/actions/report.csv?" + _period(af.past(100), today_london()))
    rows = list(csv.reader(io.StringIO(wide.get_data(as_text=True).lstrip("\ufeff"))))
    assert "Lifts replaced" in rows[2][10] and "Cleaning schedules" in rows[2][10]  # missed: late or not met


def test_report_csv_is_safe_against_formula_injection(officer_client, plan):
    from app.extensions import db

    plan.actions[3].title = '=HYPERLINK("http://evil")'
    db.session.commit()
    body = officer_client.get("/staff/actions/report.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in body


def _boxes(name, day, month, year):
    return f"{name}-day={day}&{name}-month={month}&{name}-year={year}"


def _period(start, end):
    """The report form's query string: each date as its three GOV.UK date input boxes."""
    return "&".join(_boxes(name, d.day, d.month, d.year) for name, d in (("date_from", start), ("date_to", end)))


NEXT_YEAR = today_london() + relativedelta(years=1)


@pytest.mark.parametrize("query, message", [
    (_boxes("date_from", 30, 2, 2026), "The start date must be a real date"),
    (_boxes("date_from", 1, "x", 2026) + "&" + _boxes("date_to", 1, 1, 2026), "The start date must be a real date"),
    (_boxes("date_from", 1, "", 2026), "The start date must include a month"),
    (_boxes("date_to", "", "", 2026), "The end date must include a day and a month"),
    (_period(date(2026, 5, 1), date(2026, 1, 1)), "start date must be on or before"),
    (_period(date(2000, 1, 1), date(2026, 1, 1)), "5 years or shorter"),
    (_boxes("date_from", "9" * 5000, 1, 2026), "The start date must be a real date"),
    (_boxes("date_from", 1, 1, "9" * 5000), "The start date must have a year between 2000 and 2100"),
    (_boxes("date_from", NEXT_YEAR.day, NEXT_YEAR.month, NEXT_YEAR.year), "start date must be on or before"),
])
def test_report_period_validation(officer_client, plan, query, message):
    for url in ("/staff/actions/report?", "/staff/actions/report.csv?"):
        response = officer_client.get(url + query)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


def test_report_form_keeps_three_boxes_and_links_to_the_box_in_error(officer_client, plan):
    body = officer_client.get("/staff/actions/report?" + _boxes("date_from", 1, "", 2026)).get_data(as_text=True)
    assert 'href="#date_from-month"' in body
    for box in ("date_from-day", "date_from-month", "date_from-year", "date_to-day", "date_to-month", "date_to-year"):
        assert f'name="{box}"' in body
    ok = officer_client.get("/staff/actions/report")  # no dates: the last six months
    assert ok.status_code == 200
    html = ok.get_data(as_text=True)
    assert f'name="date_to-year" type="text" value="{today_london().year}"' in " ".join(html.split())
    assert "date_from-day=" in html  # the CSV link carries the period as the same three boxes


def test_councillors_find_the_scrutiny_report_from_staff_home(client):
    councillor = factories.user(role="councillor")
    login(client, councillor)
    body = client.get("/staff/").get_data(as_text=True)
    assert 'href="/staff/actions/report"' in body
    assert 'href="/staff/actions"' not in body  # plans are for officers
    assert client.get("/staff/actions/report").status_code == 200


def _series_colours(html):
    return dict(re.findall(r"\.color-(\d+) a:visited\{stroke:(#[0-9a-f]{6});", html))


def test_each_status_keeps_its_tag_colour_in_the_chart(client, db):
    p = af.plan(actions=2)
    p.actions[0].set_status("at_risk")
    p.actions[1].set_status("cant_proceed", "No money.")
    db.session.commit()
    html = client.get("/progress").get_data(as_text=True)
    chart = client.get(f"/progress/plans/{p.id}/chart.svg").get_data(as_text=True)
    # Only two statuses present: At risk is still amber and Can't proceed red, as their tags.
    assert _series_colours(chart) == {"0": "#f47738", "1": "#d4351c"}
    assert "govuk-tag--orange" in html and "govuk-tag--red" in html
    more = af.plan(title="Second plan", actions=3)
    more.actions[0].set_status("completed")
    more.actions[1].set_status("on_track")
    db.session.commit()
    second = client.get(f"/progress/plans/{more.id}/chart.svg").get_data(as_text=True)
    assert _series_colours(second) == {"0": "#505a5f", "1": "#00703c", "2": "#1d70b8"}


def test_residents_can_find_the_progress_dashboard_from_any_page(client):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/progress"' in home and "See progress on the council" in home
    page = client.get("/progress").get_data(as_text=True)
    # The menu item for the page you are on is marked as current.
    assert 'href="/progress" aria-current="true"' in page
    index = client.get("/you-said-we-did").get_data(as_text=True)
    assert 'href="/you-said-we-did" aria-current="true"' in index
