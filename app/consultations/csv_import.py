"""Reading and checking a CSV file of paper, email or event responses before any is saved.

The file is laid out like the responses export (results.export_rows): one response a line, the
questions' wording as column headings, choices by their label (several separated by ";"),
agreement by its label or 1 to 5. "Channel" and "Collected on" are required on every line;
"Reference" and "Submitted (UK time)" may be there (an exported file keeps them) but are not
imported: every imported response gets a new reference.

Every cell is checked and every problem reported with its line and column; the caller saves
nothing unless there are none (imports.py). Paper responses may be incomplete, as in paper entry
(staff_routes.staff_enter_response): a required question may be left empty, but a line with no
answers at all is refused.
"""
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.common.csvutil import unescape_cell
from app.common.timeutil import to_london
from app.consultations import kinds
from app.consultations.forms import FREE_TEXT_MAX
from app.consultations.kinds import other
from app.consultations.models import AGREEMENT_LABELS, CHANNELS, WORKFLOW_CHANNELS, Answer, Response
from app.consultations.responses import collected_on_problem
from app.extensions import db

MAX_ROWS = 2000
MAX_BYTES = 1_500_000  # under the 2 MB request limit, so the officer gets this message, not a 413 page
REFERENCE, SUBMITTED, CHANNEL, COLLECTED = "Reference", "Submitted (UK time)", "Channel", "Collected on"
IMPORT_CHANNELS = {key: label for key, label in CHANNELS.items() if key not in WORKFLOW_CHANNELS}
CAMPAIGN_MIN_WORDS = 6  # as nlp.dedup.DuplicateGrouper's min_tokens: "No" twice is not a campaign
_SHOWN = 60  # characters of a cell quoted back in a problem

_MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"], start=1)}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\s+(\d{4})$", re.I)


class FileProblem(Exception):
    """The file as a whole can't be read (empty, too big, not UTF-8, not a CSV)."""


@dataclass
class Problem:
    line: int | None  # None: the whole file
    column: str  # the heading as typed, "" for the whole line
    message: str


@dataclass
class Row:
    line: int
    channel: str
    collected_on: date
    answers: list[dict]  # Answer keyword arguments
    texts: dict[int, str]  # question id -> free text, for spotting campaign copies


@dataclass
class CopyGroup:
    question: object
    text: str  # the first line's wording
    lines: list[int]  # lines of the file with this text
    existing: int  # responses already saved with it


@dataclass
class CheckedFile:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unanswered_questions: list = field(default_factory=list)  # questions with no column in the file
    copies: list[CopyGroup] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def channel_counts(self) -> dict[str, int]:
        return dict(Counter(row.channel for row in self.rows))

    @property
    def copy_lines(self) -> int:
        """Lines whose free text repeats another line's or an existing response's."""
        return len({line for group in self.copies for line in group.lines})

    def answer_counts(self) -> dict[int, int]:
        """question id -> lines answering it."""
        return Counter(qid for row in self.rows for qid in {a["question_id"] for a in row.answers})


def decode(data: bytes) -> str:
    """The text of an uploaded file, or FileProblem saying plainly what is wrong with it."""
    if not data or not data.strip():
        raise FileProblem("The selected file is empty")
    if len(data) > MAX_BYTES:
        raise FileProblem(f"The file must be smaller than {MAX_BYTES / 1_000_000:.1f} MB. "
                          f"Split it into files of up to {MAX_ROWS:,} responses")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem("The file is an Excel workbook, not a CSV file. In Excel, choose File, Save As, "
                          "then “CSV UTF-8 (Comma delimited)”")
    if b"\x00" in data:
        raise FileProblem("The file must be a CSV file. In Excel, choose File, Save As, "
                          "then “CSV UTF-8 (Comma delimited)”")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise FileProblem(f"The file must be saved as UTF-8, and line {line} is not. In Excel, choose File, "
                          "Save As, then “CSV UTF-8 (Comma delimited)”") from None


def _key(text: str) -> str:
    return " ".join(unescape_cell(text.strip()).split()).casefold()


def _shown(value: str) -> str:
    value = " ".join(value.split())
    return f"“{value[:_SHOWN]}…”" if len(value) > _SHOWN else f"“{value}”"


def _one_of(labels) -> str:
    labels = list(labels)
    if len(labels) > 8:
        return ", ".join(labels[:8]) + " and others"
    return ", ".join(labels[:-1]) + " or " + labels[-1] if len(labels) > 1 else "".join(labels)


def parse_date(value: str) -> date | None:
    """27/03/2026, 27-3-2026, 2026-03-27 or 27 March 2026 (UK order: day first)."""
    value = value.strip()
    try:
        if m := _ISO_DATE.match(value):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _NUMERIC_DATE.match(value):
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if m := _WORDS_DATE.match(value):
            word = m.group(2).lower()
            month = next((n for name, n in _MONTHS.items() if len(word) >= 3 and name.startswith(word)), None)
            return date(int(m.group(3)), month, int(m.group(1))) if month else None
    except ValueError:
        return None
    return None


class _Columns:
    """What each column of the heading row is: a known column, a question, or a problem."""

    def __init__(self, consultation, header, problems):
        self.fixed, self.questions, self.headings, self.unheaded = {}, {}, {}, set()
        self.width = len(header)
        by_wording = {}
        for question in consultation.questions:
            by_wording.setdefault(_key(question.text), []).append(question)
        known = {_key(name): name for name in (REFERENCE, SUBMITTED, CHANNEL, COLLECTED)}
        seen = {}
        for index, heading in enumerate(header):
            key = _key(heading)
            self.headings[index] = " ".join(unescape_cell(heading.strip()).split())[:80] or f"Column {index + 1}"
            if not key:
                self.unheaded.add(index)  # spreadsheets add these; their cells must be empty too
                continue
            if key in seen:
                problems.append(Problem(1, self.headings[index],
                                        f"The column {_shown(heading)} appears twice (also column {seen[key] + 1})"))
                continue
            seen[key] = index
            if key in known:
                self.fixed[known[key]] = index
            elif by_wording.get(key):
                # Two questions worded alike take their columns in order, as the export writes them.
                self.questions[index] = by_wording[key].pop(0)
            else:
                problems.append(Problem(1, self.headings[index],
                                        f"{_shown(heading)} is not the wording of a question in this consultation, "
                                        "nor a column of the responses export"))
        self.recognised = bool(self.fixed or self.questions)
        for name in (CHANNEL, COLLECTED):
            if self.recognised and name not in self.fixed:
                problems.append(Problem(1, name, f"The file has no “{name}” column"))
        answered = set(self.questions.values())
        self.unanswered = [q for q in consultation.questions if q not in answered]


def check_file(consultation, text: str) -> CheckedFile:
    """Check every line; report all problems rather than stopping at the first."""
    result = CheckedFile()
    if not text.strip():
        raise FileProblem("The selected file is empty")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as exc:
        raise FileProblem(f"The file must be a CSV file: its first line could not be read ({exc})") from None
    columns = _Columns(consultation, header, result.problems)
    if not columns.recognised:
        raise FileProblem("The first line of the file must be the column headings, as in the responses "
                          "export: “Channel”, “Collected on” and the wording of each question")
    result.unanswered_questions = columns.unanswered
    existing_refs = _references_in(consultation) if REFERENCE in columns.fixed else set()
    line, rows_seen = reader.line_num + 1, 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.problems.append(Problem(line, "", f"This line could not be read ({exc})"))
            if reader.line_num + 1 <= line:
                break
            line = reader.line_num + 1
            continue
        start, line = line, reader.line_num + 1
        if not any(v.strip() for v in values):
            continue
        rows_seen += 1
        if rows_seen > MAX_ROWS:
            result.problems.append(Problem(None, "", f"The file has more than {MAX_ROWS:,} responses. "
                                                     "Split it into smaller files"))
            break
        row = _check_line(consultation, columns, start, values, existing_refs, result.problems)
        if row is not None:
            result.rows.append(row)
    if not rows_seen and not result.problems:
        result.problems.append(Problem(None, "", "The file has a heading row but no responses"))
    if result.ok:
        result.copies = campaign_copies(consultation, result.rows)
    return result


def _references_in(consultation) -> set[str]:
    """This consultation's references: a line carrying one came from the export."""
    return set(db.session.scalars(select(Response.reference).where(Response.consultation_id == consultation.id)))


def _check_line(consultation, columns, line, values, existing_refs, problems) -> Row | None:
    before = len(problems)

    def cell(name):
        index = columns.fixed.get(name)
        return values[index].strip() if index is not None and index < len(values) else ""

    def problem(column, message):
        problems.append(Problem(line, column, message))

    for index, value in enumerate(values):
        if value.strip() and (index >= columns.width or index in columns.unheaded):
            problem(f"Column {index + 1}", f"{_shown(value)} is in a column with no heading")
    reference = cell(REFERENCE)
    if reference and reference.upper() in existing_refs:
        problem(REFERENCE, f"Response {reference[:12]} is already saved in this consultation: this line looks "
                           "like it came from the responses export. Remove it")
    channel_text = cell(CHANNEL)
    channel = _channel(channel_text)
    if not channel_text:
        problem(CHANNEL, "Enter how the response was collected: " + _one_of(IMPORT_CHANNELS.values()))
    elif channel_text.casefold() == "online":
        problem(CHANNEL, "Online responses can't be imported: residents answer online themselves. Use "
                         + _one_of(IMPORT_CHANNELS.values()))
    elif channel is None:
        problem(CHANNEL, f"{_shown(channel_text)} is not a way of collecting responses. Use "
                         + _one_of(IMPORT_CHANNELS.values()))
    collected_text = cell(COLLECTED)
    collected_on = parse_date(collected_text) if collected_text else None
    if not collected_text:
        problem(COLLECTED, "Enter the date the response was collected")
    elif collected_on is None:
        problem(COLLECTED, f"{_shown(collected_text)} is not a date. Use a date like 27/03/2026 or 2026-03-27")
    else:
        opens_on = to_london(consultation.opens_at).date()
        late = collected_on_problem(consultation, collected_on)
        if late:
            problem(COLLECTED, late)
        elif collected_on < opens_on:
            problem(COLLECTED, f"Date collected must be on or after the opening date, {opens_on:%-d %B %Y}")
    answers, texts = [], {}
    for index, question in columns.questions.items():
        value = values[index] if index < len(values) else ""
        found = _answers(question, value, lambda message: problem(columns.headings[index], message))
        answers += found
        if question.kind == "free_text" and found:
            texts[question.id] = found[0]["text"]
    if len(problems) == before and not answers:
        problem("", "This line has no answers")
    if len(problems) > before:
        return None
    return Row(line, channel, collected_on, answers, texts)


# Labels files made before may still carry ("event" was "Event or group conversation" until
# hosted group conversations got a channel of their own).
_OLD_LABELS = {"event or group conversation": "event"}


def _channel(text) -> str | None:
    key = text.casefold()
    if key in _OLD_LABELS:
        return _OLD_LABELS[key]
    for channel, label in IMPORT_CHANNELS.items():
        if key in (channel, label.casefold()):
            return channel
    return None


def _answers(question, value, problem) -> list[dict]:
    value = unescape_cell(value.strip()).replace("\r\n", "\n").replace("\r", "\n")
    if not value:
        return []
    if question.kind == "map":  # a place needs a pin or a ward: enter these one by one (app/maps)
        problem("Places on a map can’t be imported from a file. Leave this column empty and enter "
                "these places with “Enter a paper or event response”")
        return []
    if question.kind == "free_text":
        if len(value) > FREE_TEXT_MAX:
            problem(f"The answer is longer than {FREE_TEXT_MAX:,} characters")
            return []
        return [{"question_id": question.id, "text": value}]
    kind = kinds.kind_for(question)
    if kind is not None:
        found, message = kind.parse_cell(question, value)
        if message:
            problem(message)
        return [{"question_id": question.id, **answer} for answer in found]
    if question.kind in ("agreement", "place_rating"):  # place_rating: the Place Standard's 1 to 7
        scale = {int(v): label for v, label in question.choice_labels()}
        by_label = {label.casefold(): number for number, label in scale.items()}
        number = int(value) if value in {str(n) for n in scale} else by_label.get(_key(value))
        if number is None:
            problem(f"{_shown(value)} is not on the scale. Use 1 to {max(scale)} or " + _one_of(scale.values()))
            return []
        return [{"question_id": question.id, "scale_value": number}]
    options = {_key(o.label): o for o in question.options}
    if _key(value) in options:
        return [{"question_id": question.id, "option_id": options[_key(value)].id}]
    typed = other.parse(question, value)
    if typed is not None and (question.kind == "single_choice" or ";" not in value):
        return [{"question_id": question.id, "text": typed}]
    labels = _one_of(o.label for o in question.options)
    if question.kind == "single_choice":
        problem(f"{_shown(value)} is not one of the options: {labels}")
        return []
    typed = [t for t in (other.parse(question, part) for part in value.split(";")) if t is not None]
    parts = [p for p in (_key(part) for part in value.split(";")) if p]
    unknown = [p for p in value.split(";") if p.strip() and _key(p) not in options and other.parse(question, p) is None]
    for part in unknown:
        problem(f"{_shown(part.strip())} is not one of the options: {labels}. Separate several with “;”")
    chosen = {options[p].id for p in parts if p in options}
    if question.max_choices and len(chosen) > question.max_choices:
        problem(f"{len(chosen)} options are chosen; this question allows {question.max_choices} at most")
    if unknown or (question.max_choices and len(chosen) > question.max_choices):
        return []
    # In the officer's option order, as paper entry saves them.
    return ([{"question_id": question.id, "option_id": o.id} for o in question.options if o.id in chosen]
            + [{"question_id": question.id, "text": t} for t in typed[:1]])


def campaign_copies(consultation, rows) -> list[CopyGroup]:
    """Free text that repeats, after the themes' normalisation (nlp.text.normalise_key), on other
    lines of the file or in responses already saved: campaign or copy-paste responses. Largest
    group first."""
    from nlp.text import normalise_key  # here: importing the nlp package loads the theme engine (seconds)

    in_file = {}
    for row in rows:
        for question_id, text in row.texts.items():
            key = normalise_key(text)
            if len(key.split()) >= CAMPAIGN_MIN_WORDS:
                in_file.setdefault((question_id, key), []).append((row.line, text))
    if not in_file:
        return []
    questions = {q.id: q for q in consultation.free_text_questions}
    saved = Counter()
    wanted = {question_id for question_id, _key in in_file}
    for question_id, text in db.session.execute(select(Answer.question_id, Answer.text).where(
            Answer.question_id.in_(wanted), Answer.text.is_not(None))):
        key = normalise_key(text)
        if (question_id, key) in in_file:
            saved[(question_id, key)] += 1
    groups = [CopyGroup(questions[qid], lines[0][1], [line for line, _t in lines], saved[(qid, key)])
              for (qid, key), lines in in_file.items() if len(lines) + saved[(qid, key)] > 1]
    return sorted(groups, key=lambda g: (-(len(g.lines) + g.existing), g.lines[0]))
