"""The borough's ward boundaries, which ward a point is in, and the grid that blurs and counts pins.

Point-in-polygon is Shapely's (GEOS): boundaries a council exports from its GIS have holes,
several parts and thousands of vertices, which a hand-written ray cast gets wrong at the edges.
Distances use a flat projection at the borough's latitude: for squares of a few hundred metres
over a borough a few kilometres across the error is well under one per cent.
"""
import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from shapely import prepared
from shapely.geometry import Point, shape
from shapely.ops import unary_union

METRES_PER_DEGREE_LAT = 111_320.0


class BoundariesMissing(Exception):
    """MAP_BOUNDARIES_FILE is not set, missing or not GeoJSON."""


@dataclass(frozen=True)
class WardShape:
    slug: str
    name: str
    geometry: object  # a shapely (Multi)Polygon
    test: object  # its prepared form, for fast containment tests


@dataclass(frozen=True)
class Boundaries:
    wards: tuple[WardShape, ...]
    borough: object  # the union of the wards
    geojson: dict  # the file as read: sent to the map in the page
    bounds: tuple[float, float, float, float]  # min lng, min lat, max lng, max lat

    @property
    def centre(self) -> tuple[float, float]:
        """(lat, lng) of the middle of the borough's bounding box."""
        min_lng, min_lat, max_lng, max_lat = self.bounds
        return (min_lat + max_lat) / 2, (min_lng + max_lng) / 2

    def ward_at(self, lat: float, lng: float) -> str | None:
        """The slug of the ward the point is in (on a shared edge: the first listed), else None."""
        point = Point(lng, lat)
        for ward in self.wards:
            if ward.test.covers(point):
                return ward.slug
        return None

    def contains(self, lat: float, lng: float) -> bool:
        return self.ward_at(lat, lng) is not None


def load(path: str) -> Boundaries:
    try:
        mtime = os.path.getmtime(path)
    except (OSError, TypeError) as exc:
        raise BoundariesMissing(f"No ward boundaries at {path!r} (MAP_BOUNDARIES_FILE)") from exc
    return _load(path, mtime)


@lru_cache(maxsize=4)
def _load(path: str, _mtime: float) -> Boundaries:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        wards = []
        for feature in data["features"]:
            geometry = shape(feature["geometry"])
            if not geometry.is_valid:
                geometry = geometry.buffer(0)
            props = feature.get("properties") or {}
            wards.append(WardShape(props["slug"], props.get("name") or props["slug"], geometry,
                                   prepared.prep(geometry)))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BoundariesMissing(f"Could not read ward boundaries from {path!r}: {exc}") from exc
    if not wards:
        raise BoundariesMissing(f"No wards in {path!r}")
    borough = unary_union([w.geometry for w in wards])
    return Boundaries(tuple(wards), borough, data, tuple(borough.bounds))


def boundaries() -> Boundaries:
    return load(current_app.config.get("MAP_BOUNDARIES_FILE"))


# --- the grid ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Grid:
    """Squares `metres` across, anchored at the south-west corner of the borough, so the same pin
    always falls in the same square (blurring by grid, not random jitter: reloading a page or
    comparing two exports can't average the blur away)."""

    origin_lat: float
    origin_lng: float
    metres: float

    @property
    def dlat(self) -> float:
        return self.metres / METRES_PER_DEGREE_LAT

    @property
    def dlng(self) -> float:
        return self.metres / (METRES_PER_DEGREE_LAT * math.cos(math.radians(self.origin_lat)))

    def cell(self, lat: float, lng: float) -> tuple[int, int]:
        return math.floor((lat - self.origin_lat) / self.dlat), math.floor((lng - self.origin_lng) / self.dlng)

    def centre(self, cell: tuple[int, int]) -> tuple[float, float]:
        row, col = cell
        return (round(self.origin_lat + (row + 0.5) * self.dlat, 5),
                round(self.origin_lng + (col + 0.5) * self.dlng, 5))

    def corners(self, cell: tuple[int, int]) -> tuple[float, float, float, float]:
        """(south, west, north, east) of a square."""
        row, col = cell
        south, west = self.origin_lat + row * self.dlat, self.origin_lng + col * self.dlng
        return south, west, south + self.dlat, west + self.dlng

    def blur(self, lat: float, lng: float) -> tuple[float, float]:
        """The centre of the square the point is in: what public pages may show."""
        return self.centre(self.cell(lat, lng))


def grid(bounds: Boundaries, metres: float) -> Grid:
    min_lng, min_lat, _max_lng, _max_lat = bounds.bounds
    return Grid(min_lat, min_lng, float(metres))


@dataclass
class Cell:
    lat: float  # centre
    lng: float
    south: float
    west: float
    north: float
    east: float
    count: int


def density(points, the_grid: Grid) -> list[Cell]:
    """Pins counted per square of the grid (the clusters drawn on the results map), busiest first."""
    counts: dict[tuple[int, int], int] = {}
    for lat, lng in points:
        key = the_grid.cell(lat, lng)
        counts[key] = counts.get(key, 0) + 1
    cells = []
    for key, count in counts.items():
        lat, lng = the_grid.centre(key)
        cells.append(Cell(lat, lng, *the_grid.corners(key), count))
    return sorted(cells, key=lambda c: (-c.count, c.lat, c.lng))
