"""Ward lists and postcode look-up."""
import csv
import io
import re
import unicodedata

from app.extensions import db
from app.wards.models import Postcode, Ward

POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


SLUG_MAX = 80  # topics.slug, the shortest slug column; ward slugs (120) fit as well


def slugify(text: str, max_length: int = SLUG_MAX) -> str:
    """Lower-case ASCII words joined by hyphens, never longer than the slug columns.

    Accents are dropped first ("Môn" -> "mon"), and the cut comes after lower-casing because
    lower-casing can lengthen text ("İ" becomes two characters).
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:max_length].rstrip("-")


def all_wards():
    return Ward.query.order_by(Ward.name).all()


def ward_choices(blank: str | None = None):
    choices = [(str(w.id), w.name) for w in all_wards()]
    return ([("", blank)] if blank is not None else []) + choices


def normalise_postcode(text: str) -> str | None:
    """'nb12ab' -> 'NB1 2AB'; None when it is not shaped like a UK postcode."""
    compact = re.sub(r"\s+", "", (text or "").upper())
    match = POSTCODE_RE.match(compact)
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


def ward_for_postcode(text: str) -> Ward | None:
    postcode = normalise_postcode(text)
    if postcode is None:
        return None
    row = db.session.get(Postcode, postcode)
    return row.ward if row else None


def add_ward(name: str) -> Ward:
    ward = Ward(name=name.strip(), slug=slugify(name))
    db.session.add(ward)
    db.session.flush()
    return ward


def import_postcodes(text: str) -> tuple[int, list[str]]:
    """Load a `postcode,ward` CSV. Any bad row means nothing is imported; returns (count, problems)."""
    wards = {w.name.lower(): w for w in all_wards()}
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "postcode" not in headers or "ward" not in headers:
        return 0, ["The first line must be the headings: postcode,ward"]
    problems, rows = [], {}
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        postcode = normalise_postcode(row.get("postcode", ""))
        ward = wards.get(row.get("ward", "").lower())
        if postcode is None:
            problems.append(f"Line {line}: '{row.get('postcode', '')}' is not a UK postcode")
        elif ward is None:
            problems.append(f"Line {line}: there is no ward called '{row.get('ward', '')}'")
        else:
            rows[postcode] = ward.id
    if problems:
        return 0, problems
    if not rows:
        return 0, ["The file has no rows"]
    for postcode, ward_id in rows.items():
        existing = db.session.get(Postcode, postcode)
        if existing:
            existing.ward_id = ward_id
        else:
            db.session.add(Postcode(postcode=postcode, ward_id=ward_id))
    db.session.flush()
    return len(rows), []
