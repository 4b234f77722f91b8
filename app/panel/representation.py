"""Who is on the panel (or answered a consultation) against the borough's population.

For each characteristic and group: count, % of those whose group is known, population %, and
ratio = panel % / population %; a group is under-represented when the ratio is below 0.8.
Score per characteristic = 1 − total variation distance = Σ_g min(panel %, population %)
(1 = same make-up as the borough, 0 = nobody in common); the overall score is the mean of those
that can be shown.

Small numbers: counts from 1 to SMALL_NUMBER_THRESHOLD−1 are shown as "fewer than N", with their
% and ratio hidden; other counts are hidden as well when a small one could be worked out from them
(see _suppress). When the whole report counts fewer than N people, every table is hidden.
"""
import csv
import io
from collections import Counter

from flask import current_app

from app.consultations.models import AboutYou
from app.extensions import db
from app.panel import groups as G
from app.panel.models import ACTIVE, PAUSED, CensusReference, PanelEquality, PanelMember
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
    members = PanelMember.query.filter(PanelMember.status.in_([ACTIVE, PAUSED])).all()
    PanelEquality.load(members)  # their equality answers, matched by pseudonym in the app
    return members


def respondents(consultation_id):
    return AboutYou.query.filter_by(consultation_id=consultation_id).all()


def table(characteristic, counts: Counter, population: dict, threshold: int, wards=None) -> dict:
    """One characteristic's rows (see module docstring) plus its total and score."""
    keys = [k for k, _ in G.groups_for(characteristic, wards)]
    keys += [k for k in population if k not in keys] + [k for k in counts if k not in keys and k != G.UNKNOWN]
    known = sum(counts[k] for k in keys if k in population)
    pop_total = sum(population.values())
    total = sum(counts.values())
    rows = []
    for key in keys + [G.UNKNOWN]:
        count = counts.get(key, 0)
        in_reference = key in population
        pct = 100 * count / known if known and in_reference else None
        pop_pct = 100 * population[key] / pop_total if pop_total and in_reference else None
        ratio = pct / pop_pct if pct is not None and pop_pct else None
        rows.append({"key": key, "label": G.label_of(characteristic, key), "count": count, "pct": pct,
                     "population_pct": pop_pct, "ratio": ratio, "suppressed": False, "primary": False,
                     "in_reference": in_reference,
                     "under": ratio is not None and ratio < UNDER_REPRESENTED_RATIO})
    hidden_table = 0 < total < threshold
    pct_hidden = _suppress(rows, threshold, hide_all=hidden_table)
    # The score uses the full counts, but the hidden census cells count as one block (their
    # combined % against their combined borough %), so with the %s shown it can be worked out from
    # them and says nothing new. When the %s are hidden it would (e.g. female 12, male 15, not known
    # 3: 0.84 = 12/27 + 0.40 gives the 12 back), so then it is not shown ("score_shown" None).
    score = None
    census_rows = [r for r in rows if r["in_reference"]]
    visible = [r for r in census_rows if not r["suppressed"]]
    if known and pop_total and visible and not hidden_table:
        block = [r for r in census_rows if r["suppressed"]]
        score = sum(min(100 * r["count"] / known, r["population_pct"]) for r in visible)
        if block:
            score += min(100 * sum(r["count"] for r in block) / known, sum(r["population_pct"] for r in block))
        score /= 100
    return {"characteristic": characteristic, "label": G.characteristic_label(characteristic), "rows": rows,
            "total": None if hidden_table else total, "known": None if pct_hidden else known, "score": score,
            "score_shown": None if pct_hidden else score,
            "has_reference": bool(pop_total), "hidden": hidden_table, "pct_hidden": pct_hidden}


def _suppress(rows, threshold, hide_all=False) -> bool:
    """Hide small counts and enough others that none can be worked out; True when the table's
    percentages must be hidden too.

    What a reader knows besides the shown counts: the total (the same on every table of a
    report), and "those known" (= the census rows' sum) whenever a census row shows its % (count ÷ %)
    or every census row is shown, or every other row is shown (total − their sum). So within the
    census rows, and within the other rows (not known, groups without census figures), a group
    whose sum can be worked out must never have exactly one hidden count, nor hidden counts that
    are all 1. When a group has no
    other count to hide, the percentages go and a count in the other group is hidden instead, so
    neither sum can be worked out.
    """
    for row in rows:
        if 0 < row["count"] < threshold or hide_all:
            row["suppressed"] = row["primary"] = True
    census = [r for r in rows if r["in_reference"]]
    others = [r for r in rows if not r["in_reference"]]
    pct_hidden = hide_all

    def sums_known():
        shown_pct = not pct_hidden and any(not r["suppressed"] and r["count"] > 0 for r in census)
        return shown_pct or all(not r["suppressed"] for r in census) or all(not r["suppressed"] for r in others)

    def hide_smallest(group) -> bool:
        candidates = sorted((r for r in group if not r["suppressed"] and r["count"] > 0), key=lambda r: r["count"])
        if candidates:
            candidates[0]["suppressed"] = True
        return bool(candidates)

    changed = not hide_all
    while changed:
        changed = False
        if not sums_known():
            break
        for group, other in ((census, others), (others, census)):
            hidden = [r["count"] for r in group if r["suppressed"] and r["count"] > 0]
            # One hidden count equals the group's sum minus the shown ones; several hidden counts
            # that are all 1 are given away too (a hidden count is at least 1).
            if len(hidden) == 1 or (hidden and sum(hidden) == len(hidden)):
                changed = hide_smallest(group)
                if not changed:
                    pct_hidden = True
                    changed = hide_smallest(other)
                break
    for row in rows:
        if row["suppressed"]:
            # No "under-represented" tag either: which of two hidden counts is under would tell
            # them apart (1 and 2 hidden, 3 between them: the one tagged is the 1).
            row["shown_count"], row["pct"], row["ratio"], row["under"] = None, None, None, False
        else:
            row["shown_count"] = row["count"]
        if pct_hidden:
            row["pct"], row["ratio"], row["under"] = None, None, False
    return pct_hidden


def report(records, threshold=None) -> dict:
    """Tables for every characteristic and the overall score: the mean of the characteristic
    scores that can be shown (a mean including a hidden one would give it away)."""
    threshold = threshold or current_app.config["SMALL_NUMBER_THRESHOLD"]
    wards = Ward.query.order_by(Ward.name).all()
    counts, population = composition(records), reference()
    tables = [table(c, counts[c], population.get(c, {}), threshold, wards) for c in G.CHARACTERISTICS]
    scores = [t["score_shown"] for t in tables if t["score_shown"] is not None]
    hidden = 0 < len(records) < threshold  # then every table is hidden as well
    return {"tables": tables, "total": None if hidden else len(records), "threshold": threshold, "hidden": hidden,
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
