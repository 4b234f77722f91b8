"""Finding 8: the security and personal-data audit log, and masked email addresses in logs."""
import logging
import re
from datetime import timedelta

import pytest

from app.audit import record
from app.audit.models import AuditEvent, AuditLogIsAppendOnly
from app.common.masking import mask_email
from app.common.timeutil import utcnow
from app.extensions import db as _db
from tests import factories
from tests.conftest import PASSWORD, login


def _events(name=None):
    _db.session.expire_all()
    query = AuditEvent.query.order_by(AuditEvent.id)
    return query.filter_by(event=name).all() if name else query.all()


def test_mask_email():
    assert mask_email("Jane.Doe@Example.org") == "J***@example.org"
    assert mask_email("not an address") == "***"
    assert mask_email(None) == "***"


def test_sign_in_success_failure_and_throttling_are_recorded(app, client, officer):
    client.post("/sign-in", data={"email": officer.email, "password": "wrong password!"},
                environ_base={"REMOTE_ADDR": "198.51.100.9"})
    failure = _events("sign_in.failure")[0]
    assert failure.outcome == "failure" and failure.client_address == "198.51.100.9"
    assert failure.detail == {"email": mask_email(officer.email)} and officer.email not in str(failure.detail)
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1):
        client.post("/sign-in", data={"email": "nobody@example.org", "password": "wrong password!"})
    assert _events("sign_in.throttled")[0].outcome == "refused"
    login(client, officer)
    success = _events("sign_in.success")[0]
    assert success.actor_id == officer.id and success.occurred_at > utcnow() - timedelta(minutes=1)
    client.post("/sign-out")
    assert _events("sign_out")[0].actor_id == officer.id


def test_role_changes_and_account_changes_are_recorded(admin_client, admin, sent_emails):
    admin_client.post("/staff/admin/users/invite", data={"name": "New Person", "email": "new.person@example.org",
                                                         "role": "officer", "title": ""})
    invited = _events("account.invited")[0]
    assert invited.actor_id == admin.id and invited.detail["email"] == "n***@example.org"
    other = factories.user(role="officer")
    admin_client.post(f"/staff/admin/users/{other.id}", data={"role-role": "councillor"})
    changed = _events("account.role_changed")[0]
    assert (changed.actor_id, changed.subject, changed.detail) == (admin.id, f"user:{other.id}",
                                                                   {"from": "officer", "to": "councillor"})
    admin_client.post(f"/staff/admin/users/{other.id}", data={"active-submit": "1"})
    assert _events("account.deactivated")[0].subject == f"user:{other.id}"


def test_password_change_and_reset_are_recorded(client, officer, sent_emails):
    login(client, officer)
    client.post("/account/password", data={"current": PASSWORD, "password": "lantern orbit meadow quarry",
                                           "confirm": "lantern orbit meadow quarry"})
    assert _events("password.changed")[0].outcome == "success"
    client.post("/reset-password", data={"email": officer.email})
    link = re.search(r"http://localhost(/reset-password/\S+)", sent_emails[-1].get_content()).group(1)
    client.post(link, data={"password": "violet harbour engine", "confirm": "violet harbour engine"})
    assert [e.event for e in _events() if e.event.startswith("password.")] == [
        "password.changed", "password.reset_requested", "password.reset"]


def test_personal_data_export_is_recorded(officer_client, officer):
    consultation = factories.consultation()
    response = officer_client.get(f"/staff/consultations/{consultation.id}/responses.csv")
    assert response.status_code == 200
    exported = _events("export.personal_data")[0]
    assert exported.actor_id == officer.id and exported.subject == f"consultation:{consultation.id}"


def test_viewing_a_named_persons_record_is_recorded(client, db):
    from tests.surgeries.conftest import make_surgery

    councillor = factories.user(role="councillor", ward=factories.ward())
    surgery = make_surgery(councillor, councillor.ward)
    login(client, councillor)
    assert client.get(f"/staff/surgeries/{surgery.id}").status_code == 200
    viewed = _events("record.viewed")[0]
    assert viewed.actor_id == councillor.id and viewed.subject == f"surgery:{surgery.id}"


def test_panel_erasure_and_retention_runs_are_recorded(app, db):
    from tests.panel.conftest import member

    stale = member(status="unconfirmed")
    stale.created_at = utcnow() - timedelta(days=40)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["panel", "purge-unconfirmed"])
    assert "Erased 1" in result.output
    erased = _events("erasure")[0]
    assert erased.subject == f"panel_member:{stale.id}" and erased.detail["why"] == "purged"
    run = _events("retention.run")[0]
    assert run.detail["removed"] == 1 and run.actor_id is None


def test_admin_can_see_and_filter_the_log(admin_client, admin, db):
    for n in range(60):
        record("sign_in.failure", outcome="failure", detail={"n": n})
    record("account.role_changed", actor=admin, subject="user:99")
    db.session.commit()
    page = admin_client.get("/staff/admin/audit").get_data(as_text=True)
    assert "Audit log" in page and "Role changed" in page and 'aria-label="Page 2"' in page
    assert page.count('<tr class="govuk-table__row">') == 51  # header + 50 a page
    second = admin_client.get("/staff/admin/audit?page=2").get_data(as_text=True)
    assert second.count('<tr class="govuk-table__row">') > 1
    filtered = admin_client.get("/staff/admin/audit?event=account.role_changed").get_data(as_text=True)
    assert "user:99" in filtered and "Sign-in failed" not in filtered.split("<tbody")[1]
    by_outcome = admin_client.get("/staff/admin/audit?outcome=failure").get_data(as_text=True)
    assert "user:99" not in by_outcome
    by_actor = admin_client.get("/staff/admin/audit", query_string={"actor": admin.name}).get_data(as_text=True)
    assert "user:99" in by_actor
    last_year = utcnow().year - 1
    by_date = admin_client.get("/staff/admin/audit", query_string={
        "start-day": 1, "start-month": 1, "start-year": last_year,
        "end-day": 31, "end-month": 12, "end-year": last_year})
    assert by_date.status_code == 200 and "0 events" in by_date.get_data(as_text=True)


def test_bad_filters_get_a_clear_message(admin_client):
    response = admin_client.get("/staff/admin/audit", query_string={"start-day": "31", "start-month": "2",
                                                                    "start-year": "2026"})
    assert response.status_code == 400 and "must be a real date" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["officer", "councillor", "resident"])
def test_only_admins_see_the_log(client, db, role):
    login(client, factories.user(role=role))
    assert client.get("/staff/admin/audit").status_code == 403


def test_the_log_cannot_be_edited_from_the_app(app, db):
    audit_rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("audit.")]
    assert audit_rules and all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in audit_rules)
    event = record("sign_in.failure", outcome="failure")
    db.session.commit()
    event.outcome = "success"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    _db.session.delete(_events()[0])
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_purge_keeps_the_retention_period_and_is_idempotent(app, db, caplog):
    old = record("sign_in.failure", outcome="failure")
    recent = record("sign_in.success")
    db.session.commit()
    old_id, recent_id = old.id, recent.id
    from sqlalchemy import update

    db.session.execute(update(AuditEvent.__table__).where(AuditEvent.id == old_id)
                       .values(occurred_at=utcnow() - timedelta(days=app.config["AUDIT_RETENTION_DAYS"] + 1)))
    db.session.commit()
    runner = app.test_cli_runner()
    with caplog.at_level(logging.INFO):
        first = runner.invoke(args=["audit", "purge"])
    assert "Removed 1 audit event(s)." in first.output
    assert "removed 1 event(s)" in caplog.text
    assert "Removed 0 audit event(s)." in runner.invoke(args=["audit", "purge"]).output
    ids = [e.id for e in _events()]
    assert old_id not in ids and recent_id in ids
    assert [e.detail["removed"] for e in _events("retention.run")] == [1, 0]


def test_email_addresses_in_logs_are_masked(app, db, caplog, tmp_path):
    from app.common.transaction import commit
    from app.notifications.services import send_email

    app.config["MAIL_BACKEND"] = "outbox"
    try:
        with caplog.at_level(logging.INFO):
            send_email("jane.doe@example.org", "Hello", "Body")
            commit()
    finally:
        app.config["MAIL_BACKEND"] = "memory"
    assert "j***@example.org" in caplog.text and "jane.doe@example.org" not in caplog.text


def test_audit_details_mask_any_email_address(db):
    event = record("sign_in.failure", outcome="failure", detail={"note": "typed jane.doe@example.org here"})
    assert event.detail == {"note": "typed j***@example.org here"}
