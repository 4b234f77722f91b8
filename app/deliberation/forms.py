"""Forms: an officer's set-up and statements, a resident's statement and optional "About you"."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.common import equality
from app.common.fields import RadioField
from app.deliberation.models import STATEMENT_MAX
from app.deliberation.services import GROUPS

STATEMENT_MIN = 10


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def statement_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _each_line_fits(form, field):
    lines = statement_lines(field.data)
    for number, line in enumerate(lines, start=1):
        if len(line) > STATEMENT_MAX:
            raise ValidationError(f"Statement {number} is {len(line)} characters: each statement must be "
                                  f"{STATEMENT_MAX} characters or fewer")
        if len(line) < STATEMENT_MIN:
            raise ValidationError(f"Statement {number} is too short: each statement must be at least "
                                  f"{STATEMENT_MIN} characters")
    if len(lines) > 100:
        raise ValidationError("Add 100 statements or fewer at a time")
    if len(set(lines)) != len(lines):
        raise ValidationError("The same statement appears twice: remove one of them")


class SetUpForm(FlaskForm):
    topic = StringField("What question do the statements answer?",
                        description="Shown above every statement. For example, How should we make the town "
                                    "centre safer at night?",
                        filters=[_strip],
                        validators=[DataRequired("Enter the question the statements answer"),
                                    Length(max=300, message="The question must be 300 characters or fewer")])
    statements = TextAreaField("Statements to start with",
                               description=f"One statement a line, each {STATEMENT_MAX} characters or fewer. "
                                           "Residents agree, disagree or pass on each.",
                               validators=[DataRequired("Enter at least one statement"), _each_line_fits])
    residents_may_add = BooleanField("Residents may suggest statements (you approve each before others see it)",
                                     default=True)


class AddStatementsForm(FlaskForm):
    statements = TextAreaField("Add statements",
                               description=f"One statement a line, each {STATEMENT_MAX} characters or fewer. "
                                           "They are shown to residents straight away.",
                               validators=[DataRequired("Enter at least one statement"), _each_line_fits])


class ProposeForm(FlaskForm):
    text = TextAreaField("Your statement",
                         description=f"One short point that other people can agree or disagree with, "
                                     f"{STATEMENT_MAX} characters or fewer. Do not include names, addresses or "
                                     "other personal details.",
                         filters=[_strip],
                         validators=[DataRequired("Enter your statement"),
                                     Length(min=STATEMENT_MIN, message=f"Your statement must be at least "
                                                                       f"{STATEMENT_MIN} characters"),
                                     Length(max=STATEMENT_MAX, message=f"Your statement must be {STATEMENT_MAX} "
                                                                       "characters or fewer")])


ABOUT_LABELS = {
    "age_band": "What is your age? (optional)",
    "disability": "Do you have a physical or mental health condition or illness lasting or expected to last "
                  "12 months or more? (optional)",
    "tenure": "Which best describes your home? (optional)",
}


class AboutYouForm(FlaskForm):
    consent = BooleanField("Link my votes to my About you answers")
    age_band = RadioField(ABOUT_LABELS["age_band"], choices=equality.with_prefer_not(equality.AGE_BANDS),
                          validators=[Optional()])
    disability = RadioField(ABOUT_LABELS["disability"], choices=equality.with_prefer_not(equality.DISABILITY),
                            validators=[Optional()])
    tenure = RadioField(ABOUT_LABELS["tenure"], choices=equality.with_prefer_not(equality.TENURES),
                        validators=[Optional()])

    def answers(self) -> dict:
        return {column: self[column].data or None for column in GROUPS}

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and any(self.answers().values()) and not self.consent.data:
            self.consent.errors = [*self.consent.errors, "Tick the box to link your votes to these answers, "
                                                         "or leave the questions blank"]
            ok = False
        return ok
