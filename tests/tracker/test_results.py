"""Results: the council's percentage agreeing with a Wilson 95% interval beside the national
figure, by ward and group with small numbers suppressed, over rounds; public only once closed."""
from decimal import Decimal

import pytest

from app.tracker import services
from app.tracker.stats import wilson_interval
from tests import factories
from tests.conftest import login
from tests.tracker.conftest import add_answers, make_round


@pytest.fixture()
def wards(db):
    return factories.ward("Kingsmead"), factories.ward("Hollybush")


def test_percentage_counts_the_national_agree_answers_only(db, wards):
    kingsmead, _ = wards
    r = make_round("Spring", "closed")
    add_answers(r, kingsmead, {"belonging": "very_strongly", "cohesion": "tend_to_agree"}, times=6)
    add_answers(r, kingsmead, {"belonging": "fairly_strongly", "cohesion": "tend_to_disagree"}, times=6)
    add_answers(r, kingsmead, {"belonging": "not_very_strongly", "cohesion": "definitely_disagree"}, times=18)
    results = services.round_results(r)
    belonging, cohesion = results.overall["belonging"], results.overall["cohesion"]
    assert (belonging.agree, belonging.base) == (12, 30) and belonging.percent == pytest.approx(40.0)
    low, high = wilson_interval(12, 30)
    assert (belonging.low, belonging.high) == (pytest.approx(100 * low), pytest.approx(100 * high))
    assert (cohesion.agree, cohesion.base) == (6, 30)
    # Nobody answered the other two: no figure, and not mistaken for suppression.
    assert results.overall["trust"].empty and not results.overall["trust"].suppressed
    assert results.responses == 30


def test_wards_and_groups_under_the_threshold_are_suppressed(db, wards):
    kingsmead, hollybush = wards
    r = make_round("Spring", "closed")
    add_answers(r, kingsmead, {"trust": "many"}, {"disability": "disabled", "age_band": "18_24"}, times=10)
    add_answers(r, hollybush, {"trust": "many"}, {"disability": "not_disabled", "age_band": "18_24"}, times=9)
    results = services.round_results(r)
    by_ward = dict(results.by_ward.rows)
    assert by_ward["Kingsmead"]["trust"].percent == pytest.approx(100.0)
    assert by_ward["Hollybush"]["trust"].suppressed and by_ward["Hollybush"]["trust"].base is None
    groups = {b.heading: dict(b.rows) for b in results.by_group}
    assert groups["Disability"]["Disabled"]["trust"].base == 10
    assert groups["Disability"]["Not disabled"]["trust"].suppressed
    assert groups["Age"]["18 to 24"]["trust"].base == 19
    assert results.overall["trust"].base == 19


def test_the_threshold_comes_from_config(app, db, wards):
    r = make_round("Spring", "closed")
    add_answers(r, wards[0], {"trust": "many"}, times=5)
    app.config["SMALL_NUMBER_THRESHOLD"] = 5
    try:
        assert not dict(services.round_results(r).by_ward.rows)["Kingsmead"]["trust"].suppressed
    finally:
        app.config["SMALL_NUMBER_THRESHOLD"] = 10
    assert dict(services.round_results(r).by_ward.rows)["Kingsmead"]["trust"].suppressed


def test_the_public_page_shows_suppression_and_the_benchmark(client, db, wards):
    kingsmead, hollybush = wards
    r = make_round("Spring 2027", "closed")
    add_answers(r, kingsmead, {"belonging": "very_strongly"}, times=20)
    add_answers(r, hollybush, {"belonging": "not_very_strongly"}, times=4)
    services.save_benchmark("belonging", Decimal("61"), "2023/24", "Community Life Survey 2023/24")
    db.session.commit()
    page = client.get(f"/shared-goals/{r.id}/results")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "83%" in text  # 20 of 24
    low, high = wilson_interval(20, 24)
    assert f"{100 * low:.0f}% to {100 * high:.0f}%" in text
    assert "61% (2023/24)" in text
    assert "Fewer than 10 answers" in text
    assert "<svg" in text and 'aria-hidden="true"' in text


def test_results_are_public_only_once_the_round_closes(client, db, wards):
    open_round, upcoming = make_round("Spring", "open"), make_round("Autumn", "upcoming")
    add_answers(open_round, wards[0], {"belonging": "very_strongly"}, times=12)
    for r in (open_round, upcoming):
        assert client.get(f"/shared-goals/{r.id}/results").status_code == 404
    login(client, factories.user(role="resident"))
    assert client.get(f"/shared-goals/{open_round.id}/results").status_code == 404
    assert "Spring results" not in client.get("/shared-goals").get_data(as_text=True)
    open_round.close_now()
    db.session.commit()
    assert client.get(f"/shared-goals/{open_round.id}/results").status_code == 200
    assert "Spring results" in client.get("/shared-goals").get_data(as_text=True)


def test_staff_see_an_open_round_live(officer_client, db, wards):
    open_round = make_round("Spring", "open")
    add_answers(open_round, wards[0], {"belonging": "very_strongly"}, times=12)
    redirect = officer_client.get(f"/shared-goals/{open_round.id}/results")
    assert redirect.status_code == 302 and redirect.headers["Location"].endswith(
        f"/staff/tracker/rounds/{open_round.id}")
    page = officer_client.get(f"/staff/tracker/rounds/{open_round.id}").get_data(as_text=True)
    assert "These figures are live" in page and "100%" in page


def test_over_time_public_pages_show_closed_rounds_only(client, officer, db, wards):
    first, second, current = make_round("2025", "closed"), make_round("2026", "closed"), make_round("2027", "open")
    first.opens_on = first.opens_on.replace(year=first.opens_on.year - 1)
    add_answers(first, wards[0], {"influence": "tend_to_agree"}, times=10)
    add_answers(first, wards[0], {"influence": "tend_to_disagree"}, times=10)
    add_answers(second, wards[0], {"influence": "tend_to_agree"}, times=15)
    add_answers(second, wards[0], {"influence": "tend_to_disagree"}, times=5)
    add_answers(current, wards[0], {"influence": "tend_to_agree"}, times=10)
    history = services.over_time([first, second])
    assert [r.name for r, _ in history] == ["2025", "2026"]
    assert [cells["influence"].percent for _, cells in history] == [pytest.approx(50.0), pytest.approx(75.0)]
    public = client.get(f"/shared-goals/{second.id}/results").get_data(as_text=True)
    assert ">2025</th>" in public and ">2026</th>" in public and ">2027</th>" not in public
    login(client, officer)
    staff = client.get(f"/staff/tracker/rounds/{second.id}").get_data(as_text=True)
    assert ">2027</th>" in staff


def test_group_breakdowns_survive_a_new_equality_key(app, db, wards, monkeypatch):
    r = make_round("Spring", "closed")
    add_answers(r, wards[0], {"trust": "many"}, {"disability": "disabled"}, times=10)
    old = app.config["EQUALITY_KEY"]
    monkeypatch.setitem(app.config, "EQUALITY_KEY", "a-brand-new-key")

    def disabled_base():
        return dict(next(b for b in services.round_results(r).by_group if b.heading == "Disability").rows)[
            "Disabled"]["trust"].base

    assert disabled_base() == 0  # under the new key nothing matches yet...
    monkeypatch.setenv("OLD_EQUALITY_KEY", old)
    result = app.test_cli_runner().invoke(args=["equality", "rekey"])
    assert result.exit_code == 0 and "tracker_about_you 10" in result.output, result.output
    db.session.expire_all()
    assert disabled_base() == 10  # ...until the rekey moves it
