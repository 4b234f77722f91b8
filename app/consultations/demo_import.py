"""The demo's bulk import: paper forms and an event's notes for the open parks consultation,
including a "Friends of Riverside Park" campaign, brought in through the real CSV check and
import (csv_import, imports) so the imports page and the history show one."""
import csv
import io
from datetime import timedelta

from app.accounts.models import User
from app.common.timeutil import to_london, utcnow
from app.consultations import csv_import, imports
from app.consultations.models import Consultation, ResponseImport

TITLE = "Parks and green spaces: your priorities for 2027"
FILE_NAME = "riverside-park-paper-forms.csv"
CAMPAIGN = ("Keep the Riverside Park bandstand and bring back summer concerts: it is the heart of the park "
            "and of our community.")
# channel, days ago, how often, agreement, what matters, one change
LINES = [
    ("Paper form", 9, "At least once a week", "Strongly disagree", "Toilets, cafes and places to sit", CAMPAIGN),
    ("Paper form", 9, "Every day or most days", "Disagree", "", CAMPAIGN),
    ("Paper form", 8, "At least once a month", "2", "Nature, trees and wildlife", CAMPAIGN.upper()),
    ("Paper form", 8, "", "", "", "Keep the Riverside Park bandstand and bring back summer concerts - it is the "
                                  "heart of the park and of our community"),
    ("Paper form", 7, "At least once a week", "Strongly disagree", "Feeling safe, including after dark", CAMPAIGN),
    ("Paper form", 6, "Every day or most days", "1", "Clean parks with enough bins", CAMPAIGN),
    ("Event or drop-in", 5, "At least once a week", "Neither agree nor disagree",
     "Play areas for young children; Toilets, cafes and places to sit",
     "Fix the broken swings at Millfield Rec before adding anything new."),
    ("Event or drop-in", 5, "At least once a month", "Agree", "Things for teenagers to do",
     "A covered space where older kids can sit without being moved on."),
    ("Event or drop-in", 5, "Less than once a month", "", "Feeling safe, including after dark",
     "Lights on the path from the station through the park."),
    ("Phone", 3, "Never", "Disagree", "Toilets, cafes and places to sit",
     "Benches every few hundred metres so I can manage the walk."),
]


def load_import() -> list[str]:
    consultation = Consultation.query.filter_by(title=TITLE).first()
    officer = User.query.filter(User.role == "officer").order_by(User.id).first()
    if consultation is None or officer is None or consultation.status not in imports.IMPORTABLE:
        return []
    if ResponseImport.query.filter_by(consultation_id=consultation.id, file_name=FILE_NAME).first():
        return []
    today = to_london(utcnow()).date()
    opened = to_london(consultation.opens_at).date()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(imports.template_header(consultation))
    for channel, days_ago, often, agree, matters, change in LINES:
        day = max(today - timedelta(days=days_ago), opened)
        writer.writerow([channel, day.strftime("%d/%m/%Y"), often, agree, matters, change, ""])
    checked = csv_import.check_file(consultation, buffer.getvalue())
    if not checked.ok:  # the demo text changed under it: say so rather than load half
        return [f"  Bulk import skipped: {checked.problems[0].message}"]
    batch = imports.import_responses(consultation, checked, user=officer, file_name=FILE_NAME)
    return [f"  Imported {batch.row_count} paper and event responses into “{TITLE}” "
            f"({checked.copy_lines} campaign copies)"]
