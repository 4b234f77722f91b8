""""Linked" means an officer confirmed it; staff pages, public pages and the API agree.

A machine suggestion is "Suggested" and the theme stays "not covered by any council action"
until an officer confirms a link; a theme can be linked to several actions.
"""
import re

import pytest

from app.actions.models import ThemeResponse
from app.common.timeutil import utcnow
from app.extensions import db
from app.themes.models import ThemeActionLink, ThemeAnalysis
from tests.actions import factories as af


@pytest.fixture()
def setup(db):
    """A closed consultation with three themes (from a finished analysis) and a three-action plan:
    repairs has two machine suggestions, estates one, mould none."""
    plan = af.plan()
    consultation, themes = af.consultation_with_themes()
    question = consultation.questions[0]
    db.session.add(ThemeAnalysis(question_id=question.id, status="done", progress=100, comment_count=6,
                                 finished_at=utcnow(), theme_ids=[t.id for t in themes]))
    repairs, estates, _mould = themes
    actions = plan.actions
    af.link(repairs, actions[0], status="suggested", score=0.8)
    af.link(repairs, actions[1], status="suggested", score=0.6)
    af.link(estates, actions[2], status="suggested", score=0.5)
    return consultation, question, themes, actions


def _row(page: str, label: str) -> str:
    """The themes table row of the theme with this label."""
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", page, re.S):
        if f">{label}</a>" in row:
            return row
    raise AssertionError(f"no row for {label}")


def _publish_results(consultation):
    consultation.publish_results()
    db.session.commit()


def test_suggestions_alone_are_not_linked_and_count_as_not_covered(officer_client, setup):
    consultation, question, (repairs, estates, mould), actions = setup
    page = officer_client.get(f"/staff/themes/questions/{question.id}").get_data(as_text=True)
    assert "Linked" not in _row(page, "Slow repairs") and "Suggested" in _row(page, "Slow repairs")
    assert "Suggested" in _row(page, "Unsafe estates")
    assert "Not covered by any action" in _row(page, "Mould")
    assert "3 themes are not covered by any council action" in page
    assert "2 of them have suggested actions for you to confirm or reject" in page

    theme_page = officer_client.get(f"/staff/themes/{repairs.id}").get_data(as_text=True)
    assert "Not covered by any council action." in theme_page and "Check the suggested actions" in theme_page
    assert ">Suggested</strong>" in theme_page and ">Linked</strong>" not in theme_page

    # The public side shows nothing for a suggestion either.
    _publish_results(consultation)
    public = officer_client.get(f"/actions/{actions[0].id}").get_data(as_text=True)
    assert "Slow repairs" not in public and "No consultation themes have been linked" in public


def test_an_officer_confirms_several_actions_for_one_theme_and_every_page_agrees(officer_client, client, setup):
    consultation, question, (repairs, estates, mould), actions = setup
    first, second = sorted(repairs.action_links, key=lambda l: -l.score)
    for link in (first, second):
        response = officer_client.post(f"/staff/themes/{repairs.id}/links/{link.id}/confirm")
        assert response.status_code == 302
    db.session.expire_all()
    assert {l.status for l in db.session.get(type(repairs), repairs.id).action_links} == {"confirmed"}

    page = officer_client.get(f"/staff/themes/questions/{question.id}").get_data(as_text=True)
    assert "Linked" in _row(page, "Slow repairs")
    assert "2 themes are not covered by any council action" in page
    theme_page = officer_client.get(f"/staff/themes/{repairs.id}").get_data(as_text=True)
    assert "Not covered by any council action." not in theme_page
    assert theme_page.count(">Linked</strong>") == 2
    assert "Link this theme to another council action" in theme_page

    # Answering the theme in "You said, we did" starts from its first confirmed action.
    form = officer_client.get(f"/staff/you-said-we-did/{consultation.id}/responses/new?theme={repairs.id}")
    assert re.search(rf'<option value="{actions[0].id}" selected', form.get_data(as_text=True))

    _publish_results(consultation)
    for action in actions[:2]:
        assert "Slow repairs" in client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Unsafe estates" not in client.get(f"/actions/{actions[2].id}").get_data(as_text=True)
    themes = client.get(f"/api/v1/consultations/{consultation.id}/themes").get_json()["data"]
    by_label = {t["label"]: t for t in themes}
    assert [a["id"] for a in by_label["Slow repairs"]["actions"]] == [actions[0].id, actions[1].id]
    assert by_label["Unsafe estates"]["actions"] == [] and by_label["Mould"]["actions"] == []


def test_a_you_said_we_did_response_naming_an_action_confirms_the_link(officer, officer_client, client, setup):
    consultation, question, (repairs, estates, mould), actions = setup
    response = officer_client.post(f"/staff/you-said-we-did/{consultation.id}/responses/new", data={
        "themes": [mould.id], "kind": "we_are_doing", "text": "We survey every block for damp.",
        "action_id": str(actions[2].id)})
    assert response.status_code == 302
    db.session.expire_all()
    link = db.session.query(ThemeActionLink).filter_by(theme_id=mould.id, action_id=actions[2].id).one()
    assert (link.status, link.decided_by_id) == ("confirmed", officer.id)
    assert ThemeResponse.query.one().action_id == actions[2].id

    page = officer_client.get(f"/staff/themes/questions/{question.id}").get_data(as_text=True)
    assert "Linked" in _row(page, "Mould")
    _publish_results(consultation)
    assert "Mould" in client.get(f"/actions/{actions[2].id}").get_data(as_text=True)
