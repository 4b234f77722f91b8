"""WTForms fields shaped for GOV.UK patterns, with plain-English error messages.

The class names matter: macros/forms.html picks the GOV.UK component from `field.type`.
"""
import re
from datetime import date, time

import wtforms
from wtforms.utils import unset_value
from wtforms.validators import ValidationError


class _OneChoice:
    """Shared by radios and selects: "nothing chosen" is left to the validators (so optional
    questions work) unless `required_message` is given; an unknown value gets a plain message."""

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


class RadioField(_OneChoice, wtforms.RadioField):
    """Radios (rendered by the forms macro)."""


class SelectField(_OneChoice, wtforms.SelectField):
    """A select (rendered by the forms macro)."""


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


MONTH_NAMES = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
     ("nov", "november"), ("dec", "december")], start=1) for name in names}
DATE_PARTS = ("day", "month", "year")


class GovDateField(wtforms.Field):
    """A GOV.UK date input: three boxes named <name>-day, <name>-month and <name>-year.

    macros/forms.html renders it (dispatching on `type`), so `field(form.x)` is all a template needs.
    Keeps exactly what was typed in `parts` so it can be shown again beside the error, and
    `error_parts` says which boxes to outline (the error summary links to the first of them).
    Optional dates use the `Optional()` validator: all three boxes empty means no date, but a
    partly filled date is still an error naming the missing part.
    Messages name the field by its label without "(optional)"; pass `error_name` to say it
    differently, or `required_message`, `invalid_message`, `year_message` to replace a message.
    """

    def __init__(self, label=None, validators=None, *, error_name=None, required_message=None,
                 invalid_message=None, year_message=None, min_year=2000, max_year=2100, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.type = "GovDateField"
        name = error_name or re.sub(r"\s*\(optional\)\s*$", "", self.label.text)
        self.required_message = required_message or f"Enter the {name[:1].lower()}{name[1:]}"
        self.invalid_message = invalid_message or f"{name} must be a real date, like 27 3 2027"
        self.year_message = year_message or f"{name} must have a year between {min_year} and {max_year}"
        self.error_name = name
        self.min_year, self.max_year = min_year, max_year
        self.parts = dict.fromkeys(DATE_PARTS, "")
        self.error_parts = set()  # which boxes to outline in red

    def set_date(self, value: date | None):
        """Show `value` in the boxes (for pre-filling, or a default the page chose)."""
        self.data = value
        self.parts = ({"day": str(value.day), "month": str(value.month), "year": str(value.year)}
                      if value else dict.fromkeys(DATE_PARTS, ""))

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.raw_data = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.set_date(data if isinstance(data, date) else None)
        if formdata is not None and any(f"{self.name}-{k}" in formdata for k in DATE_PARTS):
            self.parts = {k: (formdata.get(f"{self.name}-{k}") or "").strip()[:20] for k in DATE_PARTS}
            # One string, blank only when every box is: so Optional() and InputRequired() judge
            # the date as a whole, not just its day box.
            self.raw_data = [" ".join(self.parts.values()).strip()]
            self.data = None

    def add_error(self, message: str):
        """An error found after validation (a rule across fields, or the database): shown beside
        the whole date, all three boxes outlined."""
        self.errors = [*self.errors, message]
        self.error_parts = set(DATE_PARTS)

    def first_error_part(self) -> str:
        return next((k for k in DATE_PARTS if k in self.error_parts), "day")

    def pre_validate(self, form):
        self.error_parts = set()
        if not self.raw_data:
            if self.data is not None:
                return  # a date given by the code (default or object), not typed
            if self.flags.optional:
                return
            self.error_parts = set(DATE_PARTS)
            raise ValidationError(self.required_message)
        missing = [k for k in DATE_PARTS if not self.parts[k]]
        if len(missing) == 3:
            if self.flags.optional:
                return
            self.error_parts = set(DATE_PARTS)
            raise ValidationError(self.required_message)
        if missing:
            self.error_parts = set(missing)
            raise ValidationError(f"{self.error_name} must include a {' and a '.join(missing)}")
        day, month, year = self.parts["day"], self.parts["month"].lower(), self.parts["year"]
        month = str(MONTH_NAMES.get(month, month))
        not_numbers = [k for k, v in zip(DATE_PARTS, (day, month, year)) if not re.fullmatch(r"[0-9]+", v)]
        if not_numbers:
            self.error_parts = set(not_numbers)
            raise ValidationError(self.invalid_message)
        if not self.min_year <= int(year) <= self.max_year:
            self.error_parts = {"year"}
            raise ValidationError(self.year_message)
        try:
            self.data = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # 31 2 2027, or a 20-digit day
            self.error_parts = set(DATE_PARTS)
            raise ValidationError(self.invalid_message) from None


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
