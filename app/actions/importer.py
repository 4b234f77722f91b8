"""Import an action plan from CSV in the column shape councils already publish.

Required columns: Objective, Action, How will we know we have achieved it?, Key milestones.
Optional: Priority, Portfolio holder, Lead officer, Timescale. Every problem row is reported
with its line number and nothing is imported unless the whole file is good.
"""
import calendar
import csv
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.actions import services
from app.actions.models import Action, ActionPlan, ImportDraft, Milestone
from app.common.timeutil import utcnow
from app.extensions import db

REQUIRED = ["Objective", "Action", "How will we know we have achieved it?", "Key milestones"]
OPTIONAL = ["Priority", "Portfolio holder", "Lead officer", "Timescale"]
MAX_ROWS = 500
DRAFT_HOURS = 24  # how long a checked file waits for "Import"
# Every imported text is checked against these, so nothing reaches a column too small for it
# (PostgreSQL refuses an over-long string; tests/actions/test_import.py compares them with the models).
LIMITS = {"objective": 2000, "number": 20, "title": 300, "description": 5000, "how_we_will_know": 5000,
          "priority": 200, "lead_officer": 200, "timescale": 120, "milestone": 300}
LABELS = {"objective": "Objective", "number": "Action number (before the title)",
          "title": "Action title (before the first full stop)", "description": "Action description",
          "how_we_will_know": "“How will we know”", "priority": "Priority", "lead_officer": "Lead officer",
          "timescale": "Timescale"}

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
SEASON_END_MONTH = {"spring": 5, "summer": 8, "autumn": 11, "winter": 2}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_RANGE = re.compile(rf"^{_MONTH}(?:\s+(\d{{4}}))?\s*(?:to|-|–)\s*{_MONTH}\s+(\d{{4}})$", re.I)
_MONTH_YEAR = re.compile(rf"^(?:by\s+|end\s+of\s+)?{_MONTH}\s+(\d{{4}})$", re.I)
_DAY_MONTH_YEAR = re.compile(rf"^(?:by\s+)?(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})$", re.I)
_SEASON = re.compile(r"^(spring|summer|autumn|winter)\s+(\d{4})$", re.I)
_QUARTER = re.compile(r"^q([1-4])\s+(\d{4})\s*(?:/|-|to)\s*(\d{2,4})$", re.I)  # financial year quarter
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NUMBERED = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?(?:\s+(.*))?$", re.S)


def decode_upload(data: bytes) -> str:
    """The text of an uploaded CSV: UTF-8 (with or without a BOM), else Windows-1252, which is
    what Excel's plain "CSV (Comma delimited)" writes on a UK Windows PC. Raises ValueError for
    anything that is not text."""
    if b"\x00" in data:  # UTF-16 or a binary file: no CSV of ours has NUL bytes
        raise ValueError("not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:  # bytes that are undefined in Windows-1252
        raise ValueError("not text") from exc


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_end(text: str) -> date | None:
    """The last day of a period such as "April to June 2026", "March 2027", "Q2 2026/27"."""
    text = " ".join(text.split()).strip(" .")
    try:
        if m := _RANGE.match(text):
            return _month_end(int(m.group(4)), MONTHS[m.group(3).lower()])
        if m := _MONTH_YEAR.match(text):
            return _month_end(int(m.group(2)), MONTHS[m.group(1).lower()])
        if m := _DAY_MONTH_YEAR.match(text):
            return date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
        if m := _SEASON.match(text):
            season, year = m.group(1).lower(), int(m.group(2))
            return _month_end(year + 1 if season == "winter" else year, SEASON_END_MONTH[season])
        if m := _QUARTER.match(text):
            quarter, year = int(m.group(1)), int(m.group(2))
            # UK financial year: Q1 is April to June.
            end_month = {1: 6, 2: 9, 3: 12, 4: 3}[quarter]
            return _month_end(year + 1 if quarter == 4 else year, end_month)
        if m := _ISO.match(text):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except (ValueError, KeyError):
        return None
    return None


def parse_milestones(text: str) -> list[dict]:
    """ "April to June 2026: pilot in two parks; ..." -> [{title, period_text, target_date}]."""
    found = []
    for part in re.split(r"[;\n]+", text or ""):
        part = part.strip(" .\t")
        if not part:
            continue
        period, sep, rest = part.partition(":")
        target = period_end(period) if sep else None
        if target and rest.strip():
            title, period_text = rest.strip(), " ".join(period.split())
        else:
            title, period_text, target = part, "", None
        found.append({"title": title[:1].upper() + title[1:], "period_text": period_text[:80],
                      "target_date": target})
    return found


def split_action(text: str) -> tuple[str, str, str]:
    """ "1.1 Light the routes. Install lighting ..." -> ("1.1", "Light the routes", "Install ...")."""
    text = " ".join((text or "").split())
    number = ""
    if m := _NUMBERED.match(text):
        number, text = m.group(1), m.group(2) or ""
    title, sep, rest = text.partition(". ")
    if not sep:
        title, rest = text.rstrip("."), ""
    return number, title.strip(), rest.strip()


@dataclass
class ParsedRow:
    line: int
    fields: dict
    milestones: list
    portfolio_holder: object = None


@dataclass
class ImportResult:
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # (line number or None, message)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _get(record: dict, header_map: dict, name: str) -> str:
    key = header_map.get(name.lower())
    return (record.get(key) or "").strip() if key is not None else ""


def parse_plan_csv(text: str) -> ImportResult:
    """Check every row; report all problems (with line numbers) rather than stopping at the first."""
    result = ImportResult()
    text = (text or "").lstrip("\ufeff")
    if not text.strip():
        result.problems.append((None, "The file is empty"))
        return result
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as exc:
        result.problems.append((1, f"The heading row could not be read ({exc})"))
        return result
    header_map = {h.strip().lower(): i for i, h in enumerate(header)}
    missing = [name for name in REQUIRED if name.lower() not in header_map]
    if missing:
        result.problems.append((1, "The heading row is missing the column" + ("s " if len(missing) > 1 else " ")
                                + ", ".join(f"“{m}”" for m in missing)))
        return result
    numbers_seen = {}
    line = reader.line_num + 1
    rows_seen = 0  # actions in the file, good or bad (a row may have several problems)
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            # Report it and carry on: the reader resumes at the next line, so later rows are checked too.
            rows_seen += 1
            result.problems.append((line, f"This row could not be read ({exc})"))
            if reader.line_num + 1 <= line:
                break  # the reader did not move on; stop rather than loop
            line = reader.line_num + 1
            continue
        start, line = line, reader.line_num + 1
        if not any(v.strip() for v in values):
            continue
        rows_seen += 1
        if rows_seen > MAX_ROWS:
            result.problems.append((start, f"The file has more than {MAX_ROWS} actions; split it up"))
            break
        record = {i: v for i, v in enumerate(values)}
        parsed, row_problems = _parse_row(start, record, header_map, numbers_seen)
        result.problems += [(start, p) for p in row_problems]
        if not row_problems:
            result.rows.append(parsed)
    if not result.rows and not result.problems:
        result.problems.append((None, "The file has a heading row but no actions"))
    return result


def _parse_row(line, record, header_map, numbers_seen):
    problems = []
    objective = _get(record, header_map, "Objective")
    action_text = _get(record, header_map, "Action")
    how = _get(record, header_map, "How will we know we have achieved it?")
    milestones_text = _get(record, header_map, "Key milestones")
    holder_name = _get(record, header_map, "Portfolio holder")
    number, title, description = split_action(action_text)
    fields = {"objective": objective, "number": number, "title": title, "description": description,
              "how_we_will_know": how, "priority": _get(record, header_map, "Priority"),
              "lead_officer": _get(record, header_map, "Lead officer"),
              "timescale": _get(record, header_map, "Timescale")}
    if not objective:
        problems.append("Objective is empty")
    if not action_text:
        problems.append("Action is empty")
    elif not title:
        problems.append("Action has a number but no title")
    if not how:
        problems.append("“How will we know we have achieved it?” is empty")
    for name, label in LABELS.items():
        if len(fields[name]) > LIMITS[name]:
            problems.append(f"{label} is longer than {LIMITS[name]} characters")
    if number:
        if number in numbers_seen:
            problems.append(f"Action number {number} is also used on line {numbers_seen[number]}")
        else:
            numbers_seen[number] = line
    milestones = parse_milestones(milestones_text)
    for m in milestones:
        if len(m["title"]) > LIMITS["milestone"]:
            problems.append(f"A milestone is longer than {LIMITS['milestone']} characters")
            break
    holder = None
    if holder_name:
        holder = services.councillor_by_name(holder_name)
        if holder is None:
            problems.append(f"Portfolio holder “{holder_name[:80]}” is not a councillor with an account")
    return ParsedRow(line, fields, milestones, holder), problems


def save_draft(user, title: str, text: str) -> str:
    """Keep a checked file for its officer to confirm; returns the token the preview form carries.
    Also removes drafts nobody confirmed in time. Flushes."""
    ImportDraft.query.filter(ImportDraft.created_at < utcnow() - timedelta(hours=DRAFT_HOURS)).delete()
    token = secrets.token_urlsafe(32)
    db.session.add(ImportDraft(token=token, user_id=user.id, title=title.strip(), csv_text=text))
    db.session.flush()
    return token


class DraftExpired(Exception):
    """The officer's checked file waited too long; ``title`` refills the upload form."""

    def __init__(self, title: str):
        super().__init__(title)
        self.title = title


def take_draft(user, token: str) -> tuple[str, str] | None:
    """(title, CSV text) of this officer's unexpired draft, deleted so it is imported at most once:
    a second click (or a concurrent request) finds nothing. None if there is no such draft;
    DraftExpired (the draft deleted, flushed) if it was checked too long ago."""
    draft = ImportDraft.query.filter_by(token=token or "", user_id=user.id).first()
    if draft is None:
        return None
    if draft.created_at < utcnow() - timedelta(hours=DRAFT_HOURS):
        db.session.delete(draft)
        db.session.flush()
        raise DraftExpired(draft.title)
    title, text = draft.title, draft.csv_text
    if not ImportDraft.query.filter_by(id=draft.id).delete():
        return None
    return title, text


def import_plan(title: str, result: ImportResult, summary: str = "", user=None) -> ActionPlan:
    """Create the plan, unpublished, from a checked file (the caller re-checks on confirm), and
    note the import in its history. Flushes."""
    from app.actions.publishing import plural, record

    if not result.ok:
        raise ValueError("Only a file without problems can be imported")
    # A draft: residents see nothing until an officer has looked at it and published it.
    plan = ActionPlan(title=title.strip(), summary=summary.strip(), published=False)
    db.session.add(plan)
    for position, row in enumerate(result.rows):
        action = Action(position=position, portfolio_holder=row.portfolio_holder, **row.fields)
        action.priority = action.priority or action.objective[:200]
        for m in row.milestones:
            action.milestones.append(Milestone(**m))
        plan.actions.append(action)
    db.session.flush()
    milestones = sum(len(row.milestones) for row in result.rows)
    record(plan, user, "imported", f"Imported from a CSV file: {plural(len(plan.actions), 'action')} and "
                                   f"{plural(milestones, 'milestone')}, not yet published")
    return plan
