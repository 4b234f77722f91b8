"""Number: an optional smallest and largest value, and "whole numbers only"."""
import math
import re

from wtforms import StringField
from wtforms.validators import ValidationError

from app.consultations.kinds import Kind, number_text, register, stats
from app.consultations.wording import quoted

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


def to_number(text) -> float | None:
    """'12', '1,200', '-3.5', '£40' -> a float; None if not a number."""
    value = (text or "").strip().lstrip("£").replace(" ", "")
    if not value or not _NUMBER.match(value) or value in ("+", "-", "."):
        return None
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


@register
class NumberKind(Kind):
    key = "number"

    def settings_from_form(self, form):
        return {"min": to_number(form.min_value.data), "max": to_number(form.max_value.data),
                "whole": bool(form.whole_number.data)}

    def builder_data(self, question):
        return {"min_value": number_text(question.setting("min")), "max_value": number_text(question.setting("max")),
                "whole_number": bool(question.setting("whole"))}

    def check_builder(self, form):
        ok = True
        for f, name in ((form.min_value, "smallest"), (form.max_value, "largest")):
            if (f.data or "").strip() and to_number(f.data) is None:
                f.errors.append(f"Enter the {name} number allowed as a number, like 10")
                ok = False
        low, high = to_number(form.min_value.data), to_number(form.max_value.data)
        if ok and low is not None and high is not None and low > high:
            form.max_value.errors.append("The largest number allowed must be more than the smallest")
            ok = False
        return ok

    def parse(self, question, text) -> tuple[float | None, str | None]:
        """(number, None) or (None, a message naming the question)."""
        low, high, whole = question.setting("min"), question.setting("max"), question.setting("whole")
        number = to_number(text)
        if number is None:
            return None, f"Enter a number for {quoted(question)}, like {number_text(low or 12)}"
        if whole and not number.is_integer():
            return None, f"Enter a whole number for {quoted(question)}, like {number_text(round(number))}"
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                return None, f"Enter a number between {number_text(low)} and {number_text(high)} for {quoted(question)}"
            if low is not None:
                return None, f"Enter a number of {number_text(low)} or more for {quoted(question)}"
            return None, f"Enter a number of {number_text(high)} or less for {quoted(question)}"
        return number, None

    def fields(self, question, enforce_required):
        label = question.text if question.required else f"{question.text} (optional)"

        def check(form, field):
            field.number = None
            if not (field.data or "").strip():
                if question.required and enforce_required:
                    raise ValidationError(f"Enter a number for {quoted(question)}")
                return
            field.number, message = self.parse(question, field.data)
            if message:
                raise ValidationError(message)

        return {question.field_name: StringField(label, description=question.hint, validators=[check],
                                                 filters=[lambda v: v.strip()[:40] if isinstance(v, str) else v])}

    def answers(self, question, form):
        number = getattr(form[question.field_name], "number", None)
        return [{"number": number}] if number is not None else []

    def form_data(self, question, answers):
        return {question.field_name: number_text(answers[0].number).replace(",", "") if answers else ""}

    def summary(self, question, threshold):
        from app.consultations.kinds.queries import answer_values
        return stats([a.number for a in answer_values(question)])

    def cell(self, question, answers):
        return number_text(answers[0].number).replace(",", "") if answers and answers[0].number is not None else ""

    def parse_cell(self, question, text):
        number, message = self.parse(question, text)
        return ([{"number": number}], None) if message is None else ([], message)
