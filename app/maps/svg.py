"""The results map as inline SVG, drawn on the server: ward boundaries and pins counted per square.

Works without JavaScript and without a tile server; the page gives the same figures as a table.
"""
import math

from markupsafe import Markup, escape

WIDTH = 640
PALETTE = ("#d2e2f1", "#a5c5e3", "#6fa3d1", "#1d70b8", "#003078")  # light to dark (GOV.UK blues)


def _projector(bounds, width):
    min_lng, min_lat, max_lng, max_lat = bounds
    squash = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = width / ((max_lng - min_lng) * squash)
    height = (max_lat - min_lat) * scale

    def project(lat, lng):
        return round((lng - min_lng) * squash * scale, 1), round((max_lat - lat) * scale, 1)
    return project, round(height)


def _rings(geometry):
    polygons = geometry.geoms if geometry.geom_type == "MultiPolygon" else [geometry]
    for polygon in polygons:
        yield polygon.exterior.coords
        yield from (interior.coords for interior in polygon.interiors)


def _shade(count, most):
    if most <= 1:
        return PALETTE[3]
    step = min(len(PALETTE) - 1, int((count - 1) * len(PALETTE) / most))
    return PALETTE[step]


def density_map(boundaries, cells, title) -> Markup:
    pad = 8
    project, height = _projector(boundaries.bounds, WIDTH - 2 * pad)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="app-map-svg" viewBox="{-pad} {-pad} {WIDTH} '
             f'{height + 2 * pad}" role="img" aria-label="{escape(title)}">'
             f'<title>{escape(title)}</title>']
    most = max((c.count for c in cells), default=0)
    for cell in cells:
        x1, y1 = project(cell.north, cell.west)
        x2, y2 = project(cell.south, cell.east)
        parts.append(f'<rect x="{x1}" y="{y1}" width="{round(x2 - x1, 1)}" height="{round(y2 - y1, 1)}" '
                     f'fill="{_shade(cell.count, most)}"><title>{cell.count} '
                     f'{"pin" if cell.count == 1 else "pins"}</title></rect>')
    for ward in boundaries.wards:
        path = " ".join("M" + " L".join(f"{x},{y}" for x, y in (project(lat, lng) for lng, lat in ring)) + " Z"
                        for ring in _rings(ward.geometry))
        parts.append(f'<path d="{path}" fill="none" stroke="#0b0c0c" stroke-width="1.5"/>')
        point = ward.geometry.representative_point()
        x, y = project(point.y, point.x)
        parts.append(f'<text x="{x}" y="{y}" text-anchor="middle" font-family="arial, sans-serif" font-size="13" fill="#0b0c0c" '
                     f'stroke="#fff" stroke-width="3" paint-order="stroke">{escape(ward.name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
