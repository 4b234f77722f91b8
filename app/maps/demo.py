"""`flask demo`: an open consultation with a map question, about 60 pins across the wards and a few
places described in words, so the results map, the ward table and the themes have something to
show. Safe to run again: nothing is added if the consultation exists."""
import random
from datetime import timedelta

from shapely.geometry import Point

from app.accounts.models import User
from app.common.timeutil import utcnow
from app.consultations.models import Answer, Consultation, Question, QuestionOption, Response
from app.extensions import db
from app.maps import geo
from app.maps.models import MapPlace
from app.wards.models import Ward

TITLE = "Safer streets: where should we act first?"
PINS = 60
# Comments are put together from these, per theme, so no two are quite the same.
THEMES = {
    "speeding": (["Cars speed along here", "Drivers go far too fast on this stretch", "Traffic races through",
                  "Vans and cars use this road as a rat run and speed"],
                 ["We need speed bumps.", "A 20 mph limit and a speed camera would help.",
                  "Please add traffic calming before someone is hurt.", "Speed humps or a chicane, please."]),
    "crossing": (["There is no safe place to cross", "Crossing here with a buggy is frightening",
                  "The pedestrian crossing light is far too short", "Children cross here to get to school and it is dangerous"],
                 ["Please put in a zebra crossing.", "A proper crossing with lights is needed.",
                  "Give people longer to cross.", "A lollipop person or a crossing would make a big difference."]),
    "lighting": (["It is very dark here at night", "The street lights have been broken for months",
                  "The path is unlit and I avoid it after dark", "Poor lighting makes this underpass feel unsafe"],
                 ["Better street lighting, please.", "Please fix the lights.", "More lights would make people feel safer.",
                  "Brighter lighting and some CCTV would help."]),
    "pavement": (["The pavement is broken and uneven", "Tree roots have lifted the paving slabs",
                  "Cars park on the pavement so wheelchairs cannot get past", "The dropped kerb is missing here"],
                 ["Please repair the pavement.", "Fix the paving before someone falls.",
                  "Stop pavement parking here.", "A dropped kerb would help wheelchair users and buggies."]),
    "cycling": (["The cycle lane just stops here", "Cycling here means mixing with buses and lorries",
                 "The painted cycle lane is always blocked by parked cars", "There is nowhere to lock a bike"],
                ["A protected cycle lane would help.", "Please join up the cycle route.",
                 "Keep the cycle lane clear of parked cars.", "Some bike stands, please."]),
}
PLACES = ["near the primary school", "by the bus stop", "outside the shops on the high street", "at the bend",
          "by the park gates", "on the way to the station", "next to the library", "at the junction",
          "by the health centre", "opposite the community centre"]
WORDS = [  # (ward name, place described in words)
    ("Riverside", "The towpath between the two footbridges: no lighting at all and it feels unsafe at night."),
    ("Hollybush", "Hollybush Road by the parade of shops: cars mount the pavement to park, so I have to walk in the road."),
    ("Millfield", "The junction of Mill Lane and Station Road. Drivers ignore the red light; we need a camera."),
    ("Kingsmead", "The alley behind Kingsmead School is dark and full of rubbish. Please light it."),
    ("Northbrook Central", "The crossing outside the town hall: the green man is far too short for older people."),
    ("Fairbank", "Fairbank Avenue is used as a rat run and cars speed past the play area."),
    (None, "The cycle route into town just stops at the ring road. I'm not sure which ward that is."),
    ("Ashgrove", "Ashgrove Close: the pavement is broken up by tree roots, my mum tripped there."),
]


def _comment(rng, theme):
    problems, asks = THEMES[theme]
    return f"{rng.choice(problems)} {rng.choice(PLACES)}. {rng.choice(asks)}"


def _point_in(rng, ward_shape, near=None):
    min_lng, min_lat, max_lng, max_lat = ward_shape.geometry.bounds
    for _ in range(200):
        if near is not None:
            lat, lng = near[0] + rng.gauss(0, 0.0018), near[1] + rng.gauss(0, 0.0028)
        else:
            lat, lng = rng.uniform(min_lat, max_lat), rng.uniform(min_lng, max_lng)
        if ward_shape.geometry.covers(Point(lng, lat)):
            return round(lat, 6), round(lng, 6)
    point = ward_shape.geometry.representative_point()
    return round(point.y, 6), round(point.x, 6)


def load(data_dir) -> list[str]:
    if Consultation.query.filter_by(title=TITLE).first():
        return []
    try:
        bounds = geo.boundaries()
    except geo.BoundariesMissing as exc:
        return [f"Map question demo skipped: {exc}"]
    rng = random.Random(16)
    now = utcnow()
    officer = User.query.filter_by(role="officer").order_by(User.id).first()
    consultation = Consultation(
        title=TITLE, summary="Show us on a map where walking, cycling or crossing the road feels unsafe, "
                             "so we know where to start.",
        body="We have money this year to make some streets safer: crossings, lighting, pavements, speed limits "
             "and cycle lanes.\n\nMark the places that worry you on the map, or describe them in words, and tell "
             "us what the problem is. We will publish a map of what people told us, without anyone's exact pins.",
        borough_wide=True, opens_at=now - timedelta(days=20), closes_at=now + timedelta(days=40),
        launched_at=now - timedelta(days=21), created_by=officer)
    question = Question(kind="map", position=0, required=True,
                        text="Where do you feel unsafe walking, cycling or crossing the road?",
                        hint="Add a comment for each place saying what the problem is.")
    how = Question(kind="single_choice", position=1, required=False, text="How do you mostly get about locally?")
    for i, label in enumerate(["Walking", "Cycling", "Bus", "Car", "Wheelchair or mobility scooter"]):
        how.options.append(QuestionOption(label=label, position=i))
    consultation.questions += [question, how]
    db.session.add(consultation)
    db.session.flush()

    ward_ids = {w.slug: w.id for w in Ward.query}
    ward_by_name = {w.name: w.id for w in Ward.query}
    # A few busy spots per ward (a school gate, a junction), so the density map has clusters.
    hotspots = {w.slug: [_point_in(rng, w) for _ in range(2)] for w in bounds.wards}
    theme_names = list(THEMES)
    pins_left, responses = PINS, 0
    while pins_left > 0:
        count = min(pins_left, rng.choice([1, 1, 1, 2, 2, 3]))
        response = Response(consultation=consultation, channel="online",
                            submitted_at=now - timedelta(days=rng.uniform(0.1, 19.5)))
        for _ in range(count):
            ward = rng.choice(bounds.wards)
            near = rng.choice(hotspots[ward.slug]) if rng.random() < 0.6 else None
            lat, lng = _point_in(rng, ward, near)
            answer = Answer(question_id=question.id, text=_comment(rng, rng.choice(theme_names)))
            answer.map_place = MapPlace(lat=lat, lng=lng, ward_id=ward_ids.get(bounds.ward_at(lat, lng)))
            response.answers.append(answer)
        response.answers.append(Answer(question_id=how.id, option_id=rng.choice(how.options).id))
        db.session.add(response)
        pins_left -= count
        responses += 1
    for ward_name, text in WORDS:
        response = Response(consultation=consultation, channel=rng.choice(["online", "paper"]),
                            entered_by=officer, submitted_at=now - timedelta(days=rng.uniform(0.1, 19.5)))
        answer = Answer(question_id=question.id, text=text)
        answer.map_place = MapPlace(ward_id=ward_by_name.get(ward_name))
        response.answers.append(answer)
        if response.channel == "online":
            response.entered_by = None
        else:
            response.collected_on = response.submitted_at.date()
        db.session.add(response)
        responses += 1
    db.session.flush()
    return [f"Map question: “{TITLE}” with {PINS} pins and {len(WORDS)} places described in words "
            f"from {responses} responses."]
