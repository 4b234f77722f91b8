"""`flask demo --scale` at a tiny scale: the totals asked for, pages that work, and a clear refusal
the second time with nothing changed."""
from sqlalchemy import func, select

from app.actions.models import Action, ActionPlan
from app.consultations.models import AboutYou, Answer, Consultation, Response


def _counts(db):
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Consultation, Response, Answer, ActionPlan, Action, AboutYou)}


def test_demo_scale_reaches_the_totals_and_refuses_a_second_time(app, db, client):
    runner = app.test_cli_runner()
    # The ordinary demo has 12 consultations (Place Standard rounds, tenant surveys and the kinds,
    # map and parks examples among them) and about 1,000 responses: the scale tops both up.
    args = ["demo", "--scale", "--consultations", "18", "--responses", "2500", "--plans", "3"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Scaled demo" in result.output
    counts = _counts(db)
    assert counts["Consultation"] == 18 and counts["Response"] == 2500 and counts["ActionPlan"] == 3
    assert counts["Answer"] > 2500 and counts["AboutYou"] > 0
    first_plan = db.session.scalar(select(ActionPlan).order_by(ActionPlan.id))
    assert counts["Action"] == 3 * len(first_plan.actions)

    # Every response belongs to a consultation that takes responses, and every reference is unique.
    statuses = {c.status for c in db.session.scalars(
        select(Consultation).where(Consultation.id.in_(select(Response.consultation_id))))}
    assert statuses <= {"open", "closed", "published"}
    assert db.session.scalar(select(func.count(func.distinct(Response.reference)))) == 2500

    for path in ("/", "/consultations", "/progress", "/api/v1/consultations"):
        assert client.get(path).status_code == 200, path
    published = db.session.scalar(select(Consultation).where(Consultation.results_published_at.is_not(None))
                                  .where(Consultation.title.contains("(scaled demo")))
    assert client.get(f"/consultations/{published.id}/results").status_code == 200

    again = runner.invoke(args=args)
    assert again.exit_code != 0 and "already scaled" in again.output
    assert _counts(db) == counts
