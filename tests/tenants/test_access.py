"""Who sees what: officers everything; Tenant Board members the results of launched surveys and
the review form, and nothing else under /staff; reviews are recorded with who and when."""
from app.tenants.models import TenantBoardReview
from tests import factories
from tests.actions import factories as af
from tests.conftest import login
from tests.tenants import helpers


def _client(app, role, **fields):
    client = app.test_client()
    user = factories.user(role=role, **fields)
    login(client, user)
    return client, user


def test_the_tenant_board_reads_launched_surveys_only(app, db):
    launched, draft = helpers.survey(status="closed"), helpers.survey(status="draft")
    board, _ = _client(app, "tenant_board")
    page = board.get("/staff/tenant-surveys/")
    assert page.status_code == 200
    assert f"/staff/tenant-surveys/{launched.id}\"" in page.get_data(as_text=True)
    assert f"/staff/tenant-surveys/{draft.id}\"" not in page.get_data(as_text=True)
    results = board.get(f"/staff/tenant-surveys/{launched.id}")
    assert results.status_code == 200 and "Tenant perception measures" in results.get_data(as_text=True)
    assert board.get(f"/staff/tenant-surveys/{draft.id}").status_code == 404
    assert board.get("/staff/tenant-surveys/99999").status_code == 404
    # Nothing else under /staff: consultations, themes, plans, staff home.
    for path in ("/staff/", f"/staff/consultations/{launched.consultation_id}", "/staff/themes",
                 "/staff/plans", "/staff/tenant-surveys/new"):
        assert board.get(path).status_code in (403, 404), path


def test_residents_and_councillors_are_refused(app, db):
    survey = helpers.survey(status="closed")
    for role in ("resident", "councillor"):
        other, _ = _client(app, role)
        assert other.get(f"/staff/tenant-surveys/{survey.id}").status_code == 403
        assert other.post(f"/staff/tenant-surveys/{survey.id}/review", data={}).status_code == 403
    assert app.test_client().get(f"/staff/tenant-surveys/{survey.id}").status_code == 302  # to sign in


def test_a_board_member_reviews_and_signs_off_the_plan(app, db):
    survey = helpers.survey(status="closed")
    plan = af.plan(title="Housing improvement plan", actions=2)
    board, member = _client(app, "tenant_board", name="Grace Okafor")
    form = board.get(f"/staff/tenant-surveys/{survey.id}/review")
    assert form.status_code == 200 and "Housing improvement plan" in form.get_data(as_text=True)

    empty = board.post(f"/staff/tenant-surveys/{survey.id}/review", data={"plan": "", "note": " "})
    assert empty.status_code == 400
    text = empty.get_data(as_text=True)
    assert "Choose the action plan you are reviewing" in text and "Enter your review" in text
    crafted = board.post(f"/staff/tenant-surveys/{survey.id}/review", data={"plan": "99999", "note": "Fine"})
    assert crafted.status_code == 400 and "Choose an action plan from the list" in crafted.get_data(as_text=True)
    assert TenantBoardReview.query.count() == 0

    saved = board.post(f"/staff/tenant-surveys/{survey.id}/review",
                       data={"plan": str(plan.id), "note": "Repairs answered; ASB not yet.", "signed_off": "y"})
    assert saved.status_code == 302
    review = TenantBoardReview.query.one()
    assert (review.reviewer_id, review.reviewer_name, review.plan_id, review.signed_off) == (
        member.id, "Grace Okafor", plan.id, True)
    assert review.created_at is not None
    page = board.get(f"/staff/tenant-surveys/{survey.id}").get_data(as_text=True)
    assert "Repairs answered; ASB not yet." in page and "Grace Okafor" in page


def test_officers_read_results_but_do_not_review(officer_client, db):
    survey = helpers.survey(status="closed")
    assert officer_client.get(f"/staff/tenant-surveys/{survey.id}").status_code == 200
    assert officer_client.post(f"/staff/tenant-surveys/{survey.id}/review",
                               data={"plan": "1", "note": "x"}).status_code == 403


def test_actions_linked_to_the_free_text_themes_are_the_plan_under_review(app, db):
    from app.consultations.models import Answer
    from app.tenants import services
    from app.themes.models import Theme

    survey = helpers.survey(status="closed")
    helpers.respond(survey, helpers.LANDLORDS[0], text="The lifts break every week.")
    question = survey.question_for("anything_else")
    theme = Theme(question=question, label="Broken lifts", size=1,
                  examples=[a.id for a in Answer.query.filter_by(question_id=question.id)], keywords=["lifts"])
    db.session.add(theme)
    db.session.commit()
    other = af.plan(title="A plan about parks", actions=1)
    housing = af.plan(title="Housing improvement plan", actions=2)
    af.link(theme, housing.actions[1])  # confirmed
    af.link(theme, other.actions[0], status="suggested")  # only confirmed links count
    assert services.linked_actions(survey) == [housing.actions[1]]
    assert [p.title for p in services.plans_for(survey)] == ["Housing improvement plan", "A plan about parks"]
    board, _ = _client(app, "tenant_board")
    for path in (f"/staff/tenant-surveys/{survey.id}", f"/staff/tenant-surveys/{survey.id}/review"):
        page = board.get(path).get_data(as_text=True)
        assert housing.actions[1].title in page and other.actions[0].title not in page
