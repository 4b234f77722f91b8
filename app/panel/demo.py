"""Demo panel: ~400 fictional members with a deliberately skewed make-up (too few young people
and private or housing-association tenants), plus the fictional census figures. Idempotent."""
import json
import os
import random

from app.common.equality import ETHNIC_GROUPS
from app.common.timeutil import utcnow
from app.extensions import db
from app.panel import representation
from app.panel.membership import household_key
from app.panel.models import ACTIVE, CensusReference, PanelMember
from app.wards.models import Postcode, Ward

TARGET = 400
DOMAIN = "panel.northbrook.example"
AGES = (["16_17", "18_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus"],
        [1, 3, 10, 16, 20, 21, 18, 11])
TENURE = (["owned_outright", "owned_mortgage", "shared_ownership", "social_council", "social_ha",
           "private_rent", "rent_free", "prefer_not"], [30, 30, 3, 16, 5, 10, 2, 4])
ETHNIC = ([items[0][0] for items in ETHNIC_GROUPS.values()] + ["white_british", "white_other", "prefer_not"],
          [10, 12, 5, 40, 3, 22, 5, 3])
STREETS = ["High Street", "Station Road", "Church Lane", "Mill Road", "Park Avenue", "Victoria Road",
           "Queens Road", "Kingsmead Way", "Holly Close", "River Walk"]


def load(data_dir) -> list[str]:
    lines = []
    if not CensusReference.query.first():
        with open(os.path.join(data_dir, "census_reference.csv"), encoding="utf-8") as handle:
            count, problems = representation.import_census(handle.read())
        lines.append(f"Panel: census reference {count} groups" + (f" (problems: {problems[:3]})" if problems else ""))
    existing = PanelMember.query.filter(PanelMember.email.like(f"%@{DOMAIN}")).count()
    if existing >= TARGET:
        return lines + [f"Panel: {existing} demo members already loaded"]
    with open(os.path.join(data_dir, "resident_names.json"), encoding="utf-8") as handle:
        names = json.load(handle)
    firsts = [n.split()[0] for n in names]
    lasts = [n.split()[-1] for n in names]
    rng = random.Random(2021)
    postcodes = [(p.postcode, p.ward_id) for p in Postcode.query.order_by(Postcode.postcode).all()]
    wards = [w.id for w in Ward.query.order_by(Ward.name).all()]
    now = utcnow()
    taken = {e for (e,) in db.session.query(PanelMember.email).all()}
    made = 0
    for n in range(TARGET):
        name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
        email = f"{name.lower().replace(' ', '.').replace(chr(39), '')}.{n}@{DOMAIN}"
        postcode, ward_id = rng.choice(postcodes) if postcodes else ("NB1 1AA", rng.choice(wards) if wards else None)
        address = f"{rng.randint(1, 60)} {rng.choice(STREETS)}"
        consent = rng.random() < 0.9
        if email in taken:
            continue
        member = PanelMember(
            name=name, email=email, postcode=postcode, ward_id=ward_id, address_line=address,
            household_key=household_key(address, postcode), panel_consent_at=now, status=ACTIVE,
            age_band=rng.choices(*AGES)[0], contact_method=rng.choices(["email", "phone", "text"], [8, 1, 1])[0],
            access_needs=rng.choice(["", "", "", "", "Step-free access", "Hearing loop", "Large print"]),
            created_at=now, confirmed_at=now)
        if member.contact_method != "email":  # a call or a text needs a number (Ofcom's drama range)
            member.phone = f"07700 900{n % 1000:03d}"
        member.set_equality(consent, {
            "sex": rng.choices(["female", "male", "prefer_not"], [55, 42, 3])[0],
            "ethnic_group": rng.choices(*ETHNIC)[0],
            "disability": rng.choices(["disabled", "not_disabled", "prefer_not"], [17, 78, 5])[0],
            "tenure": rng.choices(*TENURE)[0]})
        db.session.add(member)
        made += 1
    db.session.flush()
    return lines + [f"Panel: {made} fictional members added (skewed: few young people and renters)"]
