"""Equality data can't be linked to a person from the database alone (issue 14, finding 7).

"About you" answers and the panel's equality answers are stored under a keyed hash of the
response or member id; only the application, holding EQUALITY_KEY, can match them. The aggregate
reports still work, and erasure still erases.
"""
import hashlib
import os
import tempfile
from collections import Counter

import pytest
import sqlalchemy as sa

from app import create_app
from app.common.pseudonym import pseudonym
from app.consultations import results
from app.consultations.models import AboutYou, Answer, Consultation, Response
from app.extensions import db as _db
from app.panel import representation
from app.panel.models import PanelEquality, PanelMember
from config import ProductionConfig
from tests import factories
from tests.conftest import Settings
from tests.consultations.conftest import answers_for
from tests.panel.conftest import member

EQUALITY_COLUMNS = {"sex", "ethnic_group", "disability", "tenure"}
PERSON_TABLES = {"responses", "users", "panel_members"}


def test_no_table_holds_equality_answers_beside_a_person_or_a_link_to_one(db):
    inspector = sa.inspect(db.engine)
    holding = [t for t in inspector.get_table_names()
               if EQUALITY_COLUMNS & {c["name"] for c in inspector.get_columns(t)}]
    assert sorted(holding) == ["about_you", "deliberation_about_you", "panel_equality", "tracker_about_you"]
    for table in holding:
        columns = {c["name"] for c in inspector.get_columns(table)}
        assert not columns & {"id", "response_id", "user_id", "member_id", "email", "name", "contact_email"}, table
        targets = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
        assert not targets & PERSON_TABLES, (table, targets)


def test_a_dump_has_nothing_to_join_on_but_the_app_finds_its_own_rows(client, db):
    consultation = factories.consultation(status="open")
    client.post(f"/consultations/{consultation.id}/respond",
                data=answers_for(consultation, about_ethnic_group="black_caribbean", about_disability="disabled",
                                 keep_informed="y", contact_email="kim@example.org"))
    response = Response.query.one()
    (key, ethnic_group) = db.session.execute(sa.text("SELECT respondent_key, ethnic_group FROM about_you")).one()
    assert ethnic_group == "black_caribbean"
    # Not the id, nor an unkeyed hash of it, nor the key under the published development secret.
    plain = str(response.id).encode()
    assert key not in {str(response.id), hashlib.sha256(plain).hexdigest(), hashlib.md5(plain).hexdigest(),
                       pseudonym("response", response.id, key="dev-only-equality-key")}
    assert AboutYou.for_response(response.id).ethnic_group == "black_caribbean"


def _respond(consultation, option, about):
    single = consultation.questions[0]
    response = Response(consultation=consultation, answers=[
        Answer(question_id=single.id, option_id=single.options[option].id)])
    db_session = _db.session
    db_session.add(response)
    db_session.flush()
    if about:
        db_session.add(AboutYou(response_id=response.id, consultation_id=consultation.id, **about))


def test_breakdowns_match_a_count_made_by_hand(db):
    consultation = factories.consultation(status="closed")
    people = ([(0, {"sex": "female"})] * 12 + [(0, {"sex": "male"})] * 11 + [(1, {"sex": "female"})] * 10
              + [(1, None)] * 10 + [(2, {"sex": "prefer_not"})] * 10)
    for option, about in people:
        _respond(consultation, option, about)
    db.session.commit()
    table = results.breakdown(consultation.questions[0], "sex", threshold=1)
    expected = Counter((option, (about or {}).get("sex", "none")) for option, about in people)
    order = ["female", "male", "prefer_not", "none"]
    assert [counts for _label, counts in table.rows] == [
        [expected[(option, sex)] for sex in order] for option in range(3)]


def test_panel_report_and_draw_pool_read_the_separated_answers(db):
    for sex, n in (("female", 3), ("male", 2)):
        for _ in range(n):
            member(sex=sex, tenure="private_rent")
    db.session.expire_all()
    members = representation.panel_members()
    assert Counter(m.sex for m in members) == {"female": 3, "male": 2}
    assert PanelEquality.query.count() == 5
    from app.panel import draws
    assert Counter(draws._candidate(m, {}).groups["sex"] for m in draws.pool()) == {"female": 3, "male": 2}


def test_erasure_takes_the_equality_answers_too(db, client):
    consultation = factories.consultation(status="open")
    for about in ({"sex": "male"}, {"tenure": "rent_free"}):
        _respond(consultation, 0, about)
    db.session.commit()
    first = Response.query.order_by(Response.id).first()
    db.session.delete(first)
    db.session.commit()
    assert AboutYou.query.count() == 1 and AboutYou.for_response(first.id) is None
    db.session.delete(db.session.get(Consultation, consultation.id))
    db.session.commit()
    assert AboutYou.query.count() == 0

    person, other = member(sex="female"), member(sex="male")
    person.set_equality(False, {})  # consent withdrawn
    db.session.commit()
    assert PanelEquality.query.count() == 1
    db.session.delete(other)
    db.session.commit()
    assert PanelEquality.query.count() == 0 and db.session.get(PanelMember, person.id).sex is None


def test_production_needs_its_own_equality_key(monkeypatch):
    class Production(ProductionConfig):
        SECRET_KEY = "a-real-secret-key"
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        EQUALITY_KEY = None
    with pytest.raises(RuntimeError, match="EQUALITY_KEY"):
        create_app(Production)
    Production.EQUALITY_KEY = "a-real-secret-key"
    with pytest.raises(RuntimeError, match="EQUALITY_KEY"):
        create_app(Production)


def test_migration_moves_existing_answers_under_the_pseudonym():
    from alembic.script import ScriptDirectory
    from flask_migrate import downgrade, upgrade

    path = os.path.join(tempfile.mkdtemp(prefix="privacy-migration-"), "m.sqlite3")

    class Fresh(Settings):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"

    app = create_app(Fresh)
    with app.app_context():
        migrate_config = app.extensions["migrate"].migrate.get_config()
        before = ScriptDirectory.from_config(migrate_config).get_revision("0014_privacy").down_revision
        upgrade(revision=before)
        with _db.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO consultations (id, title, summary, body, borough_wide, audience_tags, opens_at, closes_at,"
                " created_at, updated_at) VALUES (1, 't', '', '', 1, '[]', '2026-01-01', '2026-02-01', '2026-01-01',"
                " '2026-01-01')"))
            conn.execute(sa.text("INSERT INTO responses (id, consultation_id, reference, channel, keep_informed,"
                                 " submitted_at) VALUES (7, 1, 'ABCD-EFGH', 'online', 0, '2026-01-02')"))
            conn.execute(sa.text("INSERT INTO about_you (id, response_id, consultation_id, sex, disability)"
                                 " VALUES (1, 7, 1, 'female', 'disabled')"))
            conn.execute(sa.text(
                "INSERT INTO panel_members (id, name, email, postcode, age_band, contact_method, access_needs,"
                " panel_consent_at, equality_consent, sex, ethnic_group, status, created_at) VALUES (3, 'A', 'a@x.org',"
                " 'NB1 1AA', '18_24', 'email', '', '2026-01-01', 1, 'male', 'white_irish', 'active', '2026-01-01')"))
            conn.execute(sa.text(
                "INSERT INTO panel_draws (id, title, size, seed, quotas, one_per_household, method, pool_size,"
                " quotas_met, probability_min, probability_max, probabilities, pool_snapshot, rounds, created_at)"
                " VALUES (1, 'Jury', 1, '5', '{}', 1, 'm', 1, 1, 1, 1, '{\"3\": 1.0}',"
                " '{\"3\": {\"g\": {\"sex\": \"male\"}, \"h\": null}}', '[]', '2026-01-01')"))
        upgrade(revision="0014_privacy")
        for _round_trip in range(2):
            draw = _db.session.execute(sa.text("SELECT probabilities, pool_snapshot FROM panel_draws")).one()
            key = pseudonym("draw-member", 3)
            assert '"3"' not in str(draw) and key in str(draw.probabilities) and key in str(draw.pool_snapshot)
            if not _round_trip:  # down and up again: nothing lost either way
                _db.session.remove()
                downgrade(revision=before)
                assert db_row("SELECT response_id, sex FROM about_you") == (7, "female")
                assert db_row("SELECT sex FROM panel_members") == ("male",)
                upgrade(revision="0014_privacy")
        upgrade()  # the models below are today's: read through them at the head revision
        about = AboutYou.for_response(7)
        assert (about.sex, about.disability, about.consultation_id) == ("female", "disabled", 1)
        assert db_row(f"SELECT sex, ethnic_group FROM panel_equality WHERE member_key = '{pseudonym('panel-member', 3)}'") \
            == ("male", "white_irish")
        assert _db.session.get(PanelMember, 3).ethnic_group == "white_irish"
        _db.session.remove()
        _db.engine.dispose()


def db_row(sql):
    return tuple(_db.session.execute(sa.text(sql)).one())


def test_a_new_equality_key_can_take_over_the_old_one(app, db, monkeypatch):
    consultation = factories.consultation(status="closed")
    _respond(consultation, 0, {"sex": "female"})
    db.session.commit()
    person = member(sex="male")
    response_id = Response.query.one().id
    old = app.config["EQUALITY_KEY"]
    monkeypatch.setitem(app.config, "EQUALITY_KEY", "a-brand-new-key")
    db.session.expire_all()
    assert AboutYou.for_response(response_id) is None  # under the new key nothing matches yet...
    assert db.session.get(PanelMember, person.id).sex is None
    monkeypatch.setenv("OLD_EQUALITY_KEY", old)
    result = app.test_cli_runner().invoke(args=["equality", "rekey"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert AboutYou.for_response(response_id).sex == "female"  # ...until the rekey moves it
    assert db.session.get(PanelMember, person.id).sex == "male"
