"""Small-number suppression and the score, worked out by hand with the default threshold (10).

What a reader knows besides the counts shown: the total (the same on every table), and "those
known" whenever a census row shows its % (count ÷ %). No hidden count may follow from those."""
from app.consultations.models import AboutYou, Response
from app.extensions import db
from app.panel import representation
from tests import factories
from tests.panel.conftest import CENSUS, members, rows_of as _rows, tables_of


def _sex_table(records):
    report = representation.report(records)
    assert report["threshold"] == 10
    return report, tables_of(report)["sex"]


def test_score_uses_the_full_counts_when_a_count_is_hidden(db):
    representation.import_census(CENSUS)
    members("sex", {"female": 12, "male": 15, "prefer_not": 3})
    _report, table = _sex_table(representation.panel_members())
    # Known 27: female 12/27 = 44.4% (borough 60%), male 15/27 = 55.6% (borough 40%).
    # Score = min(44.4, 60) + min(55.6, 40) = 84.4% -> 0.84 (it was 0.40 when hidden cells counted as 0).
    assert round(table["score"], 2) == 0.84
    assert abs(table["score"] - (12 / 27 + 0.40)) < 1e-9
    rows = _rows(table)
    # "Not known" (3) is hidden; with male's 55.6% shown, known = 15 / 0.556 = 27 and 30 − 27 = 3,
    # so the percentages go and female is hidden too: only female + not known = 15 can be worked out.
    assert rows["unknown"]["suppressed"] and rows["unknown"]["primary"]
    assert rows["female"]["suppressed"] and not rows["female"]["primary"]
    assert rows["male"]["shown_count"] == 15 and table["total"] == 30
    assert table["pct_hidden"] and all(r["pct"] is None and r["ratio"] is None for r in table["rows"])
    # With the % hidden the score would give the 12 back (0.844 − 0.40 = 12/27), so it isn't shown,
    # nor is it in the overall score.
    tenure = tables_of(_report)["tenure"]
    assert table["score_shown"] is None and _report["score"] == tenure["score_shown"]


def test_one_small_census_count_and_one_small_unknown_hide_the_rest(db):
    representation.import_census(CENSUS)
    members("sex", {"female": 50, "male": 4, "prefer_not": 3})
    _report, table = _sex_table(representation.panel_members())
    rows = _rows(table)
    # Male 4 hidden -> female hidden too (else 50 / 92.6% = 54 known, 54 − 50 = 4); not known 3 hidden
    # -> no % may be shown (known would give 57 − 54 = 3). Every count is hidden; the total stays.
    assert all(rows[k]["suppressed"] for k in ("female", "male", "unknown"))
    assert [rows[k]["shown_count"] for k in ("female", "male", "unknown")] == [None, None, None]
    assert table["total"] == 57 and table["score"] is None
    assert all(r["pct"] is None for r in table["rows"])


def test_score_with_percentages_shown_counts_hidden_cells_as_one_block(db):
    representation.import_census("characteristic,group,count\ntenure,owned outright,50\n"
                                 "tenure,private rent,10\ntenure,Rent from a housing association,40\n")
    members("tenure", {"owned_outright": 40, "private_rent": 8, "social_ha": 1})
    table = tables_of(representation.report(representation.panel_members()))["tenure"]
    rows = _rows(table)
    assert rows["private_rent"]["primary"] and rows["social_ha"]["primary"] and not table["pct_hidden"]
    # Known 49. Owned 40/49 = 81.6% (borough 50%) -> 50. Hidden block: 9/49 = 18.4% against 10% + 40%
    # = 50% -> 18.4. Score 0.684: worked out from the shown 81.6% alone (100 − 81.6 = 18.4), so it
    # reveals nothing; group by group it would be 50 + min(16.3, 10) + min(2.0, 40) = 0.620.
    assert abs(table["score_shown"] - (0.50 + 9 / 49)) < 1e-9


def test_a_hidden_count_alone_among_zeros_hides_another(db):
    representation.import_census(CENSUS)
    members("tenure", {"private_rent": 5, "prefer_not": 20})
    table = tables_of(representation.report(representation.panel_members()))["tenure"]
    rows = _rows(table)
    # Private renters (5) are the only known tenure: 25 − 20 would give them away.
    assert rows["private_rent"]["suppressed"] and rows["unknown"]["suppressed"]
    assert rows["owned_outright"]["shown_count"] == 0 and table["pct_hidden"]


def test_fewer_respondents_than_the_threshold_hide_everything(officer_client):
    representation.import_census(CENSUS)
    db.session.commit()
    consultation = factories.consultation(status="open", title="Small consultation")
    for _ in range(5):
        response = Response(consultation_id=consultation.id)
        db.session.add(response)
        db.session.flush()
        db.session.add(AboutYou(response_id=response.id, consultation_id=consultation.id, tenure="private_rent"))
    db.session.commit()
    report = representation.report(representation.respondents(consultation.id))
    assert report["hidden"] and report["total"] is None and report["score"] is None
    for table in report["tables"]:
        # Zeros too: "0" beside every other tenure would say all 5 rent privately.
        assert table["total"] is None and all(r["shown_count"] is None for r in table["rows"])
    page = officer_client.get(f"/staff/panel/representation/consultations/{consultation.id}").get_data(as_text=True)
    assert "Fewer than 10 respondents answered" in page
    assert "5 respondents" not in page and ">5<" not in page


def _table(f, m, u):
    from collections import Counter
    return _rows(representation.table("sex", Counter({"female": f, "male": m, "unknown": u}),
                                      {"female": 60, "male": 40}, 10))


def test_hidden_counts_carry_no_tag_and_cannot_all_be_one():
    # Female 1 and male 2 hidden, 3 between them (15 − 12 shown): an "under-represented" tag on one
    # of them would say which is the 1.
    rows = _table(1, 2, 12)
    assert rows["female"]["suppressed"] and rows["male"]["suppressed"]
    assert not rows["female"]["under"] and not rows["male"]["under"] and rows["unknown"]["shown_count"] == 12
    # Female 1 and male 1: 14 − 12 = 2 between two hidden counts of at least 1 each gives both away,
    # so another count goes too.
    rows = _table(1, 1, 12)
    assert all(rows[k]["suppressed"] for k in ("female", "male", "unknown"))
