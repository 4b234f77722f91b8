"""The Place Standard tool's 14 themes, their main questions and its 1-7 scale.

Wording from the Place Standard tool (NHS Health Scotland, Scottish Government and Architecture
and Design Scotland); sources in docs/place-standard.md. The scale runs from 1 ("a lot of room
for improvement") to 7 ("very little room for improvement"): a higher score is a better place,
and on the compass the points nearest the centre are the themes most in need of improvement.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class PlaceTheme:
    key: str       # stored in place_standard_questions.theme; never changes
    name: str      # the theme's name on the compass, e.g. "Public transport"
    question: str  # the tool's main question for the theme


THEMES = [
    PlaceTheme("moving_around", "Moving around", "Can I easily walk and cycle around using good-quality routes?"),
    PlaceTheme("public_transport", "Public transport", "Does public transport meet my needs?"),
    PlaceTheme("traffic_parking", "Traffic and parking",
               "Do traffic and parking arrangements allow people to move around safely and meet the "
               "community’s needs?"),
    PlaceTheme("streets_spaces", "Streets and spaces",
               "Do buildings, streets and public spaces create an attractive place that is easy to get around?"),
    PlaceTheme("natural_space", "Natural space", "Can I regularly experience good-quality natural space?"),
    PlaceTheme("play_recreation", "Play and recreation",
               "Can I access a range of spaces with opportunities for play and recreation?"),
    PlaceTheme("facilities_services", "Facilities and services", "Do facilities and services meet my needs?"),
    PlaceTheme("work_economy", "Work and local economy",
               "Is there an active local economy and the opportunity to access good-quality work?"),
    PlaceTheme("housing_community", "Housing and community", "Do the homes in my area support the needs of the community?"),
    PlaceTheme("social_contact", "Social contact", "Is there a range of spaces and opportunities to meet people?"),
    PlaceTheme("identity_belonging", "Identity and belonging", "Does this place have a positive identity and do I feel I belong?"),
    PlaceTheme("feeling_safe", "Feeling safe", "Do I feel safe here?"),
    PlaceTheme("care_maintenance", "Care and maintenance", "Are buildings and spaces well cared for?"),
    PlaceTheme("influence_control", "Influence and sense of control",
               "Do I feel able to take part in decisions and help change things for the better?"),
]
BY_KEY = {t.key: t for t in THEMES}

SCALE = range(1, 8)
LOW_LABEL = "a lot of room for improvement"
HIGH_LABEL = "very little room for improvement"
RATING_LABELS = {v: (f"{v} – {LOW_LABEL}" if v == 1 else f"{v} – {HIGH_LABEL}" if v == 7 else str(v))
                 for v in SCALE}
SCALE_HINT = f"1 means there is {LOW_LABEL}. 7 means there is {HIGH_LABEL}."
COMMENT_LABEL = "{name}: what is good now, and what could be better? (optional)"
COMMENT_HINT = "Tell us what lies behind your rating: what works here, and what would make it better."
