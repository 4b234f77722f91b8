"""The form field of a map question: pins dropped on the map, and places described in words.

Both ways of answering have equal standing and the page works without JavaScript: without it the
resident chooses a ward and describes the place; with it they may also drop pins, each with its
own comment. Posted names (the map's script writes the pin ones):

    q7-pin-<n>-lat, q7-pin-<n>-lng, q7-pin-<n>-comment, q7-pin-<n>-remove (no-JS: tick to remove)
    q7-place-<n>-ward, q7-place-<n>-text

Every problem is reported beside the pin or place it concerns and in the error summary, naming
the question; nothing is saved unless every place is good.
"""
import math

from wtforms.fields import Field
from wtforms.utils import unset_value

from app.maps import geo

MAX_PINS = 10
WORD_SLOTS = 3  # places described in words offered on the page
COMMENT_MAX = 1000
UNSURE = "unsure"  # "I'm not sure which ward"


def _text(value) -> str:
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _number(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


class MapPlacesField(Field):
    """data: {"pins": [{"lat", "lng", "comment", "remove"}], "places": [{"ward", "text"}] * WORD_SLOTS}.

    After validation `cleaned` holds the places to save: {"lat", "lng", "ward_slug" or "ward_id", "text"}.
    """

    def __init__(self, label=None, *, question, enforce_required, ward_choices, **kwargs):
        super().__init__(label, validators=[], **kwargs)
        self.question = question
        self.enforce_required = enforce_required
        self.ward_choices = list(ward_choices)  # (id as text, name)
        self.item_errors: dict[tuple[str, int], str] = {}
        self.cleaned: list[dict] = []

    # --- reading -----------------------------------------------------------------------------
    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        pins, places = [], []
        if formdata is not None:
            for n in range(MAX_PINS * 3):  # the script numbers pins as they are dropped, with gaps
                prefix = f"{self.name}-pin-{n}-"
                if not any(prefix + part in formdata for part in ("lat", "lng", "comment")):
                    continue
                pins.append({"lat": (formdata.get(prefix + "lat") or "").strip()[:30],
                             "lng": (formdata.get(prefix + "lng") or "").strip()[:30],
                             "comment": formdata.get(prefix + "comment") or "",
                             "remove": bool(formdata.get(prefix + "remove"))})
            for n in range(WORD_SLOTS):
                prefix = f"{self.name}-place-{n}-"
                places.append({"ward": (formdata.get(prefix + "ward") or "").strip()[:20],
                               "text": formdata.get(prefix + "text") or ""})
        elif isinstance(data, dict):
            pins = [dict(p, remove=False) for p in data.get("pins", [])]
            places = list(data.get("places", []))[:WORD_SLOTS]
        places += [{"ward": "", "text": ""} for _ in range(WORD_SLOTS - len(places))]
        self.data = {"pins": pins, "places": places}

    @property
    def pins(self):
        return [p for p in self.data["pins"] if not p.get("remove")]

    # --- checking ----------------------------------------------------------------------------
    def pre_validate(self, form):
        from app.consultations.forms import quoted

        what = quoted(self.question)
        self.item_errors, self.cleaned = {}, []
        if len(self.pins) > MAX_PINS:
            self.errors.append(f"Drop {MAX_PINS} pins or fewer for {what}")
        bounds = None
        for n, pin in enumerate(self.data["pins"]):  # numbered as the page lists them
            if pin.get("remove"):
                continue
            label = f"Pin {n + 1} for {what}"
            lat, lng = _number(pin["lat"]), _number(pin["lng"])
            comment = _text(pin["comment"])
            if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
                self._item("pin", n, f"{label} has no position we can read. Remove it and drop it again")
                continue
            bounds = bounds or geo.boundaries()
            slug = bounds.ward_at(lat, lng)
            if slug is None:
                self._item("pin", n, f"{label} is outside the borough. Move it inside the borough "
                                     f"boundary, or remove it")
                continue
            if not comment:
                self._item("pin", n, f"Enter a comment for pin {n + 1} for {what}")
                continue
            if len(comment) > COMMENT_MAX:
                self._item("pin", n, f"The comment for pin {n + 1} for {what} must be "
                                     f"{COMMENT_MAX:,} characters or fewer")
                continue
            self.cleaned.append({"lat": lat, "lng": lng, "ward_slug": slug, "text": comment})
        valid_wards = {value for value, _name in self.ward_choices} | {UNSURE}
        for n, place in enumerate(self.data["places"]):
            text, ward = _text(place["text"]), place["ward"]
            label = f"place {n + 1} for {what}"
            if not text and not ward:
                continue
            if ward and ward not in valid_wards:
                self._item("place", n, f"Choose a ward from the list for {label}")
            elif not text:
                self._item("place", n, f"Describe {label}, or choose “Choose a ward” to leave it out")
            elif not ward:
                self._item("place", n, f"Choose the ward for {label}, or “I’m not sure”")
            elif len(text) > COMMENT_MAX:
                self._item("place", n, f"What you wrote about {label} must be {COMMENT_MAX:,} characters or fewer")
            else:
                self.cleaned.append({"lat": None, "lng": None, "text": text,
                                     "ward_id": int(ward) if ward != UNSURE else None})
        if not self.errors and not self.cleaned and self.question.required and self.enforce_required:
            self.errors.append(f"Mark a place on the map or describe a place in words for {what}")
        self.data["cleaned"] = [] if self.errors else self.cleaned

    def _item(self, kind, n, message):
        self.item_errors[(kind, n)] = message
        self.errors.append(message)

    def error_for(self, kind, n):
        return self.item_errors.get((kind, n))
