"""Map questions: the form field, saving places, and what officers and the public see of them.

The consultation code calls in here for a question of kind "map" (a few dispatch lines in
forms.py, responses.py and the results templates); everything else about maps lives in app/maps.
Services flush, never commit.
"""
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select

from app.consultations.models import Answer, Response
from app.extensions import db
from app.maps import geo
from app.maps.fields import MapPlacesField, UNSURE
from app.maps.models import MapPlace
from app.wards.models import Ward

KIND = "map"
UNSURE_LABEL = "Not sure which ward"


# --- answering --------------------------------------------------------------------------------
def question_field(question, label, enforce_required):
    wards = [(str(w.id), w.name) for w in Ward.query.order_by(Ward.name)]
    return MapPlacesField(label, description=question.hint, question=question,
                          enforce_required=enforce_required, ward_choices=wards)


def answers_for(question, value) -> list[Answer]:
    """New Answer rows (each with its MapPlace) for the places of a validated field's data."""
    cleaned = (value or {}).get("cleaned") or []  # set only by a validation without problems
    slugs = {w.slug: w.id for w in Ward.query}
    answers = []
    for place in cleaned:
        ward_id = place.get("ward_id") if place["lat"] is None else slugs.get(place["ward_slug"])
        answer = Answer(question_id=question.id, text=place["text"])
        answer.map_place = MapPlace(lat=place["lat"], lng=place["lng"], ward_id=ward_id)
        answers.append(answer)
    return answers


def form_data(answers) -> dict:
    """A response's places as the field's data, to pre-fill the form when it is changed."""
    pins, places = [], []
    for answer in answers:
        place = answer.map_place
        if place is not None and place.is_pin:
            pins.append({"lat": repr(place.lat), "lng": repr(place.lng), "comment": answer.text or ""})
        else:
            ward = str(place.ward_id) if place is not None and place.ward_id else UNSURE
            places.append({"ward": ward, "text": answer.text or ""})
    return {"pins": pins, "places": places}


def map_settings() -> dict:
    """What the page's map needs: boundaries, and the tile server only if one is configured."""
    bounds = geo.boundaries()
    lat, lng = bounds.centre
    return {"boundaries": bounds.geojson, "centre": [lat, lng],
            "bounds": [[bounds.bounds[1], bounds.bounds[0]], [bounds.bounds[3], bounds.bounds[2]]],
            "tiles": current_app.config.get("MAP_TILE_URL") or None,
            "attribution": current_app.config.get("MAP_TILE_ATTRIBUTION") or ""}


# --- results ----------------------------------------------------------------------------------
@dataclass
class Place:
    answer_id: int
    reference: str
    submitted_at: object
    channel: str
    text: str
    lat: float | None
    lng: float | None
    ward_id: int | None
    ward_name: str


def places(question) -> list[Place]:
    """Every place given in answer to the question, oldest first, exact (staff only)."""
    rows = db.session.execute(
        select(Answer.id, Response.reference, Response.submitted_at, Response.channel, Answer.text,
               MapPlace.lat, MapPlace.lng, MapPlace.ward_id, Ward.name)
        .join(Response, Response.id == Answer.response_id)
        .join(MapPlace, MapPlace.answer_id == Answer.id)
        .outerjoin(Ward, Ward.id == MapPlace.ward_id)
        .where(Answer.question_id == question.id)
        .order_by(Response.submitted_at, Answer.id))
    return [Place(*row[:8], row[8] or UNSURE_LABEL) for row in rows]


@dataclass
class WardRow:
    ward_id: int | None
    name: str
    pins: int = 0
    words: int = 0
    themes: list = field(default_factory=list)  # (theme label, comments)

    @property
    def total(self):
        return self.pins + self.words


def by_ward(question, found=None) -> list[WardRow]:
    """Places per ward (pins and places described in words), every ward listed, then "not sure"."""
    rows = {w.id: WardRow(w.id, w.name) for w in Ward.query.order_by(Ward.name)}
    unsure = WardRow(None, UNSURE_LABEL)
    for place in found if found is not None else places(question):
        row = rows.get(place.ward_id, unsure)
        if place.lat is not None:
            row.pins += 1
        else:
            row.words += 1
    return list(rows.values()) + ([unsure] if unsure.total else [])


def themes_by_ward(question, rows: list[WardRow]) -> bool:
    """Fill each ward row's themes from the theme engine's latest grouping of the comments (each
    comment counted once, in its first theme). False when the comments have no themes yet."""
    from app.themes.models import Theme, ThemeAssignment
    from app.themes.services import resolve

    counts = db.session.execute(
        select(MapPlace.ward_id, ThemeAssignment.theme_id, func.count(ThemeAssignment.id))
        .join(Answer, Answer.id == ThemeAssignment.answer_id)
        .join(MapPlace, MapPlace.answer_id == Answer.id)
        .where(Answer.question_id == question.id, ThemeAssignment.rank == 1)
        .group_by(MapPlace.ward_id, ThemeAssignment.theme_id)).all()
    if not counts:
        return False
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(Theme.question_id == question.id))}
    by_ward_id = {row.ward_id: row for row in rows}
    merged: dict[tuple, int] = {}
    for ward_id, theme_id, count in counts:
        theme = resolve(themes.get(theme_id))
        if theme is None or theme.not_relevant:
            continue
        key = (ward_id if ward_id in by_ward_id else None, theme.display_label)
        merged[key] = merged.get(key, 0) + count
    for (ward_id, label), count in merged.items():
        row = by_ward_id.get(ward_id)
        if row is not None:
            row.themes.append((label, count))
    for row in rows:
        row.themes.sort(key=lambda item: (-item[1], item[0]))
    return True


def density(found: list[Place], metres: float) -> list[geo.Cell]:
    bounds = geo.boundaries()
    return geo.density([(p.lat, p.lng) for p in found if p.lat is not None], geo.grid(bounds, metres))


def public_summary(question) -> dict:
    """What a public results page may show: counts per ward and pins counted in squares of
    MAP_PUBLIC_GRID_METRES. No comment and no exact position leaves this function."""
    found = places(question)
    metres = current_app.config.get("MAP_PUBLIC_GRID_METRES", 250)
    return {"wards": by_ward(question, found), "cells": density(found, metres), "metres": metres,
            "total": len(found), "pins": sum(1 for p in found if p.lat is not None)}


# --- exports (staff: exact) -------------------------------------------------------------------
EXPORT_HEADER = ["Reference", "Submitted (UK time)", "Channel", "Latitude", "Longitude", "Ward",
                 "How the place was given", "Comment"]


class Coordinate(float):
    """A latitude or longitude for the CSV: written as a plain number (a negative longitude is not
    a formula), unlike text cells, which app.common.csvutil.safe_cell() guards."""

    def __new__(cls, value):
        return None if value is None else super().__new__(cls, value)

    def __str__(self):
        return f"{float(self):.6f}"


def export_csv(question) -> str:
    import csv
    import io

    from app.common.csvutil import safe_cell

    header, rows = export_rows(question)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([str(v) if isinstance(v, Coordinate) else safe_cell(v) for v in row])
    return "\ufeff" + buffer.getvalue()


def export_rows(question):
    from app.common.timeutil import format_london
    from app.consultations.models import CHANNELS

    rows = []
    for p in places(question):
        rows.append([p.reference, format_london(p.submitted_at, "%Y-%m-%d %H:%M"), CHANNELS.get(p.channel, p.channel),
                     Coordinate(p.lat), Coordinate(p.lng),
                     p.ward_name, "Pin on the map" if p.lat is not None else "Described in words", p.text])
    return EXPORT_HEADER, rows


def export_geojson(question) -> dict:
    """The pins as a GeoJSON FeatureCollection (WGS84), for the council's GIS. Places described in
    words have no position and are in the CSV only."""
    from app.common.timeutil import format_london

    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lng, p.lat]},
                 "properties": {"reference": p.reference, "submitted": format_london(p.submitted_at, "%Y-%m-%d %H:%M"),
                                "channel": p.channel, "ward": p.ward_name, "comment": p.text}}
                for p in places(question) if p.lat is not None]
    return {"type": "FeatureCollection", "name": question.text, "features": features}
