"""Forms: the residents' one-page survey, a new round, and the national benchmarks."""
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.common import equality
from app.common.fields import GovDateField, RadioField, SelectField
from app.tracker.indicators import INDICATORS
from app.tracker.services import GROUPS

ABOUT_YOU = {
    "age_band": ("What is your age? (optional)", equality.AGE_BANDS),
    "disability": ("Do you have a physical or mental health condition or illness lasting or expected to last "
                   "12 months or more? (optional)", equality.DISABILITY),
    "tenure": ("Which best describes your home? (optional)", equality.TENURES),
}
assert set(ABOUT_YOU) == set(GROUPS)


def answer_form_class():
    """The survey form: one optional radio question per indicator, the ward, and "About you"."""
    attrs = {
        "ward": SelectField("Which ward do you live in?", required_message="Choose the ward you live in",
                            invalid_message="Choose the ward you live in from the list",
                            description="Your ward lets us compare areas of the borough. "
                                        "Your answers are anonymous."),
    }
    for indicator in INDICATORS:
        attrs[f"q_{indicator.code}"] = RadioField(
            f"{indicator.question} (optional)", choices=indicator.choices, description=indicator.hint,
            invalid_message="Choose one of the answers shown", validators=[Optional()])
    for name, (label, choices) in ABOUT_YOU.items():
        attrs[f"about_{name}"] = RadioField(label, choices=equality.with_prefer_not(choices),
                                            validators=[Optional()])
    return type("TrackerAnswerForm", (AnswerFormBase,), attrs)


class AnswerFormBase(FlaskForm):
    def answers(self) -> dict[str, str]:
        return {i.code: self[f"q_{i.code}"].data for i in INDICATORS if self[f"q_{i.code}"].data}

    def about(self) -> dict[str, str | None]:
        return {name: self[f"about_{name}"].data or None for name in ABOUT_YOU}

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not self.answers() and not any(self[f"q_{i.code}"].errors for i in INDICATORS):
            self.form_errors.append("Answer at least one of the questions")
            ok = False
        return ok


class RoundForm(FlaskForm):
    name = StringField("Name of the round", description="For example, Spring 2027",
                       validators=[DataRequired("Enter a name for the round"),
                                   Length(max=120, message="The name must be 120 characters or fewer")])
    opens_on = GovDateField("Opens on")
    closes_on = GovDateField("Closes on", description="Residents can answer until the end of this day. "
                                                      "For example, 27 3 2027")

    def validate_closes_on(self, field):
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            field.error_parts = {"day", "month", "year"}
            raise ValidationError("The closing date must be the same as or after the opening date")


def _percent(form, field):
    text = (field.data or "").strip().rstrip("%").strip()
    if not text:
        return
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError("Enter the percentage as a number, like 61 or 61.5") from None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise ValidationError("The percentage must be between 0 and 100")
    if value != value.quantize(Decimal("0.1")):
        raise ValidationError("Enter the percentage to one decimal place at most, like 61.5")


class BenchmarkForm(FlaskForm):
    """One indicator's national figure (the page shows one of these per indicator, by prefix)."""
    percent = StringField("National percentage", validators=[Optional(), _percent])
    year = StringField("Survey year", description="As published, for example 2023/24",
                       validators=[Optional(), Length(max=20, message="The year must be 20 characters or fewer")])
    source = StringField("Source (optional)", validators=[Optional(), Length(
        max=200, message="The source must be 200 characters or fewer")])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        has_percent = bool((self.percent.data or "").strip())
        has_year = bool((self.year.data or "").strip())
        if has_percent and not has_year:
            self.year.errors = [*self.year.errors, "Enter the year of the national figure"]
            ok = False
        if has_year and not has_percent:
            self.percent.errors = [*self.percent.errors, "Enter the national percentage"]
            ok = False
        return ok

    def value(self) -> Decimal | None:
        text = (self.percent.data or "").strip().rstrip("%").strip()
        return Decimal(text) if text else None
