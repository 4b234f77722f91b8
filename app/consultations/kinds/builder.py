"""The question builder's settings for the newer kinds: a mixin for forms.QuestionForm. The
template (staff_question.html) reveals each group under its kind's radio."""
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.common.fields import GovDateField, RadioField
from app.consultations.kinds.budget import MODES


def _short(what, limit):
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer")


class KindSettingsFields:
    other = BooleanField("Add “Other – please specify” (people who choose it type their answer)")
    rank_limit = StringField("How many options people rank (optional)",
                             description="Leave empty to let people rank every option.",
                             validators=[_short("The number", 3)])
    scale = TextAreaField("Points on the scale (optional)",
                          description="Each point on its own line, from the first to the last. Leave empty "
                                      "for Strongly disagree, Disagree, Neither agree nor disagree, Agree, "
                                      "Strongly agree.", validators=[_short("The scale", 1000)])
    min_value = StringField("Smallest number allowed (optional)", validators=[_short("The number", 20)])
    max_value = StringField("Largest number allowed (optional)", validators=[_short("The number", 20)])
    whole_number = BooleanField("Whole numbers only")
    earliest = GovDateField("Earliest date allowed (optional)", validators=[Optional()], min_year=1900)
    latest = GovDateField("Latest date allowed (optional)", validators=[Optional()], min_year=1900)
    budget_mode = RadioField("How people share out the budget", choices=list(MODES.items()),
                             validators=[Optional()], invalid_message="Select how people share out the budget")
    budget_total = StringField("Total to share out, in pounds", description="For example, 100",
                               validators=[_short("The total", 20)])
    budget_limit = StringField("Most a budget may change, as a percentage", description="For example, 20",
                               validators=[_short("The percentage", 5)])
