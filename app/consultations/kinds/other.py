""""Other – please specify" on a single or multiple choice question (settings {"other": true}).

The resident's form gets an extra choice "other" and a text box named <field name>_other,
revealed under it (GOV.UK conditional reveal: shown to everyone without JavaScript). Choosing
Other requires the text. Stored as an Answer with `text` and no option, so the option counts
and breakdowns are unchanged; results add an "Other" row; CSV cells write "Other: <text>".
"""
from wtforms import StringField

from app.consultations.wording import quoted

VALUE = "other"
LABEL = "Other"
PREFIX = "other:"
MAX = 500


def has_other(question) -> bool:
    return question.kind in ("single_choice", "multiple_choice") and bool(question.setting("other"))


def field_name(question) -> str:
    return f"{question.field_name}_other"


def choices(question) -> list[tuple[str, str]]:
    return question.choice_labels() + ([(VALUE, LABEL)] if has_other(question) else [])


def fields(question) -> dict:
    if not has_other(question):
        return {}
    return {field_name(question): StringField("Please specify", filters=[lambda v: v.strip()[:MAX] if isinstance(v, str) else v])}


def chosen(question, value) -> bool:
    return has_other(question) and (value == VALUE if isinstance(value, str) else VALUE in (value or []))


def check(form, question) -> bool:
    """Text is required when Other is chosen; True if all is well."""
    if not chosen(question, form[question.field_name].data):
        return True
    text_field = form[field_name(question)]
    if not (text_field.data or "").strip():
        text_field.errors.append(f"Enter your other answer to {quoted(question)}")
        return False
    return True


def answers(question, form) -> list[dict]:
    if not chosen(question, form[question.field_name].data):
        return []
    return [{"text": form[field_name(question)].data.strip()}]


def form_data(question, answers) -> dict:
    text = next((a.text for a in answers if a.option_id is None and a.text), None)
    return {field_name(question): text or ""} if has_other(question) else {}


def cell(text) -> str:
    return f"Other: {text}"


def parse(question, part) -> str | None:
    """The typed text if a CSV part is 'Other: …' on a question that has Other, else None."""
    stripped = part.strip()
    if has_other(question) and stripped.casefold().startswith(PREFIX):
        return stripped[len(PREFIX):].strip()[:MAX] or None
    return None
