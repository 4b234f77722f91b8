"""Date: the GOV.UK date input, real dates only, optionally between an earliest and latest date."""
from datetime import date

from wtforms.validators import Optional, ValidationError

from app.common.fields import GovDateField
from app.consultations.kinds import Kind, register
from app.consultations.kinds.queries import answer_values
from app.consultations.wording import quoted


def _day(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def long_date(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


@register
class DateKind(Kind):
    key = "date"

    def settings_from_form(self, form):
        return {"earliest": form.earliest.data.isoformat() if form.earliest.data else None,
                "latest": form.latest.data.isoformat() if form.latest.data else None}

    def builder_data(self, question):
        return {"earliest": _day(question.setting("earliest")), "latest": _day(question.setting("latest"))}

    def check_builder(self, form):
        if form.earliest.data and form.latest.data and form.earliest.data > form.latest.data:
            form.latest.add_error("The latest date must be the same as or after the earliest date")
            return False
        return True

    def range_problem(self, question, value) -> str | None:
        earliest, latest = _day(question.setting("earliest")), _day(question.setting("latest"))
        if earliest and latest and not earliest <= value <= latest:
            return f"Enter a date between {long_date(earliest)} and {long_date(latest)} for {quoted(question)}"
        if earliest and value < earliest:
            return f"Enter a date on or after {long_date(earliest)} for {quoted(question)}"
        if latest and value > latest:
            return f"Enter a date on or before {long_date(latest)} for {quoted(question)}"
        return None

    def fields(self, question, enforce_required):
        label = question.text if question.required else f"{question.text} (optional)"

        def in_range(form, field):
            if field.data and (message := self.range_problem(question, field.data)):
                field.error_parts = {"day", "month", "year"}
                raise ValidationError(message)

        must = [] if question.required and enforce_required else [Optional()]
        return {question.field_name: GovDateField(
            label, validators=must + [in_range], description=question.hint or "For example, 27 3 2027",
            error_name=f"The date for {quoted(question)}", min_year=1900, max_year=2100,
            required_message=f"Enter a date for {quoted(question)}",
            invalid_message=f"Enter a real date for {quoted(question)}, like 27 3 2027")}

    def answers(self, question, form):
        value = form[question.field_name].data
        return [{"date_value": value}] if value else []

    def form_data(self, question, answers):
        return {question.field_name: answers[0].date_value if answers else None}

    def summary(self, question, threshold):
        values = sorted(a.date_value for a in answer_values(question) if a.date_value)
        months = {}
        for value in values:
            key = value.strftime("%B %Y")
            months[key] = months.get(key, 0) + 1
        return {"count": len(values), "earliest": values[0] if values else None,
                "latest": values[-1] if values else None,
                "median": values[len(values) // 2] if values else None, "months": months}

    def cell(self, question, answers):
        return answers[0].date_value.isoformat() if answers and answers[0].date_value else ""

    def as_text(self, question, answers):
        return [long_date(answers[0].date_value)] if answers and answers[0].date_value else []

    def parse_cell(self, question, text):
        from app.consultations.csv_import import parse_date  # here: csv_import imports the kinds
        value = parse_date(text)
        if value is None:
            return [], f"Enter a real date for {quoted(question)}, like 27/03/2026 or 2026-03-27"
        if message := self.range_problem(question, value):
            return [], message
        return [{"date_value": value}], None
