"""Forms: a tenant survey from the template, and a Tenant Board review."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.common.fields import GovDateField, SelectField

MAX_CHOICES = 40


def _lines(text) -> list[str]:
    seen = []
    for line in (text or "").replace("\r", "\n").split("\n"):
        line = " ".join(line.split())
        if line and line.lower() not in (s.lower() for s in seen):
            seen.append(line)
    return seen


def _choice_list(what):
    def check(form, field):
        lines = _lines(field.data)
        if not lines:
            raise ValidationError(f"Enter at least one {what}, one to a line")
        if len(lines) > MAX_CHOICES:
            raise ValidationError(f"Enter {MAX_CHOICES} {what}s or fewer")
        if any(len(line) > 200 for line in lines):
            raise ValidationError(f"Each {what} must be 200 characters or fewer")
    return check


class TemplateForm(FlaskForm):
    title = StringField("Title", default="Tenant satisfaction survey",
                        validators=[DataRequired("Enter a title"),
                                    Length(max=200, message="The title must be 200 characters or fewer")])
    landlords = TextAreaField("Landlords", description="One to a line: the council and each housing association "
                                                       "whose tenants answer. For example, Northbrook Council",
                              validators=[_choice_list("landlord")])
    estates = TextAreaField("Estates", description="One to a line, the estates tenants can choose from.",
                            validators=[_choice_list("estate")])
    opens_on = GovDateField("Opens on", description="For example, 1 4 2027")
    closes_on = GovDateField("Closes on", description="Tenants can answer until the end of this day. "
                                                      "For example, 30 6 2027")

    def validate_closes_on(self, field):
        if self.opens_on.data and field.data and field.data <= self.opens_on.data:
            field.error_parts = {"day", "month", "year"}
            raise ValidationError("The closing date must be after the opening date")

    def landlord_names(self):
        return _lines(self.landlords.data)

    def estate_names(self):
        return _lines(self.estates.data)


class ReviewForm(FlaskForm):
    plan = SelectField("Which action plan are you reviewing?", required_message="Choose the action plan",
                       invalid_message="Choose an action plan from the list")
    note = TextAreaField("Your review", description="What the Tenant Board thinks of the plan: what it answers "
                                                    "well, and what it misses.",
                         validators=[DataRequired("Enter your review"),
                                     Length(max=5000, message="Your review must be 5000 characters or fewer")])
    signed_off = BooleanField("The Tenant Board signs this plan off as answering the survey")
