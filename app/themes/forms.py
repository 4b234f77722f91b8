"""Forms for the themes pages. Choices are filled in by the route from the database."""
import wtforms
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError


class IntegerField(wtforms.IntegerField):
    """A whole number whose error says, in plain English, what to type."""

    def __init__(self, label=None, validators=None, invalid_message="Enter a whole number", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None
            return
        try:
            self.data = int(text)
        except ValueError:
            self.data = None
            raise ValueError(self.invalid_message) from None


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class RunForm(FlaskForm):
    themes = IntegerField(
        "Number of themes (optional)", validators=[
            Optional(), NumberRange(2, 40, "Number of themes must be between 2 and 40")],
        invalid_message="Enter the number of themes as a whole number, like 12",
        description="Leave blank to let the engine choose a number between 5 and 40")
    seed = IntegerField(
        "Seed (optional)", validators=[Optional(), NumberRange(0, 1_000_000, "Seed must be between 0 and 1,000,000")],
        invalid_message="Enter the seed as a whole number, like 0",
        description="The same comments and seed always give the same themes. Try another seed for a different grouping.")
    fresh = BooleanField(
        "Start afresh: group every comment again from scratch",
        description="Without this, a run with the same settings starts from the last run's themes, so a few "
                    "new comments join them instead of reshuffling everything.")


class RenameForm(FlaskForm):
    label = StringField("New name for this theme", validators=[
        DataRequired("Enter a name for the theme"),
        Length(max=120, message="The name must be 120 characters or fewer")])


class SplitForm(FlaskForm):
    parts = IntegerField("How many themes should this theme become?", validators=[
        InputRequired("Enter how many themes to split it into"),
        NumberRange(2, 10, "Enter a number between 2 and 10")],
        invalid_message="Enter a whole number between 2 and 10",
        description="The comments in this theme are grouped again into this many themes.")


class _ChoiceMixin:
    def check_choice(self, field, message):
        valid = {value for value, _ in field.choices if value not in ("", None)}
        values = field.data if isinstance(field.data, list) else [field.data]
        if not values or any(v not in valid for v in values):
            raise ValidationError(message)


class MergeForm(FlaskForm, _ChoiceMixin):
    themes = SelectMultipleField("Themes to merge", coerce=_int_or_none, validate_choice=False)
    keep = SelectField("Keep the name of", coerce=_int_or_none, validate_choice=False,
                       description="The merged theme keeps this theme's name and links")

    def validate_themes(self, field):
        self.check_choice(field, "Select at least two themes to merge")
        if len(set(field.data)) < 2:
            raise ValidationError("Select at least two themes to merge")

    def validate_keep(self, field):
        self.check_choice(field, "Select the theme whose name to keep")
        if self.themes.data and field.data not in self.themes.data:
            raise ValidationError("The theme whose name you keep must be one of the themes you merge")


class MoveForm(FlaskForm, _ChoiceMixin):
    theme = SelectField("Move this comment to", coerce=_int_or_none, validate_choice=False)

    def validate_theme(self, field):
        self.check_choice(field, "Select the theme to move this comment to")


class AddLinkForm(FlaskForm, _ChoiceMixin):
    action = SelectField("Council action", coerce=_int_or_none, validate_choice=False)

    def validate_action(self, field):
        self.check_choice(field, "Select a council action")
