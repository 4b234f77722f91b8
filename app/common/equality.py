"""Equality-monitoring answer codes, shared by consultations ("About you") and the panel.

Codes are stored; labels are shown. Every question also offers PREFER_NOT.
"""
PREFER_NOT = "prefer_not"
PREFER_NOT_LABEL = "Prefer not to say"

AGE_BANDS = [
    ("under_16", "Under 16"), ("16_17", "16 to 17"), ("18_24", "18 to 24"), ("25_34", "25 to 34"),
    ("35_44", "35 to 44"), ("45_54", "45 to 54"), ("55_64", "55 to 64"), ("65_74", "65 to 74"),
    ("75_plus", "75 or over"),
]
SEXES = [("female", "Female"), ("male", "Male")]
DISABILITY = [("disabled", "Yes"), ("not_disabled", "No")]
TENURES = [
    ("owned_outright", "Own outright"), ("owned_mortgage", "Own with a mortgage or loan"),
    ("shared_ownership", "Shared ownership"), ("social_council", "Rent from the council"),
    ("social_ha", "Rent from a housing association"), ("private_rent", "Rent from a private landlord"),
    ("rent_free", "Live rent free"),
]
# Census 2021 (England and Wales): 5 high-level groups, 19 detailed categories.
ETHNIC_GROUPS = {
    "Asian, Asian British or Asian Welsh": [
        ("asian_bangladeshi", "Bangladeshi"), ("asian_chinese", "Chinese"), ("asian_indian", "Indian"),
        ("asian_pakistani", "Pakistani"), ("asian_other", "Any other Asian background")],
    "Black, Black British, Black Welsh, Caribbean or African": [
        ("black_african", "African"), ("black_caribbean", "Caribbean"),
        ("black_other", "Any other Black, Black British or Caribbean background")],
    "Mixed or Multiple ethnic groups": [
        ("mixed_white_asian", "White and Asian"), ("mixed_white_black_african", "White and Black African"),
        ("mixed_white_black_caribbean", "White and Black Caribbean"),
        ("mixed_other", "Any other Mixed or multiple ethnic background")],
    "White": [
        ("white_british", "English, Welsh, Scottish, Northern Irish or British"), ("white_irish", "Irish"),
        ("white_gypsy_traveller", "Gypsy or Irish Traveller"), ("white_roma", "Roma"),
        ("white_other", "Any other White background")],
    "Other ethnic group": [("other_arab", "Arab"), ("other_any", "Any other ethnic group")],
}
ETHNIC_CHOICES = [(code, f"{group}: {label}") for group, items in ETHNIC_GROUPS.items() for code, label in items]
ETHNIC_HIGH_LEVEL = {code: group for group, items in ETHNIC_GROUPS.items() for code, _ in items}

CHARACTERISTICS = {
    "age_band": ("Age", AGE_BANDS),
    "sex": ("Sex", SEXES),
    "ethnic_group": ("Ethnic group", ETHNIC_CHOICES),
    "disability": ("Disability", DISABILITY),
    "tenure": ("Housing", TENURES),
}


def with_prefer_not(choices):
    return list(choices) + [(PREFER_NOT, PREFER_NOT_LABEL)]


def label_for(characteristic: str, code: str | None) -> str:
    if code is None:
        return "Not answered"
    if code == PREFER_NOT:
        return PREFER_NOT_LABEL
    return dict(CHARACTERISTICS[characteristic][1]).get(code, code)


def suppress(count: int, threshold: int):
    """Counts under the threshold are shown as None ('fewer than N') so no one can be singled out."""
    return None if 0 < count < threshold else count
