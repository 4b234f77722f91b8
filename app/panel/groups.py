"""The six characteristics the panel is compared on, and how raw answers map to their groups.

Members and "About you" rows store detailed codes (app/common/equality.py); the census reference
uses high-level groups (e.g. the 5 Census 2021 ethnic groups). `group_of` maps one to the other;
`match_group` reads the council's CSV wording ("16-17", "owned with mortgage") into our keys.
"""
import re

from app.common.equality import (AGE_BANDS, DISABILITY, ETHNIC_GROUPS, ETHNIC_HIGH_LEVEL, PREFER_NOT,
                                 SEXES, TENURES)

UNKNOWN = "unknown"  # not answered or "prefer not to say": never compared with the census
UNKNOWN_LABEL = "Not known (not answered or prefer not to say)"
PANEL_AGE_BANDS = [(code, label) for code, label in AGE_BANDS if code != "under_16"]

# key -> (label, [(group_key, group_label)])  ; ward groups are filled from the Ward table.
CHARACTERISTICS = {
    "age_band": ("Age", PANEL_AGE_BANDS),
    "sex": ("Sex", SEXES),
    "ethnic_group": ("Ethnic group", [(name, name) for name in ETHNIC_GROUPS]),
    "disability": ("Disability", [("disabled", "Disabled"), ("not_disabled", "Not disabled")]),
    "tenure": ("Housing tenure", TENURES),
    "ward": ("Ward", []),
}
assert [c for c, _ in DISABILITY] == ["disabled", "not_disabled"]

# Other ways councils write the groups in census extracts (compared after `_squash`).
ALIASES = {
    "age_band": {"75": "75_plus", "75over": "75_plus", "75andover": "75_plus", "75orover": "75_plus",
                 "1617": "16_17", "1824": "18_24", "2534": "25_34", "3544": "35_44", "4554": "45_54",
                 "5564": "55_64", "6574": "65_74"},
    "sex": {"women": "female", "men": "male", "f": "female", "m": "male"},
    "ethnic_group": {"asian": "Asian, Asian British or Asian Welsh",
                     "black": "Black, Black British, Black Welsh, Caribbean or African",
                     "mixed": "Mixed or Multiple ethnic groups", "white": "White", "other": "Other ethnic group"},
    "disability": {"yes": "disabled", "no": "not_disabled", "nondisabled": "not_disabled"},
    "tenure": {"ownedwithmortgage": "owned_mortgage", "ownedwithamortgageorloan": "owned_mortgage",
               "ownedmortgage": "owned_mortgage", "socialrentfromthecouncil": "social_council",
               "socialrentcouncil": "social_council", "rentfromthecouncil": "social_council",
               "socialrentfromahousingassociation": "social_ha", "socialrentha": "social_ha",
               "rentfromahousingassociation": "social_ha", "privaterent": "private_rent",
               "privaterented": "private_rent", "livingrentfree": "rent_free", "rentfree": "rent_free"},
}


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (text or "").lower())


def groups_for(characteristic: str, wards=None) -> list[tuple[str, str]]:
    if characteristic == "ward":
        return [(w.name, w.name) for w in (wards or [])]
    return list(CHARACTERISTICS[characteristic][1])


def match_group(characteristic: str, text: str, wards=None) -> str | None:
    """The group key the CSV wording means, or None when it matches nothing."""
    wanted = _squash(text)
    for key, label in groups_for(characteristic, wards):
        if wanted in (_squash(key), _squash(label)):
            return key
    return ALIASES.get(characteristic, {}).get(wanted)


def group_of(characteristic: str, record, ward_names: dict | None = None) -> str:
    """The group a member or AboutYou row falls in (UNKNOWN when not answered / prefer not)."""
    if characteristic == "ward":
        name = (ward_names or {}).get(record.ward_id)
        return name or UNKNOWN
    value = getattr(record, characteristic, None)
    if value in (None, "", PREFER_NOT):
        return UNKNOWN
    if characteristic == "ethnic_group":
        return ETHNIC_HIGH_LEVEL.get(value, UNKNOWN)
    if characteristic == "age_band" and value == "under_16":
        return "under_16"
    return value


def label_of(characteristic: str, key: str) -> str:
    if key == UNKNOWN:
        return UNKNOWN_LABEL
    if key == "under_16":
        return "Under 16"
    return dict(CHARACTERISTICS[characteristic][1]).get(key, key)


def characteristic_label(characteristic: str) -> str:
    return CHARACTERISTICS[characteristic][0]
