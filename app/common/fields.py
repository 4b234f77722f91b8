"""WTForms fields shaped for GOV.UK patterns, with plain-English error messages.

The class names matter: macros/forms.html picks the GOV.UK component from `field.type`.
"""
import re
from datetime import date, time

import wtforms
from wtforms.utils import unset_value
from wtforms.validators import ValidationError


class RadioField(wtforms.RadioField):
    """Radios where "nothing chosen" is left to the validators (so optional questions work),
    unless `required_message` is given, and an unknown value gets a message a person understands."""

    def __init__(self, *args, invalid_message="Select one of the options", required_message=None, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message
        self.required_message = required_message

    def pre_validate(self, form):
        if self.data in (None, ""):
            if self.required_message:
                raise ValidationError(self.required_message)
            return
        if str(self.data) not in {str(value) for value, _label in self.choices}:
            raise ValidationError(self.invalid_message)


class MultiCheckboxField(wtforms.SelectMultipleField):
    """Checkboxes (rendered by the forms macro); unknown values are refused politely."""

    def __init__(self, *args, invalid_message="Select from the options shown", **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def pre_validate(self, form):
        allowed = {str(value) for value, _label in self.choices}
        if any(str(value) not in allowed for value in (self.data or [])):
            raise ValidationError(self.invalid_message)


class SelectField(wtforms.SelectField):
    def __init__(self, *args, invalid_message="Select one of the options", required_message=None, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message
        self.required_message = required_message

    def pre_validate(self, form):
        if self.data in (None, ""):
            if self.required_message:
                raise ValidationError(self.required_message)
            return
        if str(self.data) not in {str(value) for value, _label in self.choices}:
            raise ValidationError(self.invalid_message)


class GovDateField(wtforms.Field):
    """A GOV.UK date input: three boxes named <name>-day, <name>-month and <name>-year.

    Keeps exactly what was typed in `parts` so it can be shown again beside the error.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.parts = {"day": "", "month": "", "year": ""}
        self.error_parts = set()  # which boxes to outline in red

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.data = data if isinstance(data, date) else None
        if self.data:
            self.parts = {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}
        if formdata is not None and any(f"{self.name}-{k}" in formdata for k in self.parts):
            self.parts = {k: (formdata.get(f"{self.name}-{k}") or "").strip()[:20] for k in self.parts}
            self.raw_data = list(self.parts.values())
            self.data = None

    def pre_validate(self, form):
        name = self.label.text
        missing = [k for k, v in self.parts.items() if not v]
        if len(missing) == 3:
            self.error_parts = set(self.parts)
            raise ValidationError(f"Enter the {name.lower()}")
        if missing:
            self.error_parts = set(missing)
            raise ValidationError(f"{name} must include a {' and '.join(missing)}")
        try:
            day, month, year = (int(self.parts[k]) for k in ("day", "month", "year"))
            if not 2000 <= year <= 2100:
                raise ValueError
            self.data = date(year, month, day)
        except ValueError:
            self.error_parts = set(self.parts)
            raise ValidationError(f"{name} must be a real date, like 27 3 2027") from None


_TIME_RE = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


def parse_time(text: str) -> time | None:
    """'9am', '9:30am', '17:30', '12pm', 'midday', 'midnight' -> time; None if not a time."""
    value = (text or "").strip().lower().replace(" ", "")
    if value in ("midday", "noon"):
        return time(12, 0)
    if value == "midnight":
        return time(0, 0)
    match = _TIME_RE.match(value)
    if not match:
        return None
    hour, minute, suffix = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = (hour % 12) + (12 if suffix == "pm" else 0)
    elif match.group(2) is None:
        return None  # "9" alone is ambiguous: ask for 9am or 21:00
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def format_time(value: time) -> str:
    return value.strftime("%H:%M")
