"""The demo loader: the Northbrook plan, and a published "You said, we did" built on fixture themes."""
from app.actions import demo
from app.actions.models import Action, ActionPlan, Milestone, ProgressUpdate, ThemeResponse, YouSaidWeDid
from app.common.transaction import commit
from app.demo.loader import DATA_DIR
from app.themes.models import ThemeActionLink
from tests import factories
from tests.actions import factories as af


def test_load_imports_the_plan_once(db):
    okafor = factories.user(role="councillor", name="David Okafor")
    lines = demo.load(DATA_DIR)
    commit()
    assert "14 actions" in lines[0]
    assert demo.load(DATA_DIR)[0].startswith("Action plan already loaded")
    assert ActionPlan.query.count() == 1 and Action.query.count() == 14
    first = Action.query.filter_by(number="1.1").one()
    assert first.portfolio_holder == okafor and first.status == "on_track" and len(first.milestones) == 3
    cant = Action.query.filter_by(number="3.2").one()
    assert cant.status == "cant_proceed" and "Planning permission was refused" in cant.status_reason
    assert ProgressUpdate.query.count() > 14 and Milestone.query.filter(Milestone.completed_on.is_(None)).count() > 0


def test_finish_confirms_good_links_responds_to_every_theme_and_publishes(db, officer):
    demo.load(DATA_DIR)
    commit()
    repairs = Action.query.filter_by(number="2.1").one()
    lifts = Action.query.filter_by(number="2.3").one()
    consultation, themes = af.consultation_with_themes(
        title=demo.CLOSED_CONSULTATION, themes=(("Slow repairs", 3), ("Unsafe estates", 2), ("Mould", 1)))
    af.link(themes[0], repairs, status="suggested", score=0.6)
    af.link(themes[0], lifts, status="suggested", score=0.4)
    af.link(themes[1], lifts, status="suggested", score=0.05)  # too weak to confirm
    lines = demo.finish(DATA_DIR)
    commit()
    assert "Published" in lines[0]
    page = YouSaidWeDid.query.one()
    assert page.is_published and consultation.status == "published"
    best = ThemeActionLink.query.filter_by(theme_id=themes[0].id, action_id=repairs.id).one()
    assert best.status == "confirmed"
    assert ThemeActionLink.query.filter_by(status="confirmed").count() == 1
    kinds = {r.themes[0].label: (r.kind, r.action_id) for r in page.responses}
    assert kinds["Slow repairs"] == ("we_are_doing", repairs.id)
    assert kinds["Unsafe estates"][0] == "we_did" and kinds["Mould"][0] == "we_cant"
    # Idempotent.
    assert "already published" in demo.finish(DATA_DIR)[0]
    assert ThemeResponse.query.count() == 3


def test_finish_without_the_consultation_or_themes(db, officer):
    assert "not published" in demo.finish(DATA_DIR)[0]
    af.consultation_with_themes(title=demo.CLOSED_CONSULTATION, themes=())
    assert "No themes yet" in demo.finish(DATA_DIR)[0]
