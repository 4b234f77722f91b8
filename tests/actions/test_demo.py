"""The demo loader: the Northbrook plan, and a published "You said, we did" built on fixture themes."""
from markupsafe import escape

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


def test_finish_confirms_good_links_falls_back_to_keywords_responds_to_every_theme_and_publishes(db, officer):
    demo.load(DATA_DIR)
    commit()
    repairs, damp, lifts, estates = (Action.query.filter_by(number=n).one() for n in ("2.1", "2.2", "2.3", "2.4"))
    consultation, themes = af.consultation_with_themes(
        title=demo.CLOSED_CONSULTATION,
        themes=(("Slow repairs", 3), ("Unsafe estates", 2), ("Mould", 1), ("Other things", 0), ("Misc", 0)))
    af.link(themes[0], repairs, status="suggested", score=0.6)
    af.link(themes[0], lifts, status="suggested", score=0.4)
    af.link(themes[1], lifts, status="suggested", score=0.05)  # too weak to confirm
    lines = demo.finish(DATA_DIR)
    commit()
    assert "Published" in lines[0]
    page = YouSaidWeDid.query.one()
    assert page.is_published and consultation.status == "published"
    best = ThemeActionLink.query.filter_by(theme_id=themes[0].id, action_id=repairs.id).one()
    assert best.status == "confirmed" and best.decided_by == officer
    # No good suggestion: linked by the words in the label ("unsafe", "mould").
    by_keyword = ThemeActionLink.query.filter_by(theme_id=themes[1].id, status="confirmed").one()
    assert by_keyword.action == estates and by_keyword.score is None and by_keyword.decided_by == officer
    assert ThemeActionLink.query.filter_by(theme_id=themes[2].id, status="confirmed").one().action == damp
    assert ThemeActionLink.query.filter_by(theme_id=themes[1].id, action_id=lifts.id).one().status == "suggested"
    assert ThemeActionLink.query.filter_by(status="confirmed").count() == 3
    kinds = {r.themes[0].label: (r.kind, r.action_id) for r in page.responses}
    assert kinds["Slow repairs"] == ("we_are_doing", repairs.id)
    assert kinds["Unsafe estates"] == ("we_are_doing", estates.id) and kinds["Mould"] == ("we_are_doing", damp.id)
    assert kinds["Other things"][0] == "we_did" and kinds["Misc"][0] == "we_cant"
    # Idempotent.
    assert "already published" in demo.finish(DATA_DIR)[0]
    assert ThemeResponse.query.count() == 5


def test_keywords_in_the_comments_link_a_vaguely_labelled_theme_but_not_a_rejected_link(db, officer):
    demo.load(DATA_DIR)
    commit()
    repairs, damp = (Action.query.filter_by(number=n).one() for n in ("2.1", "2.2"))
    _, themes = af.consultation_with_themes(title=demo.CLOSED_CONSULTATION,
                                            themes=(("Comments about this", 3), ("Mould", 1)))
    af.link(themes[1], damp, status="rejected", score=0.5)  # an officer said no: the demo must not override
    demo.finish(DATA_DIR)
    commit()
    # "Repairs take months", "broken", "repair appointment", "wait in all day"
    assert ThemeActionLink.query.filter_by(theme_id=themes[0].id, status="confirmed").one().action == repairs
    assert ThemeActionLink.query.filter_by(theme_id=themes[1].id).one().status == "rejected"


def test_when_nothing_matches_the_biggest_theme_is_still_linked(db, officer):
    demo.load(DATA_DIR)
    commit()
    _, themes = af.consultation_with_themes(title=demo.CLOSED_CONSULTATION, themes=(("Alpha", 0), ("Beta", 0)))
    demo.finish(DATA_DIR)
    commit()
    link = ThemeActionLink.query.filter_by(status="confirmed").one()
    assert link.theme == themes[0] and link.action.number == "2.1"
    assert YouSaidWeDid.query.one().is_published


def test_finish_without_the_consultation_or_themes(db, officer):
    assert "not published" in demo.finish(DATA_DIR)[0]
    af.consultation_with_themes(title=demo.CLOSED_CONSULTATION, themes=())
    assert "No themes yet" in demo.finish(DATA_DIR)[0]


def test_the_real_demo_has_confirmed_links_and_a_published_page(db, client):
    """The loaders `flask demo` runs, on the real demo data and the real theme engine."""
    from app.consultations import demo as consultations_demo
    from app.consultations.models import Consultation, Question
    from app.demo import loader
    from app.themes import demo as themes_demo
    from app.themes.models import Theme

    loader.load_base()
    commit()
    for module in (consultations_demo, demo, themes_demo):  # the order of app.demo.cli.DOMAINS
        module.load(DATA_DIR)
        commit()
    assert "Published" in demo.finish(DATA_DIR)[0]
    commit()
    consultation = Consultation.query.filter_by(title=demo.CLOSED_CONSULTATION).one()
    page = YouSaidWeDid.query.filter_by(consultation_id=consultation.id).one()
    assert page.is_published and consultation.status == "published"
    links = (ThemeActionLink.query.join(Theme).join(Question)
             .filter(Question.consultation_id == consultation.id, ThemeActionLink.status == "confirmed").all())
    assert links
    assert any(r.action_id for r in page.responses)
    assert client.get(f"/you-said-we-did/{consultation.id}").status_code == 200
    body = client.get(f"/actions/{links[0].action_id}").get_data(as_text=True)
    assert str(escape(links[0].theme.display_label)) in body and f'href="/you-said-we-did/{consultation.id}"' in body


def test_the_published_page_shows_all_three_kinds_of_answer(db, officer):
    demo.load(DATA_DIR)
    commit()
    _, themes = af.consultation_with_themes(
        title=demo.CLOSED_CONSULTATION,
        themes=(("Service charge", 3), ("Missed appointments", 2), ("Damp and mould", 1), ("Bins and rubbish", 1)))
    demo.finish(DATA_DIR)
    commit()
    page = YouSaidWeDid.query.one()
    kinds = {r.themes[0].label: r for r in page.responses}
    assert kinds["Service charge"].kind == "we_cant" and "Landlord and Tenant Act" in kinds["Service charge"].text
    assert kinds["Missed appointments"].kind == "we_did"
    assert kinds["Damp and mould"].kind == "we_are_doing"
    # No two themes get the same words.
    assert kinds["Bins and rubbish"].kind == "we_did" and "bin stores" in kinds["Bins and rubbish"].text
    assert len({r.text for r in page.responses}) == len(page.responses)
