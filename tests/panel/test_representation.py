"""Representativeness figures on a fixed example worked out by hand, suppression, census upload."""
import io

from app.extensions import db
from app.panel import representation
from app.panel.models import CensusReference
from tests.panel.conftest import CENSUS, member, members, rows_of as _rows, tables_of


def test_figures_match_a_hand_worked_example(db):
    assert representation.import_census(CENSUS) == (4, [])
    for sex, tenure in [("female", "owned_outright")] * 3 + [("male", "owned_outright"), ("prefer_not", "private_rent")]:
        member(sex=sex, tenure=tenure)
    report = representation.report(representation.panel_members(), threshold=1)
    tables = tables_of(report)
    sex = _rows(tables["sex"])
    # Known sex: 4 people (the 5th prefers not to say). Female 3/4 = 75% vs 60%; male 1/4 = 25% vs 40%.
    assert sex["female"]["pct"] == 75 and sex["female"]["population_pct"] == 60
    assert sex["female"]["ratio"] == 1.25 and not sex["female"]["under"]
    assert sex["male"]["ratio"] == 0.625 and sex["male"]["under"]
    assert sex["unknown"]["count"] == 1 and tables["sex"]["total"] == 5
    # Score = min(75,60) + min(25,40) = 85% ; tenure: owned 80% vs 50%, private 20% vs 50% -> 70%.
    assert abs(tables["sex"]["score"] - 0.85) < 1e-9
    assert abs(tables["tenure"]["score"] - 0.70) < 1e-9
    assert _rows(tables["tenure"])["private_rent"]["ratio"] == 0.4
    assert tables["age_band"]["score"] is None  # no census figures for age here
    assert abs(report["score"] - 0.775) < 1e-9


def test_small_numbers_are_suppressed_with_a_second_cell_hidden(db):
    representation.import_census(CENSUS)
    members("sex", {"female": 12, "male": 15, "prefer_not": 3})
    table = tables_of(representation.report(representation.panel_members(), threshold=10))["sex"]
    rows = _rows(table)
    assert rows["unknown"]["suppressed"] and rows["unknown"]["shown_count"] is None
    # Total 30 is shown, so 15 + 12 would give the 3 away: the next smallest (12) is hidden too.
    assert rows["female"]["suppressed"] and rows["female"]["pct"] is None and rows["female"]["ratio"] is None
    assert rows["male"]["shown_count"] == 15 and table["total"] == 30


def test_pages_show_hidden_and_never_the_small_count(officer_client):
    representation.import_census(CENSUS)
    db.session.commit()
    members("sex", {"female": 12, "male": 3})
    page = officer_client.get("/staff/panel/representation").get_data(as_text=True)
    # Male 3 and female 12 look the same ("hidden"): a different word for the 12 would tell a reader
    # it is 10 or more. Neither count, nor their %, appears.
    assert page.count("hidden<span") >= 2 and "Under-represented" in page
    assert ">3<" not in page and ">12<" not in page and "80.0%" not in page and "20.0%" not in page
    assert "<svg" in page


def test_consultation_respondents_compared_with_the_panel(officer_client):
    from app.consultations.models import AboutYou, Response
    from tests import factories
    representation.import_census(CENSUS)
    consultation = factories.consultation(status="open")
    for i in range(12):
        response = Response(consultation_id=consultation.id)
        db.session.add(response)
        db.session.flush()
        db.session.add(AboutYou(response_id=response.id, consultation_id=consultation.id,
                                sex="male", tenure="private_rent", age_band="18_24"))
    db.session.commit()
    assert officer_client.get("/staff/panel/representation/consultations").status_code == 200
    page = officer_client.get(f"/staff/panel/representation/consultations/{consultation.id}").get_data(as_text=True)
    assert "respondents and panel side by side" in page and "Respondents" in page
    assert officer_client.get("/staff/panel/representation/consultations/999").status_code == 404
    assert officer_client.get("/staff/panel/representation/consultations/abc").status_code == 404


def test_census_upload_is_all_or_nothing_with_line_numbers(officer_client):
    representation.import_census(CENSUS)
    db.session.commit()
    bad = "characteristic,group,count\nsex,female,10\nsex,martian,5\nage_band,16-17,-3\nplanet,x,1\nsex,female,2\n"
    page = officer_client.post("/staff/panel/census", data={"csv_file": (io.BytesIO(bad.encode()), "c.csv")},
                               content_type="multipart/form-data").get_data(as_text=True)
    for text in ("Line 3", "Line 4", "Line 5", "Line 6", "nothing was changed"):
        assert text in page, text
    assert CensusReference.query.count() == 4
    for payload in ({"csv_file": (io.BytesIO(b"\xff\xfe\x00bad"), "c.csv")}, {"csv_file": (io.BytesIO(b"a,b\n"), "c.csv")}, {}):
        assert officer_client.post("/staff/panel/census", data=payload,
                                   content_type="multipart/form-data").status_code == 200
    from app.demo.loader import DATA_DIR
    from tests import factories
    for name in ("Northbrook Central", "Hollybush", "St Anne's", "Kingsmead", "Millfield", "Fairbank",
                 "Coldharbour Green", "Riverside", "Ashgrove", "Westwood Park"):
        factories.ward(name)
    with open(f"{DATA_DIR}/census_reference.csv", "rb") as handle:
        response = officer_client.post("/staff/panel/census", data={"csv_file": (handle, "census.csv")},
                                       content_type="multipart/form-data")
    assert response.status_code == 302
    assert CensusReference.query.count() == 34


def test_census_problems_are_one_error_summary_linked_to_the_file(officer_client):
    bad = "characteristic,group,count\nsex,martian,5\n"
    page = officer_client.post("/staff/panel/census", data={"csv_file": (io.BytesIO(bad.encode()), "c.csv")},
                               content_type="multipart/form-data").get_data(as_text=True)
    assert page.count('class="govuk-error-summary"') == 1
    assert '<a href="#csv_file">Line 2:' in page and 'id="csv_file-error"' in page
    page = officer_client.post("/staff/panel/census", data={}, content_type="multipart/form-data").get_data(as_text=True)
    assert page.count('class="govuk-error-summary"') == 1 and '<a href="#csv_file">Choose a CSV file' in page


def test_staff_pages_never_show_a_small_count(officer_client):
    from app.common.transaction import commit
    from app.consultations.models import AboutYou, Response
    from app.panel.membership import bump_stat
    from tests import factories
    for _ in range(3):
        member()
    member(status="paused")
    bump_stat("joined")
    consultation = factories.consultation(status="open", title="Tiny")
    response = Response(consultation_id=consultation.id)
    db.session.add(response)
    db.session.flush()
    db.session.add(AboutYou(response_id=response.id, consultation_id=consultation.id, sex="male"))
    commit()
    index = officer_client.get("/staff/panel").get_data(as_text=True)
    assert index.count("fewer than 10") >= 3  # active, paused, this month's joins
    for raw in (">3<", ">1<", "\n      3\n"):
        assert raw not in index
    listing = officer_client.get("/staff/panel/representation/consultations").get_data(as_text=True)
    assert "fewer than 10" in listing and ">1</td>" not in listing
