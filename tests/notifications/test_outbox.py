"""Emails wait in the outbox table until the transaction commits, then go by the chosen backend."""
from app.common.transaction import commit, rollback
from app.extensions import db
from app.notifications.models import OutboundEmail
from app.notifications.services import send_email


def test_sent_only_after_commit_and_then_forgotten(app, sent_emails):
    send_email("resident@example.org", "Hello", "Body text")
    assert sent_emails == []  # nothing leaves before the action has committed
    commit()
    assert [m["To"] for m in sent_emails] == ["resident@example.org"]
    assert OutboundEmail.query.count() == 0  # no copy of personal data kept once sent


def test_nothing_is_sent_when_the_action_rolls_back(app, sent_emails):
    send_email("resident@example.org", "Hello", "Body text")
    rollback()
    commit()
    assert sent_emails == [] and OutboundEmail.query.count() == 0


def test_a_failed_send_is_kept_and_retried_by_the_cli(app, db, smtp_server):
    real_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1  # nothing listens there: the send fails
    send_email("resident@example.org", "Hello", "Body text")
    commit()  # the user's action still succeeds
    record = OutboundEmail.query.one()
    assert record.status == "failed" and record.attempts == 1
    app.config["MAIL_PORT"] = real_port
    result = app.test_cli_runner().invoke(args=["send-emails"])
    assert "Tried 1 email" in result.output
    assert [m["To"] for m in smtp_server] == ["resident@example.org"]
    db.session.expire_all()
    assert OutboundEmail.query.count() == 0


def test_list_unsubscribe_reaches_the_mail_server_unfolded(app, smtp_server):
    url = "http://localhost/unsubscribe/" + "x" * 150
    send_email("resident@example.org", "Update", "Body", headers={"List-Unsubscribe": f"<{url}>"})
    commit()
    assert smtp_server[0]["List-Unsubscribe"] == f"<{url}>"


def test_email_goes_through_a_real_rq_worker(app, redis_queue, sent_emails):
    from rq import SimpleWorker

    send_email("resident@example.org", "Hello", "Body text")
    commit()
    assert sent_emails == [] and len(redis_queue) == 1  # queued for the worker, not sent here
    SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)
    assert [m["To"] for m in app.extensions["sent_emails"]] == ["resident@example.org"]
    db.session.expire_all()
    assert OutboundEmail.query.count() == 0


def test_logs_never_hold_a_recipients_full_address(app, db, caplog, tmp_path, smtp_server):
    """Issue 14, finding 8: the mailer logged recipients' addresses at INFO."""
    import logging

    from app.common.masking import mask_email as _masked

    assert _masked("jane.doe@example.org") == "j***@example.org"
    assert _masked("Jane Doe <jane@example.org>") == "j***@example.org"
    assert _masked("") == "***"
    old = {key: app.config[key] for key in ("MAIL_BACKEND", "MAIL_PORT")}
    old_instance = app.instance_path
    caplog.set_level(logging.INFO)
    services_log = logging.getLogger("app.notifications.services")
    was_disabled, services_log.disabled = services_log.disabled, False  # Alembic's fileConfig turns it off
    try:
        app.config["MAIL_BACKEND"], app.instance_path = "outbox", str(tmp_path)
        send_email("jane.doe@example.org", "Hello", "Body text")
        commit()
        app.config["MAIL_BACKEND"], app.config["MAIL_PORT"] = "smtp", 1  # nothing listens: it fails
        send_email("jane.doe@example.org", "Hello again", "Body text")
        commit()
    finally:
        app.config.update(old)
        app.instance_path = old_instance
        services_log.disabled = was_disabled
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "email to j***@example.org: Hello" in logged and "to j***@example.org failed" in logged
    assert "jane.doe" not in logged


def test_the_outbox_prints_each_link_whole_in_development(app, db, caplog, tmp_path):
    """Quoted-printable .eml files split long links; the console shows them whole to follow."""
    import logging

    link = "http://127.0.0.1:5055/panel/confirm/" + "Ab-9_" * 30
    old_backend, old_instance = app.config["MAIL_BACKEND"], app.instance_path
    caplog.set_level(logging.INFO)
    try:
        app.config["MAIL_BACKEND"], app.instance_path = "outbox", str(tmp_path)
        send_email("jane.doe@example.org", "Confirm", f"Confirm here:\n{link}\n\nThanks.")
        commit()
    finally:
        app.config["MAIL_BACKEND"], app.instance_path = old_backend, old_instance
    eml = next((tmp_path / "outbox").iterdir()).read_text()
    assert link not in eml  # split by quoted-printable soft line breaks
    logged = [record.getMessage() for record in caplog.records]
    assert f"  link in that email: {link}" in logged
