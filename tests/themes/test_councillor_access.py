"""Councillors read (never edit) results and themes of consultations of their ward or the whole
borough; other wards' consultations are refused."""
import pytest

from app.common.auth import can_edit_consultation, can_read_consultation
from app.themes.models import Theme, ThemeActionLink, ThemeAnalysis
from tests import factories
from tests.actions import factories as af
from tests.conftest import login


def _ward_consultation(ward, title):
    consultation, themes = af.consultation_with_themes(status="closed", title=title, borough_wide=False)
    consultation.wards.append(ward)
    from app.extensions import db

    db.session.add(ThemeAnalysis(question_id=consultation.questions[0].id, status="done"))
    db.session.commit()
    return consultation, themes


@pytest.fixture()
def wards(db):
    return factories.ward("Hollybush"), factories.ward("Canalside")


@pytest.fixture()
def councillor_client(client, wards):
    login(client, factories.user(role="councillor", ward_id=wards[0].id))
    return client


def _read_urls(consultation, theme):
    question = consultation.questions[0]
    analysis = ThemeAnalysis.query.filter_by(question_id=question.id).first()
    return [f"/staff/consultations/{consultation.id}/results",
            f"/staff/consultations/{consultation.id}/results/breakdown",
            f"/staff/consultations/{consultation.id}/about-you.csv",
            f"/staff/consultations/{consultation.id}/themes",
            f"/staff/themes/questions/{question.id}",
            f"/staff/themes/questions/{question.id}/themes.csv",
            f"/staff/themes/analyses/{analysis.id}",
            f"/staff/themes/{theme.id}",
            f"/staff/themes/{theme.id}/who"]


def test_own_ward_consultation_can_be_read_without_edit_buttons(councillor_client, wards):
    consultation, themes = _ward_consultation(wards[0], "Hollybush play area")
    for url in _read_urls(consultation, themes[0]):
        assert councillor_client.get(url).status_code in (200, 302), url
    theme_page = councillor_client.get(f"/staff/themes/{themes[0].id}").get_data(as_text=True)
    assert themes[0].display_label in theme_page
    assert "Rename this theme" not in theme_page and "Mark as not relevant" not in theme_page
    assert "/links" not in theme_page and "/move" not in theme_page
    question_page = councillor_client.get(f"/staff/themes/questions/{consultation.questions[0].id}").get_data(as_text=True)
    assert "Merge themes" not in question_page and "/run" not in question_page
    results = councillor_client.get(f"/staff/consultations/{consultation.id}/results").get_data(as_text=True)
    assert "responses.csv" not in results and "See the themes" in results
    listing = councillor_client.get("/staff/consultations").get_data(as_text=True)
    assert "Hollybush play area" in listing and "Create a consultation" not in listing


def test_own_ward_consultation_cannot_be_edited(councillor_client, wards, db):
    consultation, themes = _ward_consultation(wards[0], "Hollybush play area")
    question, theme = consultation.questions[0], themes[0]
    action = af.plan(actions=1).actions[0]
    link = ThemeActionLink(theme=theme, action=action, status="suggested", score=0.4)
    db.session.add(link)
    db.session.commit()
    posts = [f"/staff/themes/{theme.id}/rename", f"/staff/themes/{theme.id}/relevance",
             f"/staff/themes/{theme.id}/links", f"/staff/themes/{theme.id}/links/{link.id}/confirm",
             f"/staff/themes/questions/{question.id}/run", f"/staff/themes/questions/{question.id}/merge",
             f"/staff/themes/questions/{question.id}/suggest-links",
             f"/staff/consultations/{consultation.id}/publish", f"/staff/consultations/{consultation.id}/edit"]
    for url in posts:
        assert councillor_client.post(url, data={"label": "Renamed", "relevance": "not_relevant",
                                                 "action": str(action.id)}).status_code == 403, url
    for url in (f"/staff/themes/{theme.id}/rename", f"/staff/themes/{theme.id}/split",
                f"/staff/themes/questions/{question.id}/merge",
                f"/staff/consultations/{consultation.id}/results/questions/{question.id}",  # raw comments
                f"/staff/consultations/{consultation.id}/responses.csv",
                f"/staff/consultations/{consultation.id}"):
        assert councillor_client.get(url).status_code == 403, url
    db.session.expire_all()
    assert db.session.get(Theme, theme.id).officer_label is None and not db.session.get(Theme, theme.id).not_relevant
    assert db.session.get(ThemeActionLink, link.id).status == "suggested"


def test_other_wards_consultations_are_refused(councillor_client, wards):
    consultation, themes = _ward_consultation(wards[1], "Canalside moorings")
    for url in _read_urls(consultation, themes[0]):
        assert councillor_client.get(url).status_code == 403, url
    assert "Canalside moorings" not in councillor_client.get("/staff/consultations").get_data(as_text=True)
    assert "Canalside moorings" not in councillor_client.get("/staff/themes").get_data(as_text=True)
    assert councillor_client.get("/staff/themes/999999").status_code == 404


def test_borough_wide_consultations_can_be_read(councillor_client, db):
    consultation, themes = af.consultation_with_themes(status="closed", title="Borough budget", borough_wide=True)
    db.session.add(ThemeAnalysis(question_id=consultation.questions[0].id, status="done"))
    db.session.commit()
    for url in _read_urls(consultation, themes[0]):
        assert councillor_client.get(url).status_code in (200, 302), url
    assert "Borough budget" in councillor_client.get("/staff/themes").get_data(as_text=True)


def test_drafts_stay_with_officers(councillor_client, db):
    draft = factories.consultation(status="draft", title="Not launched yet")
    assert councillor_client.get(f"/staff/consultations/{draft.id}/results").status_code == 403


def test_the_rule_itself(db, wards):
    mine, other = wards
    councillor = factories.user(role="councillor", ward_id=mine.id)
    no_ward = factories.user(role="councillor")
    officer, resident = factories.user(role="officer"), factories.user(role="resident")
    ward_one = factories.consultation(status="open", borough_wide=False)
    ward_one.wards.append(mine)
    borough = factories.consultation(status="open")
    assert can_read_consultation(councillor, ward_one) and can_read_consultation(councillor, borough)
    assert not can_read_consultation(no_ward, ward_one) and can_read_consultation(no_ward, borough)
    assert can_read_consultation(officer, ward_one) and not can_read_consultation(resident, borough)
    assert not can_edit_consultation(councillor) and can_edit_consultation(officer)


def test_no_page_a_councillor_reads_links_to_a_page_they_may_not_open(councillor_client, wards):
    """The report's back link once led councillors to the officers' overview (403). Every /staff
    link on every page they can read must open for them."""
    import re

    consultation, themes = _ward_consultation(wards[0], "Hollybush play area")
    pages = _read_urls(consultation, themes[0]) + [f"/staff/consultations/{consultation.id}/report"]
    seen = {}
    for url in pages:
        reply = councillor_client.get(url)
        if reply.status_code != 200 or not reply.mimetype == "text/html":
            continue
        for link in set(re.findall(r'href="(/staff[^"#?]*)', reply.get_data(as_text=True))):
            if link not in seen:
                seen[link] = (councillor_client.get(link).status_code, url)
    refused = {link: where for link, (status, where) in seen.items() if status == 403}
    assert not refused, refused
    assert f"/staff/consultations/{consultation.id}/results" in seen
