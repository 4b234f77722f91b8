"""Demo Place Standard rounds: Millfield and Riverside this spring (published, with compasses),
an earlier round for both a year before (for the over-time comparison) and an open round for
Northbrook town centre that residents can try. Answers and comments are made up (seeded).
Safe to run again: a round that exists is skipped.

Runs before the themes demo, which finds the themes in the comments of each round's most
commented theme.
"""
import random
from datetime import timedelta

from app.common.timeutil import utcnow
from app.consultations.models import AboutYou, Answer, Response
from app.extensions import db
from app.places import services
from app.places.models import PlaceSurvey
from app.places.themes import THEMES
from app.wards.models import Ward

# place -> {theme key: typical rating} for the earlier and the later round (unlisted: 4).
PROFILES = {
    "Millfield": ({"public_transport": 2, "traffic_parking": 2, "natural_space": 6, "feeling_safe": 3,
                   "influence_control": 2, "care_maintenance": 3, "play_recreation": 5},
                  {"public_transport": 3, "traffic_parking": 2, "natural_space": 6, "feeling_safe": 4,
                   "influence_control": 3, "care_maintenance": 3, "play_recreation": 5}),
    "Riverside": ({"moving_around": 5, "public_transport": 5, "work_economy": 2, "housing_community": 2,
                   "social_contact": 3, "identity_belonging": 5, "natural_space": 5},
                  {"moving_around": 6, "public_transport": 5, "work_economy": 3, "housing_community": 2,
                   "social_contact": 4, "identity_belonging": 5, "natural_space": 5}),
}
# Made-up comments per theme: (what is good, [what could be better, several different issues]).
COMMENTS = {
    "moving_around": ("The canal towpath is a lovely way to walk into town.",
                      ["Pavements are cracked and uneven, hard with a pushchair or a wheelchair.",
                       "There are no safe cycle lanes on the main road into town.",
                       "Dropped kerbs are missing at most crossings."]),
    "public_transport": ("The 42 bus is handy for the hospital.",
                         ["Buses are too infrequent in the evening and the last bus leaves before 10pm.",
                          "Bus fares are too expensive for families.",
                          "The bus stop has no shelter and no timetable information."]),
    "traffic_parking": ("The 20 mph zone near the school has helped.",
                        ["Cars speed down the main road at night.",
                         "People park on the pavement outside the shops and block it.",
                         "Parents park on the zig-zags at school drop-off."]),
    "streets_spaces": ("The market square looks good since it was repaved.",
                       ["Empty shop fronts make the high street feel unloved.",
                        "No benches or seating anywhere on the high street.",
                        "Signs are confusing and it is hard to find your way to the station."]),
    "natural_space": ("The park and the river walk are the best thing about living here.",
                      ["The park needs more bins and dog waste bins.",
                       "The paths in the park flood after rain.",
                       "More trees on the streets would help in summer."]),
    "play_recreation": ("The new playground is busy every weekend.",
                        ["Nothing for teenagers to do since the youth club closed.",
                         "The tennis and basketball courts are locked most of the time.",
                         "The swimming pool is too expensive."]),
    "facilities_services": ("The library and the GP surgery are close by.",
                            ["It takes weeks to get a GP appointment.",
                             "The post office and the bank have closed.",
                             "The library has cut its opening hours."]),
    "work_economy": ("Some good independent cafes have opened.",
                     ["Few local jobs, so young people have to leave to find work.",
                      "Business rates are driving small shops away.",
                      "No apprenticeships or training for school leavers."]),
    "housing_community": ("Neighbours look out for each other on our street.",
                          ["Rents are far too high for local people.",
                           "The council flats need repairs for damp and mould.",
                           "Not enough homes suitable for older or disabled people."]),
    "social_contact": ("The community centre runs good coffee mornings.",
                       ["Nowhere to meet people in the evening apart from the pub.",
                        "Older people living alone are isolated.",
                        "The community centre is too expensive to hire."]),
    "identity_belonging": ("People are proud of the area and its history.",
                           ["Newer residents do not feel welcome at local events.",
                            "The area has a bad reputation it does not deserve.",
                            "Local history and heritage buildings are neglected."]),
    "feeling_safe": ("It feels safe during the day.",
                     ["Street lights are broken in the underpass and it feels unsafe after dark.",
                      "Drug dealing near the shops at night.",
                      "Anti-social behaviour from groups on motorbikes in the park."]),
    "care_maintenance": ("The council cleared the fly-tipping quickly last time.",
                         ["Litter and overflowing bins on the high street.",
                          "Graffiti stays for months before anyone cleans it.",
                          "Fly-tipping in the back alleys is never cleared."]),
    "influence_control": ("The ward councillor answers emails.",
                          ["Decisions are made without asking residents.",
                           "We never hear what happened after a consultation.",
                           "Meetings are held in the day when people are at work."]),
}
AGE = {"under_16": 4, "16_17": 5, "18_24": 14, "25_34": 16, "35_44": 16, "45_54": 15, "55_64": 14,
       "65_74": 12, "75_plus": 6, "prefer_not": 4}
TENURE = {"owned_outright": 24, "owned_mortgage": 26, "shared_ownership": 2, "social_council": 14,
          "social_ha": 10, "private_rent": 20, "rent_free": 1, "prefer_not": 3}


def _rounds(now):
    """(place, ward?, round label, opens, closes, published?, respondents, profile index)."""
    spring, earlier = now - timedelta(days=60), now - timedelta(days=425)
    rounds = []
    for place in ("Millfield", "Riverside"):
        rounds.append((place, f"{earlier:%B %Y}", earlier, earlier + timedelta(days=35), 60, 0))
        rounds.append((place, f"{spring:%B %Y}", spring, spring + timedelta(days=35), 85, 1))
    return rounds


def _rating(rng, typical, group_shift):
    return max(1, min(7, round(rng.gauss(typical + group_shift, 1.1))))


def _respond(consultation, survey_questions, profile, rng, n):
    response = Response(consultation=consultation, channel=rng.choices(["online", "event", "paper"], [80, 15, 5])[0],
                        submitted_at=consultation.opens_at + timedelta(hours=rng.uniform(1, 24 * 34)))
    age, tenure = rng.choices(list(AGE), list(AGE.values()))[0], rng.choices(list(TENURE), list(TENURE.values()))[0]
    disabled = rng.random() < 0.2
    young = age in ("under_16", "16_17", "18_24")
    for theme in THEMES:
        rating_q, comment_q = survey_questions[theme.key]
        # Groups see their place a little differently: young people rate play lower, disabled
        # residents moving around, tenants housing.
        shift = ((-1.5 if young and theme.key in ("play_recreation", "work_economy") else 0)
                 + (-1.5 if disabled and theme.key in ("moving_around", "public_transport") else 0)
                 + (-1 if tenure in ("social_council", "social_ha", "private_rent")
                    and theme.key == "housing_community" else 0))
        rating = _rating(rng, profile.get(theme.key, 4), shift)
        response.answers.append(Answer(question_id=rating_q.id, scale_value=rating))
        low = profile.get(theme.key, 4) <= 3
        if rng.random() < (0.6 if low else 0.12):
            good, betters = COMMENTS[theme.key]
            better = rng.choice(betters)
            text = better if rating <= 4 else good
            if rng.random() < 0.25:
                text = f"{good} But {better[0].lower()}{better[1:]}"
            response.answers.append(Answer(question_id=comment_q.id, text=text))
    db.session.add(response)
    db.session.flush()
    if rng.random() < 0.9:
        db.session.add(AboutYou(response_id=response.id, consultation_id=consultation.id, age_band=age,
                                tenure=tenure, disability="disabled" if disabled else "not_disabled",
                                sex=rng.choice(["female", "male"])))


def load(data_dir) -> list[str]:
    now = utcnow().replace(microsecond=0)
    wards = {w.name: w for w in Ward.query.all()}
    lines = []
    for index, (place, label, opens, closes, people, which) in enumerate(_rounds(now)):
        ward = wards.get(place)
        if ward is None:
            continue
        if PlaceSurvey.query.filter_by(ward_id=ward.id, round_label=label).first():
            continue
        survey = services.create_round(ward=ward, place_name=None, round_label=label, opens_at=opens, closes_at=closes)
        consultation = survey.consultation
        consultation.launched_at = opens - timedelta(days=1)
        by_theme = {}
        for pq in survey.questions:
            by_theme.setdefault(pq.theme, [None, None])[0 if pq.part == "rating" else 1] = pq.question
        rng = random.Random(1600 + index)
        for n in range(people):
            _respond(consultation, by_theme, PROFILES[place][which], rng, n)
        consultation.results_published_at = closes + timedelta(days=7)
        lines.append(f"Place Standard: {place}, {label}: {people} responses, results published")
    if not PlaceSurvey.query.filter_by(place_name="Northbrook town centre").first():
        survey = services.create_round(ward=None, place_name="Northbrook town centre",
                                       round_label=f"{now:%B %Y}", opens_at=now - timedelta(days=2),
                                       closes_at=now + timedelta(days=40))
        survey.consultation.launched_at = now - timedelta(days=2)
        lines.append("Place Standard: Northbrook town centre, open for responses")
    db.session.flush()
    return lines
