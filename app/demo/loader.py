"""Loads the demo's wards and staff from app/demo/data (text written for this project)."""
import json
import os

from app.accounts.models import User
from app.extensions import db
from app.wards.models import Ward
from app.wards.services import slugify

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


def read_json(name):
    with open(os.path.join(DATA_DIR, name), encoding="utf-8") as handle:
        return json.load(handle)


def load_base() -> list[str]:
    from app.common.timeutil import utcnow
    from app.demo.cli import DEMO_PASSWORD, DEMO_TOTP_SECRET

    for ward in read_json("wards.json"):
        if not Ward.query.filter_by(name=ward["name"]).first():
            db.session.add(Ward(name=ward["name"], slug=ward.get("slug") or slugify(ward["name"])))
    db.session.flush()
    wards = {w.name: w for w in Ward.query.all()}
    lines = ["", "Demo logins (password for all: " + DEMO_PASSWORD + "):"]
    for person in read_json("staff.json"):
        user = User.query.filter_by(email=person["email"].lower()).first()
        if user is None:
            user = User(email=person["email"].lower(), name=person["name"], role=person["role"],
                        title=person.get("title"))
            user.set_password(DEMO_PASSWORD)
            if user.role in ("admin", "officer"):  # their second factor is compulsory
                user.totp_secret, user.totp_enabled_at = DEMO_TOTP_SECRET, utcnow()
            db.session.add(user)
        user.ward = wards.get(person.get("ward") or "")
        lines.append(f"  {person['role']:<11} {person['email']}")
    lines += ["Admins and officers then give a code from an authenticator app: add the demo key",
              f"  {DEMO_TOTP_SECRET}",
              "to one, or print the current code with `.venv/bin/flask --app wsgi demo-code`."]
    db.session.flush()
    return lines
