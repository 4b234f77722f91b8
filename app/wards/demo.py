"""Demo ward pages: partner organisations and a couple of updates for every demo ward."""
import json
import os
from datetime import timedelta

from app.accounts.models import User
from app.common.timeutil import utcnow
from app.extensions import db
from app.wards import updates
from app.wards.models import Partner, Ward, WardUpdate

FALLBACK_AUTHOR = "tom.hadley@northbrook.example"  # the demo's community engagement officer


def load(data_dir) -> list[str]:
    with open(os.path.join(data_dir, "ward_pages.json"), encoding="utf-8") as handle:
        data = json.load(handle)
    wards = {w.name: w for w in Ward.query.all()}
    added_partners = 0
    for spec in data["partners"]:
        if Partner.query.filter_by(name=spec["name"]).first():
            continue
        names = list(wards) if spec["wards"] == "*" else spec["wards"]
        updates.save_partner(None, name=spec["name"], description=spec["description"], website=spec["website"],
                             contact=spec["contact"], ward_ids=[wards[n].id for n in names if n in wards])
        added_partners += 1
    officer = User.query.filter_by(email=FALLBACK_AUTHOR).first() or User.query.filter_by(role="officer").first()
    added_updates = 0
    for spec in data["updates"]:
        ward = wards.get(spec["ward"])
        if ward is None or WardUpdate.query.filter_by(ward_id=ward.id, title=spec["title"]).first():
            continue
        # The ward's councillor writes the newer update where there is one; an officer the other.
        councillor = User.query.filter_by(role="councillor", ward_id=ward.id).first()
        author = councillor if councillor and spec["days_ago"] < 10 else officer
        if author is None:
            continue
        update = updates.post(ward, author, spec["title"], spec["text"], spec.get("link"))
        update.created_at = utcnow() - timedelta(days=spec["days_ago"])
        added_updates += 1
    db.session.flush()
    return [f"Ward pages: {added_partners} partners and {added_updates} ward updates added (see /wards)."]
