"""The demo's staff can sign in the whole way: password, then the published demo key's code."""
import pyotp

from app.accounts.models import User
from app.demo import loader
from app.demo.cli import DEMO_PASSWORD, DEMO_TOTP_SECRET


def test_demo_admins_and_officers_have_the_demo_second_factor(app, db):
    lines = loader.load_base()
    db.session.commit()
    staff = User.query.filter(User.role.in_(["admin", "officer"])).all()
    assert staff and all(u.totp_secret == DEMO_TOTP_SECRET for u in staff)
    assert all(u.totp_secret is None for u in User.query.filter_by(role="councillor"))
    assert any(DEMO_TOTP_SECRET in line for line in lines)


def test_an_officer_signs_in_with_the_code_demo_code_prints(app, db):
    loader.load_base()
    db.session.commit()
    officer = User.query.filter_by(role="officer").first()
    printed = app.test_cli_runner().invoke(args=["demo-code"]).output.strip()
    assert printed == pyotp.TOTP(DEMO_TOTP_SECRET).now()
    app.config["TOTP_REQUIRED_ROLES"] = ("admin", "officer")
    try:
        client = app.test_client()
        step = client.post("/sign-in", data={"email": officer.email, "password": DEMO_PASSWORD})
        assert step.status_code == 302 and "/staff/" not in step.headers["Location"]
        page = client.get(step.headers["Location"]).get_data(as_text=True)
        assert 'name="code"' in page
        done = client.post(step.headers["Location"], data={"code": printed})
        assert done.status_code == 302
        assert client.get("/staff/").status_code == 200
    finally:
        app.config["TOTP_REQUIRED_ROLES"] = ()
