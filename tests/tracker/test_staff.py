"""Officers create and close rounds and enter national benchmarks; councillors only read."""
from decimal import Decimal

import pytest

from app.tracker.models import TrackerBenchmark, TrackerRound
from tests import factories
from tests.conftest import login
from tests.tracker.conftest import make_round

ROUND = {"name": "Spring 2027", "opens_on-day": "1", "opens_on-month": "3", "opens_on-year": "2027",
         "closes_on-day": "31", "closes_on-month": "3", "closes_on-year": "2027"}
BENCHMARKS = {"belonging-percent": "61", "belonging-year": "2023/24",
              "belonging-source": "Community Life Survey 2023/24: Neighbourhood and community",
              "cohesion-percent": "81.5", "cohesion-year": "2018/19"}


def test_an_officer_creates_a_round(officer_client):
    response = officer_client.post("/staff/tracker/rounds/new", data=ROUND)
    assert response.status_code == 302
    created = TrackerRound.query.one()
    assert (created.name, str(created.opens_on), str(created.closes_on)) == ("Spring 2027", "2027-03-01",
                                                                             "2027-03-31")
    assert officer_client.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize("change, message", [
    ({"name": ""}, "Enter a name for the round"),
    ({"closes_on-day": "28", "closes_on-month": "2"}, "The closing date must be the same as or after the opening date"),
    ({"opens_on-day": "31", "opens_on-month": "2"}, "Opens on must be a real date"),
    ({"closes_on-year": ""}, "Closes on must include a year"),
    ({"name": "x" * 121}, "The name must be 120 characters or fewer"),
])
def test_bad_round_details_are_explained_and_nothing_is_created(officer_client, change, message):
    page = officer_client.post("/staff/tracker/rounds/new", data={**ROUND, **change})
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "govuk-error-summary" in text and message in text
    assert TrackerRound.query.count() == 0


def test_round_names_are_unique(officer_client, db):
    make_round("Spring 2027")
    page = officer_client.post("/staff/tracker/rounds/new", data={**ROUND, "name": "spring 2027"})
    assert page.status_code == 400 and "There is already a round with this name" in page.get_data(as_text=True)


def test_closing_a_round_early_publishes_its_results(officer_client, client, db):
    open_round = make_round("Spring", "open")
    assert officer_client.post(f"/staff/tracker/rounds/{open_round.id}/close").status_code == 302
    db.session.expire_all()
    assert open_round.status() == "closed" and open_round.closed_early_at is not None
    public = factories.user(role="resident")
    other = client.application.test_client()
    login(other, public)
    assert other.get(f"/shared-goals/{open_round.id}/results").status_code == 200


def test_round_lifecycle_follows_the_dates(db):
    from datetime import date

    r = TrackerRound(name="x", opens_on=date(2027, 3, 1), closes_on=date(2027, 3, 31))
    assert r.status(date(2027, 2, 28)) == "upcoming"
    assert r.status(date(2027, 3, 1)) == "open" and r.status(date(2027, 3, 31)) == "open"
    assert r.status(date(2027, 4, 1)) == "closed"


def test_a_closed_round_cannot_be_closed_again(db):
    closed = make_round("Old", "closed")
    with pytest.raises(ValueError):
        closed.close_now()


def test_an_officer_enters_benchmarks(officer_client):
    response = officer_client.post("/staff/tracker/benchmarks", data=BENCHMARKS)
    assert response.status_code == 302
    saved = {b.indicator: b for b in TrackerBenchmark.query}
    assert set(saved) == {"belonging", "cohesion"}
    assert saved["belonging"].percent == Decimal("61") and saved["belonging"].year == "2023/24"
    assert saved["cohesion"].percent == Decimal("81.5")
    page = officer_client.get("/staff/tracker/benchmarks").get_data(as_text=True)
    assert 'value="81.5"' in page and "Community Life Survey 2023/24" in page
    # Changing a figure replaces it, not adds another.
    officer_client.post("/staff/tracker/benchmarks", data={**BENCHMARKS, "belonging-percent": "62"})
    assert TrackerBenchmark.query.count() == 2
    assert TrackerBenchmark.query.get("belonging").percent == Decimal("62")


@pytest.mark.parametrize("change, message", [
    ({"belonging-percent": "lots"}, "Belong to their neighbourhood: Enter the percentage as a number"),
    ({"belonging-percent": "101"}, "The percentage must be between 0 and 100"),
    ({"belonging-percent": "-1"}, "The percentage must be between 0 and 100"),
    ({"belonging-percent": "NaN"}, "The percentage must be between 0 and 100"),
    ({"belonging-percent": "61.25"}, "one decimal place"),
    ({"belonging-year": ""}, "Belong to their neighbourhood: Enter the year of the national figure"),
    ({"trust-year": "2023/24"}, "Many people in the neighbourhood can be trusted: Enter the national percentage"),
])
def test_bad_benchmarks_are_explained_and_none_are_saved(officer_client, change, message):
    page = officer_client.post("/staff/tracker/benchmarks", data={**BENCHMARKS, **change})
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "govuk-error-summary" in text and message in text
    assert TrackerBenchmark.query.count() == 0


@pytest.mark.parametrize("role, status", [("councillor", 403), ("resident", 403)])
def test_only_admins_and_officers_enter_benchmarks_or_create_rounds(client, db, role, status):
    login(client, factories.user(role=role))
    assert client.get("/staff/tracker/benchmarks").status_code == status
    assert client.post("/staff/tracker/benchmarks", data=BENCHMARKS).status_code == status
    assert client.post("/staff/tracker/rounds/new", data=ROUND).status_code == status
    assert TrackerBenchmark.query.count() == 0 and TrackerRound.query.count() == 0


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.post("/staff/tracker/benchmarks", data=BENCHMARKS)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert TrackerBenchmark.query.count() == 0


def test_a_councillor_reads_live_results_but_cannot_close(client, db):
    open_round = make_round("Spring", "open")
    login(client, factories.user(role="councillor"))
    page = client.get(f"/staff/tracker/rounds/{open_round.id}")
    assert page.status_code == 200 and "These figures are live" in page.get_data(as_text=True)
    assert "Close this round now" not in page.get_data(as_text=True)
    assert client.post(f"/staff/tracker/rounds/{open_round.id}/close").status_code == 403
    db.session.expire_all()
    assert open_round.status() == "open"
