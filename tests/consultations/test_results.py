"""Results: counts, charts, free-text search, suppressed breakdowns and CSV exports."""
import csv
import io

from app.consultations import results
from app.consultations.models import AboutYou, Answer, Response
from app.extensions import db
from tests import factories


def add_responses(consultation, count, *, option=0, scale=4, text="Lovely park", channel="online", about=None):
    single, agreement, _multi, free = consultation.questions
    made = []
    for n in range(count):
        response = Response(consultation=consultation, channel=channel, answers=[
            Answer(question_id=single.id, option_id=single.options[option].id),
            Answer(question_id=agreement.id, scale_value=scale),
            Answer(question_id=free.id, text=f"{text} {n}")])
        db.session.add(response)
        db.session.flush()
        if about:
            db.session.add(AboutYou(response_id=response.id, consultation_id=consultation.id, **about))
        made.append(response)
    db.session.commit()
    return made


def test_choice_counts_and_percentages(db):
    c = factories.consultation(status="closed")
    add_responses(c, 3, option=0)
    add_responses(c, 1, option=2)
    answered, rows = results.choice_results(c.questions[0])
    assert answered == 4
    assert [(r.label, r.count, round(r.percent)) for r in rows] == [
        ("Every day", 3, 75), ("Every week", 0, 0), ("Less often", 1, 25)]
    answered, rows = results.choice_results(c.questions[1])
    assert rows[3].label == "Agree" and rows[3].count == 4


def test_breakdown_suppresses_small_numbers(db, app):
    c = factories.consultation(status="closed")
    add_responses(c, 12, option=0, about={"age_band": "16_17", "tenure": "social_ha"})
    add_responses(c, 3, option=1, about={"age_band": "65_74"})
    add_responses(c, 2, option=0)  # no About you
    table = results.breakdown(c.questions[0], "age_band", threshold=10)
    columns = table.columns
    every_day = dict(zip(columns, table.rows[0][1]))
    every_week = dict(zip(columns, table.rows[1][1]))
    assert every_day["16 to 17"] == 12
    assert every_day["Not answered"] is None  # 2 people: suppressed
    assert every_week["65 to 74"] is None and every_week["16 to 17"] == 0
    profile = results.about_you_profile(c, threshold=10)
    housing = {r.label: r.count for r in profile["Housing"]}
    assert housing["Rent from a housing association"] == 12 and housing["Not answered"] is None


def test_breakdown_by_ethnic_group_uses_census_high_level_groups(db):
    c = factories.consultation(status="closed")
    add_responses(c, 6, about={"ethnic_group": "black_african"})
    add_responses(c, 6, about={"ethnic_group": "black_caribbean"})
    table = results.breakdown(c.questions[0], "ethnic_group", threshold=10)
    row = dict(zip(table.columns, table.rows[0][1]))
    assert row["Black, Black British, Black Welsh, Caribbean or African"] == 12


def test_results_page_has_chart_tables_channels_and_profile(officer_client, db, app):
    c = factories.consultation(status="open")
    add_responses(c, 11, about={"sex": "female"})
    add_responses(c, 2, channel="paper")
    page = officer_client.get(f"/staff/consultations/{c.id}/results").get_data(as_text=True)
    assert "<svg" in page and 'aria-hidden="true"' in page
    assert "How often do you visit a park?" in page and "Paper form" in page
    assert "fewer than 10" in page and ">11<" in page


def test_breakdown_page_validates_its_choices(officer_client, db):
    c = factories.consultation(status="closed")
    add_responses(c, 12, about={"disability": "disabled"})
    url = f"/staff/consultations/{c.id}/results/breakdown"
    page = officer_client.get(f"{url}?question={c.questions[0].id}&by=disability").get_data(as_text=True)
    assert ">12<" in page and "by disability" in page
    for query in ("?question=abc&by=age_band", f"?question={c.questions[3].id}&by=age_band",
                  f"?question={c.questions[0].id}&by=shoe_size", "?question=&by="):
        response = officer_client.get(url + query)
        assert response.status_code == 200 and "There is a problem" in response.get_data(as_text=True), query


def test_free_text_search_and_pagination(officer_client, db):
    c = factories.consultation(status="closed")
    add_responses(c, 30, text="Benches")
    add_responses(c, 2, text="100% more_trees")
    url = f"/staff/consultations/{c.id}/results/questions/{c.questions[3].id}"
    page = officer_client.get(url).get_data(as_text=True)
    assert "32 answers" in page and "govuk-pagination" in page
    assert "100% more_trees 1" in page
    assert "2 answers" in officer_client.get(url + "?q=more_trees").get_data(as_text=True)
    assert "0 answers" in officer_client.get(url + "?q=more%25x").get_data(as_text=True)  # % is literal
    assert "Benches" in officer_client.get(url + "?page=2").get_data(as_text=True)
    for query in ("?page=abc", "?page=-3", "?page=99999999999", "?q=" + "x" * 10_000):
        assert officer_client.get(url + query).status_code == 200, query
    choice = c.questions[0]
    assert officer_client.get(f"/staff/consultations/{c.id}/results/questions/{choice.id}").status_code == 404


def test_csv_export_has_answers_but_no_about_you_or_emails(officer_client, db):
    c = factories.consultation(status="closed")
    [response] = add_responses(c, 1, text="=HYPERLINK(\"x\")", about={"age_band": "16_17", "tenure": "private_rent"})
    response.keep_informed, response.contact_email = True, "someone@example.org"
    db.session.add(Answer(response=response, question_id=c.questions[2].id, option_id=c.questions[2].options[0].id))
    db.session.add(Answer(response=response, question_id=c.questions[2].id, option_id=c.questions[2].options[2].id))
    db.session.commit()
    download = officer_client.get(f"/staff/consultations/{c.id}/responses.csv")
    assert download.mimetype == "text/csv"
    text = download.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Reference", "Submitted (UK time)", "Channel", "Collected on"]
    assert rows[0][4:] == [q.text for q in c.questions]
    assert rows[1][0] == response.reference and rows[1][3] == ""  # online: no collection date
    assert rows[1][4:] == ["Every day", "Agree", "Toilets; Play areas", "'=HYPERLINK(\"x\") 0"]
    for private in ("16 to 17", "16_17", "private_rent", "Rent from a private landlord", "someone@example.org"):
        assert private not in text


def test_csv_header_cells_cannot_run_as_formulas(officer_client, db):
    c = factories.consultation(status="closed", questions=[
        {"kind": "free_text", "text": "=1+1 how should we spend it?"},
        {"kind": "free_text", "text": "@SUM(A1) or -2?"},
        {"kind": "free_text", "text": "+ more benches"}])
    text = officer_client.get(f"/staff/consultations/{c.id}/responses.csv").get_data(as_text=True)
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header[4:] == ["'=1+1 how should we spend it?", "'@SUM(A1) or -2?", "'+ more benches"]


def test_about_you_csv_is_aggregate_and_suppressed(officer_client, db):
    c = factories.consultation(status="closed")
    add_responses(c, 10, about={"age_band": "25_34"})
    add_responses(c, 1, about={"age_band": "16_17"})
    text = officer_client.get(f"/staff/consultations/{c.id}/about-you.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Characteristic", "Answer", "Number of people"]
    age = {r[1]: r[2] for r in rows if r[0] == "Age"}
    assert age["25 to 34"] == "10" and age["16 to 17"] == "fewer than 10" and age["Under 16"] == "0"
    assert not any(r[0] == "Reference" for r in rows)
