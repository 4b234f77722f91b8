"""Builders for panel tests."""
import itertools

import pytest

from app.common.timeutil import utcnow
from app.extensions import db
from app.panel.membership import household_key
from app.panel.models import ACTIVE, PanelMember
from tests import factories

_seq = itertools.count(1)


def member(status=ACTIVE, ward=None, address_line=None, postcode="NB1 1AA", consent=True, **fields):
    n = next(_seq)
    values = {"age_band": "35_44", "sex": "female", "ethnic_group": "white_british",
              "disability": "not_disabled", "tenure": "owned_outright"}
    values.update({k: v for k, v in fields.items() if k in values})
    person = PanelMember(name=fields.get("name", f"Member {n}"), email=fields.get("email", f"member{n}@example.org"),
                         postcode=postcode, ward_id=ward.id if ward else None, address_line=address_line,
                         household_key=household_key(address_line, postcode), age_band=values["age_band"],
                         contact_method=fields.get("contact_method", "email"), panel_consent_at=utcnow(),
                         status=status, confirmed_at=utcnow() if status != "unconfirmed" else None)
    person.set_equality(consent, values)
    db.session.add(person)
    db.session.commit()
    return person


# Borough figures for the representation and suppression tests.
CENSUS = "characteristic,group,count\nsex,Female,60\nsex,male,40\ntenure,owned outright,50\ntenure,private rent,50\n"


def members(field, counts: dict):
    """counts[group] active members in each group of one characteristic, e.g. members("sex", {"male": 3})."""
    for group, n in counts.items():
        for _ in range(n):
            member(**{field: group})


def tables_of(report) -> dict:
    return {t["characteristic"]: t for t in report["tables"]}


def rows_of(table) -> dict:
    return {r["key"]: r for r in table["rows"]}


@pytest.fixture()
def ward(db):
    from app.wards.models import Postcode
    w = factories.ward("Hollybush")
    db.session.add(Postcode(postcode="NB1 2AB", ward_id=w.id))
    db.session.commit()
    return w


def join_data(**overrides):
    data = {"name": "Ada Lovelace", "email": "ada@example.org", "phone": "", "address_line": "1 High Street",
            "postcode": "nb12ab", "age_band": "18_24", "contact_method": "email", "access_needs": "",
            "panel_consent": "y", "equality_consent": "yes", "sex": "female", "ethnic_group": "mixed_other",
            "disability": "prefer_not", "tenure": "private_rent"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
