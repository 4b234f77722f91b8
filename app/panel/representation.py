"""Who is on the panel (or answered a consultation) against the borough's population.

For each characteristic and group: count, % of those whose group is known, population %, and
ratio = panel % / population %; a group is under-represented when the ratio is below 0.8.
Score per characteristic = 1 − total variation distance = Σ_g min(panel %, population %)
(1 = same make-up as the borough, 0 = nobody in common); the overall score is their mean.

Small numbers: counts from 1 to SMALL_NUMBER_THRESHOLD−1 are shown as "fewer than N", with their
% and ratio hidden. Because each characteristic's total is shown, a single hidden cell could be
worked out by subtraction; so when exactly one cell is hidden, the next smallest count is hidden
too (secondary suppression).
"""
import csv
import io
from collections import Counter

from flask import current_app

from app.consultations.models import AboutYou
from app.extensions import db
from app.panel import groups as G
from app.panel.models import ACTIVE, PAUSED, CensusReference, PanelMember
from app.wards.models import Ward

UNDER_REPRESENTED_RATIO = 0.8


def import_census(text: str) -> tuple[int, list[str]]:
    """Replace the reference figures from `characteristic,group,count` CSV text. Any bad line
    means nothing changes; problems name the line."""
    wards = Ward.query.order_by(Ward.name).all()
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if header != ["characteristic", "group", "count"]:
        return 0, ["Line 1 must be the headings: characteristic,group,count"]
    problems, rows = [], {}
    for line_no, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            problems.append(f"Line {line_no}: expected 3 values (characteristic, group, count), found {len(row)}")
            continue
        characteristic, group_text, count_text = (cell.strip() for cell in row)
        characteristic = characteristic.lower()
        if characteristic not in G.CHARACTERISTICS:
            problems.append(f"Line {line_no}: '{characteristic[:40]}' is not one of "
                            + ", ".join(G.CHARACTERISTICS))
            continue
        group = G.match_group(characteristic, group_text, wards)
        if group is None:
            problems.append(f"Line {line_no}: '{group_text[:60]}' is not a {G.characteristic_label(characteristic).lower()} group we know")
            continue
        if not count_text.isdigit() or len(count_text) > 9:
            problems.append(f"Line {line_no}: the count '{count_text[:20]}' must be a whole number of 0 or more")
            continue
        if (characteristic, group) in rows:
            problems.append(f"Line {line_no}: {characteristic} '{group_text[:60]}' appears twice")
            continue
        rows[(characteristic, group)] = int(count_text)
    if not problems and not rows:
        problems.append("The file has no rows of figures")
    if problems:
        return 0, problems
    CensusReference.query.delete()
    for (characteristic, group), count in rows.items():
        db.session.add(CensusReference(characteristic=characteristic, group_key=group, count=count))
    db.session.flush()
    return len(rows), []


def reference() -> dict:
    result = {c: {} for c in G.CHARACTERISTICS}
    for row in CensusReference.query.all():
        result.setdefault(row.characteristic, {})[row.group_key] = row.count
    return result


def composition(records) -> dict:
    ward_names = dict(db.session.query(Ward.id, Ward.name).all())
    return {c: Counter(G.group_of(c, r, ward_names) for r in records) for c in G.CHARACTERISTICS}


def panel_members():
    return PanelMember.query.filter(PanelMember.status.in_([ACTIVE, PAUSED])).all()


def respondents(consultation_id):
    return AboutYou.query.filter_by(consultation_id=consultation_id).all()


def table(characteristic, counts: Counter, population: dict, threshold: int, wards=None) -> dict:
    """One characteristic's rows (see module docstring) plus its total and score."""
    keys = [k for k, _ in G.groups_for(characteristic, wards)]
    keys += [k for k in population if k not in keys] + [k for k in counts if k not in keys and k != G.UNKNOWN]
    known = sum(counts[k] for k in keys if k in population)
    pop_total = sum(population.values())
    rows = []
    for key in keys + [G.UNKNOWN]:
        count = counts.get(key, 0)
        in_reference = key in population
        pct = 100 * count / known if known and in_reference else None
        pop_pct = 100 * population[key] / pop_total if pop_total and in_reference else None
        ratio = pct / pop_pct if pct is not None and pop_pct else None
        rows.append({"key": key, "label": G.label_of(characteristic, key), "count": count, "pct": pct,
                     "population_pct": pop_pct, "ratio": ratio, "suppressed": False,
                     "under": ratio is not None and ratio < UNDER_REPRESENTED_RATIO})
    _suppress(rows, threshold)
    score = None
    if known and pop_total:
        score = sum(min(r["pct"], r["population_pct"]) for r in rows
                    if r["pct"] is not None and r["population_pct"] is not None) / 100
    return {"characteristic": characteristic, "label": G.characteristic_label(characteristic), "rows": rows,
            "total": sum(counts.values()), "known": known, "score": score, "has_reference": bool(pop_total)}


def _suppress(rows, threshold):
    for row in rows:
        if 0 < row["count"] < threshold:
            row["suppressed"] = True
    hidden = [r for r in rows if r["suppressed"]]
    if len(hidden) == 1:
        visible = sorted((r for r in rows if not r["suppressed"] and r["count"] > 0), key=lambda r: r["count"])
        if visible:
            visible[0]["suppressed"] = True
    for row in rows:
        if row["suppressed"]:
            row["shown_count"], row["pct"], row["ratio"] = None, None, None
        else:
            row["shown_count"] = row["count"]


def report(records, threshold=None) -> dict:
    """Tables for every characteristic and the overall score (mean of the characteristic scores)."""
    threshold = threshold or current_app.config["SMALL_NUMBER_THRESHOLD"]
    wards = Ward.query.order_by(Ward.name).all()
    counts, population = composition(records), reference()
    tables = [table(c, counts[c], population.get(c, {}), threshold, wards) for c in G.CHARACTERISTICS]
    scores = [t["score"] for t in tables if t["score"] is not None]
    return {"tables": tables, "total": len(records), "threshold": threshold,
            "score": sum(scores) / len(scores) if scores else None,
            "has_reference": any(t["has_reference"] for t in tables)}


def compare(first: dict, second: dict) -> list[dict]:
    """Pair two reports' tables row by row (panel vs a consultation's respondents)."""
    paired = []
    for a, b in zip(first["tables"], second["tables"]):
        b_rows = {r["key"]: r for r in b["rows"]}
        rows = [{"label": r["label"], "key": r["key"], "a": r, "b": b_rows.get(r["key"])} for r in a["rows"]]
        rows += [{"label": r["label"], "key": r["key"], "a": None, "b": r}
                 for r in b["rows"] if r["key"] not in {x["key"] for x in a["rows"]}]
        paired.append({"label": a["label"], "characteristic": a["characteristic"], "rows": rows, "a": a, "b": b})
    return paired
