"""Importing paper, email and event responses from a CSV file: check, preview, import, undo."""
import csv
import html as html_text
import io
import re
from datetime import timedelta

import pytest

from app.common.timeutil import to_london, utcnow
from app.consultations import csv_import
from app.consultations.models import (AboutYou, Answer, ConsultationEvent, Response, ResponseImport,
                                      ResponseImportDraft)
from app.extensions import db as _db
from tests import factories
from tests.consultations.conftest import response_count

HEADINGS = ["Channel", "Collected on", "How often do you visit a park?",
            "We should open parks later in the evening.", "What matters most?", "What one change would you make?"]
CAMPAIGN = "Save the Riverside bandstand, it is the heart of our park and community!"


def _today():
    return to_london(utcnow()).date()


def _csv(rows, headings=HEADINGS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _line(channel="Paper form", day=None, often="Every week", agree="4", matters="Toilets; Lighting",
          change="More benches"):
    return [channel, (day or _today()).strftime("%d/%m/%Y"), often, agree, matters, change]


def _upload(client, consultation, data: bytes, name="paper-forms.csv"):
    return client.post(f"/staff/consultations/{consultation.id}/imports",
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _confirm(client, consultation, preview):
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview.get_data(as_text=True)).group(1)
    return client.post(f"/staff/consultations/{consultation.id}/imports/confirm", data={"token": token})


def _problems(page) -> list[tuple[str, str, str]]:
    """(line, column, problem) rows of the problems table."""
    html = page.get_data(as_text=True)
    table = html.split('id="import-problems"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr class=\"govuk-table__row\">\s*(.*?)</tr>", table.split("<tbody", 1)[1], re.S)
    cells = (re.findall(r"<td[^>]*>(.*?)</td>", r, re.S) for r in rows)
    return [tuple(html_text.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in row) for row in cells]


@pytest.fixture()
def consultation(db):
    return factories.consultation(status="open", title="Parks for everyone")


def test_good_file_previews_then_imports_in_one_batch(officer_client, officer, consultation):
    data = _csv([_line(), _line(channel="event", often="every day", agree="Strongly agree", matters="",
                                change="Open the toilets"),
                 _line(channel="Phone", often="", agree="", matters="Play areas", change="")])
    preview = _upload(officer_client, consultation, data)
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200, body
    assert "Check the file before importing" in body and "Import 3 responses" in body
    assert response_count(consultation) == 0 and ResponseImport.query.count() == 0  # nothing saved yet
    done = _confirm(officer_client, consultation, preview)
    assert done.status_code == 302
    batch = ResponseImport.query.one()
    assert (batch.row_count, batch.file_name, batch.created_by_name) == (3, "paper-forms.csv", officer.name)
    assert batch.channel_counts == {"paper": 1, "event": 1, "phone": 1}
    saved = batch.responses.order_by(Response.id).all()
    assert [r.channel for r in saved] == ["paper", "event", "phone"]
    assert all(r.collected_on == _today() and r.entered_by_id == officer.id for r in saved)
    q = consultation.questions
    first = {(a.question_id, a.option_id, a.scale_value, a.text) for a in saved[0].answers}
    assert first == {(q[0].id, q[0].options[1].id, None, None), (q[1].id, None, 4, None),
                     (q[2].id, q[2].options[0].id, None, None), (q[2].id, q[2].options[1].id, None, None),
                     (q[3].id, None, None, "More benches")}
    assert {(a.question_id, a.option_id, a.scale_value) for a in saved[1].answers} >= {
        (q[0].id, q[0].options[0].id, None), (q[1].id, None, 5)}
    assert len(saved[2].answers) == 1  # incomplete, as paper forms are: required questions may be empty
    event = ConsultationEvent.query.filter_by(action="responses_imported").one()
    assert "3 responses from paper-forms.csv" in event.detail and event.actor_name == officer.name
    page = officer_client.get(f"/staff/consultations/{consultation.id}/imports").get_data(as_text=True)
    assert "paper-forms.csv" in page and "Undo" in page


def test_the_exported_file_layout_imports_and_a_reference_already_saved_is_refused(officer_client, consultation):
    officer_client.post(f"/staff/consultations/{consultation.id}/responses/new", data={
        "channel": "paper", "collected_on-day": _today().day, "collected_on-month": _today().month,
        "collected_on-year": _today().year, consultation.questions[3].field_name: "=1+2 formula looking"})
    export = officer_client.get(f"/staff/consultations/{consultation.id}/responses.csv").get_data(as_text=True)
    assert "'=1+2 formula looking" in export  # the export escapes it
    refused = _upload(officer_client, consultation, export.encode("utf-8"))
    assert refused.status_code == 400
    assert any(column == "Reference" and "already saved" in message for _l, column, message in _problems(refused))
    # Without the reference (a new paper response typed into the export's layout) it imports,
    # and the apostrophe the export added is taken off again.
    rows = list(csv.reader(io.StringIO(export.lstrip("\ufeff"))))
    rows[1][0] = ""
    fresh = io.StringIO()
    csv.writer(fresh).writerows(rows)
    preview = _upload(officer_client, consultation, fresh.getvalue().encode("utf-8-sig"))
    assert preview.status_code == 200, _problems(preview)
    assert _confirm(officer_client, consultation, preview).status_code == 302
    assert Answer.query.filter_by(text="=1+2 formula looking").count() == 2


@pytest.mark.parametrize("cells, column, message", [
    ({"often": "Weekly"}, "How often do you visit a park?", "“Weekly” is not one of the options"),
    ({"matters": "Toilets; Benches"}, "What matters most?", "“Benches” is not one of the options"),
    ({"agree": "7"}, "We should open parks later in the evening.", "is not on the scale"),
    ({"channel": "Carrier pigeon"}, "Channel", "is not a way of collecting responses"),
    ({"channel": "Online"}, "Channel", "Online responses can't be imported"),
    ({"channel": ""}, "Channel", "Enter how the response was collected"),
    ({"day": "31/02/2026"}, "Collected on", "“31/02/2026” is not a date"),
    ({"day": ""}, "Collected on", "Enter the date the response was collected"),
    ({"day": "tomorrow"}, "Collected on", "is not a date"),
    ({"change": "x" * 5001}, "What one change would you make?", "longer than 5,000 characters"),
    ({"often": "", "agree": "", "matters": "", "change": ""}, "Whole line", "This line has no answers"),
])
def test_every_kind_of_bad_cell_is_reported_by_line_and_column_and_nothing_is_saved(
        officer_client, consultation, cells, column, message):
    values = dict(channel="Paper form", day=_today().strftime("%d/%m/%Y"), often="Every week", agree="4",
                  matters="Toilets", change="More benches")
    values.update(cells)
    bad = [values["channel"], values["day"], values["often"], values["agree"], values["matters"], values["change"]]
    page = _upload(officer_client, consultation, _csv([_line(), bad, _line()]))
    assert page.status_code == 400
    body = page.get_data(as_text=True)
    assert "There is a problem" in body and "Nothing has been imported" in body
    problems = _problems(page)
    assert len(problems) == 1, problems
    line, where, text = problems[0]
    assert (line, where) == ("3", column) and message in text
    assert response_count(consultation) == 0 and ResponseImportDraft.query.count() == 0


def test_cells_quoted_back_are_escaped_and_cut_short(officer_client, consultation):
    typed = "<script>alert(1)</script>" + "x" * 100
    page = _upload(officer_client, consultation, _csv([_line(often=typed)]))
    body = page.get_data(as_text=True)
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "x" * 100 not in body and _problems(page)[0][2].startswith("“<script>alert(1)</script>xxx")


def test_dates_after_closing_or_before_opening_are_refused(officer_client):
    closed = factories.consultation(status="closed")
    closes_on = to_london(closed.closes_at).date()
    opens_on = to_london(closed.opens_at).date()
    page = _upload(officer_client, closed, _csv([_line(day=closes_on), _line(day=closes_on + timedelta(days=1)),
                                                 _line(day=opens_on - timedelta(days=1))]))
    assert page.status_code == 400
    assert [(line, message.split(",")[0]) for line, _c, message in _problems(page)] == [
        ("3", "Date collected must be on or before the closing date"),
        ("4", "Date collected must be on or after the opening date")]


def test_heading_problems(officer_client, consultation):
    page = _upload(officer_client, consultation, _csv([_line() + ["stray"]], HEADINGS[:-1] + ["What 1 change?", ""]))
    problems = _problems(page)
    assert ("1", "What 1 change?") == problems[0][:2] and "not the wording of a question" in problems[0][2]
    assert problems[1][:2] == ("2", "Column 7") and "no heading" in problems[1][2]
    missing = _upload(officer_client, consultation, _csv([["Every week"]], ["How often do you visit a park?"]))
    assert {c for _l, c, _m in _problems(missing)} == {"Channel", "Collected on"}


@pytest.mark.parametrize("data, message", [
    (b"", "The selected file is empty"),
    (b"   \r\n", "The selected file is empty"),
    ("Channel,Collected on\nPaper form,1/1/2026,Caf\xe9\n".encode("cp1252"),
     "must be saved as UTF-8, and line 2 is not"),
    ("Channel".encode("utf-16"), "must be a CSV file"),
    (b"PK\x03\x04\x14\x00\x06\x00rest of a workbook", "is an Excel workbook, not a CSV file"),
    (b"Dear council,\nI would like more benches.\n", "first line of the file must be the column headings"),
    (b"x" * (csv_import.MAX_BYTES + 1), "The file must be smaller than 1.5 MB"),
])
def test_files_that_are_not_a_utf8_csv_get_a_clear_message(officer_client, consultation, data, message):
    page = _upload(officer_client, consultation, data)
    assert page.status_code == 400
    assert message in page.get_data(as_text=True)
    assert response_count(consultation) == 0


def test_no_file_chosen(officer_client, consultation):
    page = officer_client.post(f"/staff/consultations/{consultation.id}/imports", data={},
                               content_type="multipart/form-data")
    assert page.status_code == 400 and "Select a CSV file of responses" in page.get_data(as_text=True)


def test_a_heading_row_alone_and_too_many_rows(officer_client, consultation, monkeypatch):
    assert "heading row but no responses" in _upload(officer_client, consultation, _csv([])).get_data(as_text=True)
    monkeypatch.setattr(csv_import, "MAX_ROWS", 3)
    page = _upload(officer_client, consultation, _csv([_line()] * 4))
    assert page.status_code == 400 and "more than 3 responses" in page.get_data(as_text=True)


def test_utf8_with_a_bom_and_accents_imports(officer_client, consultation):
    data = _csv([_line(change="Café by the lake, s’il vous plaît")]).decode().encode("utf-8-sig")
    preview = _upload(officer_client, consultation, data)
    assert preview.status_code == 200
    _confirm(officer_client, consultation, preview)
    assert Answer.query.filter_by(text="Café by the lake, s’il vous plaît").count() == 1


def test_campaign_copies_are_counted_imported_and_grouped_like_repeated_comments(officer_client, consultation):
    factories_response = Response(consultation_id=consultation.id, channel="online")
    factories_response.answers = [Answer(question_id=consultation.questions[3].id, text=CAMPAIGN.upper())]
    _db.session.add(factories_response)
    _db.session.commit()
    rows = [_line(change=CAMPAIGN)] * 22 + [_line(change="save the riverside bandstand - it is the heart of our "
                                                         "park and community")] + [_line(change="No")] * 3
    preview = _upload(officer_client, consultation, _csv(rows))
    body = preview.get_data(as_text=True)
    assert "23 lines are copies of the same campaign text" in body  # "No" three times is not a campaign
    assert _confirm(officer_client, consultation, preview).status_code == 302
    assert response_count(consultation) == 27  # they are real responses
    from nlp.dedup import DuplicateGrouper  # what the themes' repeated comments are made from
    texts = [a.text for a in Answer.query.filter_by(question_id=consultation.questions[3].id).order_by(Answer.id)]
    groups = DuplicateGrouper(threshold=None).fit(texts).groups_
    assert sorted(len(g) for g in groups) == [3, 24]


def test_confirm_checks_the_file_again_and_a_second_click_imports_nothing(officer_client, consultation):
    preview = _upload(officer_client, consultation, _csv([_line(), _line()]))
    consultation.questions[0].options[1].label = "Weekly"  # reworded since the file was checked
    _db.session.commit()
    refused = _confirm(officer_client, consultation, preview)
    assert refused.status_code == 400 and len(_problems(refused)) == 2
    assert response_count(consultation) == 0 and ResponseImport.query.count() == 0
    consultation.questions[0].options[1].label = "Every week"
    _db.session.commit()
    preview = _upload(officer_client, consultation, _csv([_line(), _line()]))
    assert _confirm(officer_client, consultation, preview).status_code == 302
    again = _confirm(officer_client, consultation, preview)
    assert again.status_code == 409 and "imported already" in again.get_data(as_text=True)
    assert response_count(consultation) == 2


def test_a_failure_while_saving_leaves_nothing_half_saved(officer_client, consultation, monkeypatch):
    from app.consultations import imports

    preview = _upload(officer_client, consultation, _csv([_line(), _line()]))

    def broken_history(*args, **kwargs):
        raise RuntimeError("the database went away")
    monkeypatch.setattr(imports, "record_history", broken_history)
    officer_client.application.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        assert _confirm(officer_client, consultation, preview).status_code == 500
    finally:
        officer_client.application.config["PROPAGATE_EXCEPTIONS"] = None
    _db.session.rollback()
    assert response_count(consultation) == 0 and ResponseImport.query.count() == 0 and Answer.query.count() == 0


def test_undo_deletes_the_imports_responses_answers_and_about_you_and_is_in_history(officer_client, officer,
                                                                                     consultation):
    _confirm(officer_client, consultation, _upload(officer_client, consultation, _csv([_line(), _line()])))
    other = Response(consultation_id=consultation.id, channel="online")
    other.answers = [Answer(question_id=consultation.questions[3].id, text="Kept")]
    _db.session.add(other)
    _db.session.commit()
    batch = ResponseImport.query.one()
    imported = [r.id for r in batch.responses]
    _db.session.add(AboutYou(response_id=imported[0], consultation_id=consultation.id, age_band="25-34"))
    _db.session.commit()
    url = f"/staff/consultations/{consultation.id}/imports/{batch.id}/undo"
    asked = officer_client.get(url).get_data(as_text=True)
    assert "This will delete the 2 responses" in asked
    assert officer_client.post(url).status_code == 302
    _db.session.expire_all()
    assert Response.query.filter(Response.id.in_(imported)).count() == 0
    assert Answer.query.filter(Answer.response_id.in_(imported)).count() == 0
    assert AboutYou.for_response(imported[0]) is None
    assert response_count(consultation) == 1  # the online response is untouched
    assert batch.undone_at is not None and batch.undone_by_name == officer.name
    event = ConsultationEvent.query.filter_by(action="import_undone").one()
    assert "2 responses from paper-forms.csv deleted" in event.detail
    assert officer_client.post(url).status_code == 409  # once only
    page = officer_client.get(f"/staff/consultations/{consultation.id}").get_data(as_text=True)
    assert "Import undone" in page and "Responses imported from a CSV file" in page


def test_no_undo_once_results_are_published(officer_client, consultation):
    _confirm(officer_client, consultation, _upload(officer_client, consultation, _csv([_line()])))
    consultation.closes_at = utcnow() - timedelta(minutes=1)
    consultation.results_published_at = utcnow()
    _db.session.commit()
    batch = ResponseImport.query.one()
    assert officer_client.post(f"/staff/consultations/{consultation.id}/imports/{batch.id}/undo").status_code == 409
    assert response_count(consultation) == 1


def test_drafts_and_published_consultations_take_no_imports(officer_client):
    for status in ("draft", "published"):
        c = factories.consultation(status=status)
        page = _upload(officer_client, c, _csv([_line()]))
        assert page.status_code == 409 and response_count(c) == 0


def test_councillors_and_residents_are_refused(client, consultation):
    from tests.conftest import login

    councillor = factories.user(role="councillor")
    login(client, councillor)
    base = f"/staff/consultations/{consultation.id}/imports"
    assert client.get(base).status_code == 403
    assert client.get(base + "/template.csv").status_code == 403
    assert _upload(client, consultation, _csv([_line()])).status_code == 403
    assert response_count(consultation) == 0


def test_the_template_has_the_headings(officer_client, consultation):
    text = officer_client.get(f"/staff/consultations/{consultation.id}/imports/template.csv").get_data(as_text=True)
    assert next(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == HEADINGS
    staff_page = officer_client.get(f"/staff/consultations/{consultation.id}").get_data(as_text=True)
    assert "Import responses from a CSV file" in staff_page


@pytest.mark.parametrize("text, expected", [("27/03/2026", (2026, 3, 27)), ("2026-03-27", (2026, 3, 27)),
                                            ("27 March 2026", (2026, 3, 27)), ("3 Sept 2026", (2026, 9, 3)),
                                            ("27/3/26", None), ("03/27/2026", None), ("32 March 2026", None)])
def test_dates_are_read_day_first(text, expected):
    found = csv_import.parse_date(text)
    assert (found.year, found.month, found.day) == expected if expected else found is None


def test_the_demo_has_a_bulk_import_with_campaign_copies(db):
    from app.consultations import demo, demo_import
    from app.demo import loader

    loader.load_base()
    demo.load(loader.DATA_DIR)
    _db.session.commit()
    lines = demo.finish(loader.DATA_DIR)
    _db.session.commit()
    assert lines and "Imported 10 paper and event responses" in lines[0] and "(6 campaign copies)" in lines[0]
    batch = ResponseImport.query.one()
    assert batch.channel_counts == {"paper": 6, "event": 3, "phone": 1}
    assert demo.finish(loader.DATA_DIR) == [] and ResponseImport.query.count() == 1
    assert ConsultationEvent.query.filter_by(action="responses_imported").count() == 1
    assert demo_import.FILE_NAME == batch.file_name
