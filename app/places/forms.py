"""The officer's form for a new Place Standard round."""
from datetime import datetime, time

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from app.common.fields import GovDateField, RadioField, SelectField
from app.common.timeutil import london_to_utc


class RoundForm(FlaskForm):
    place_kind = RadioField("Which place is this round about?",
                            choices=[("ward", "A ward"), ("named", "Another place, for example a town centre or an estate")],
                            validators=[InputRequired("Select a ward or another place")],
                            invalid_message="Select a ward or another place")
    ward = SelectField("Ward", validators=[], invalid_message="Select a ward from the list")
    place_name = StringField("Name of the place", description="For example, Northbrook town centre",
                             validators=[Length(max=120, message="The name must be 120 characters or fewer")])
    round_label = StringField("Name of the round", description="Rounds asked at the same time share a name, "
                              "so their places can be compared. For example, Spring 2027",
                              validators=[DataRequired("Enter a name for the round"),
                                          Length(max=80, message="The name of the round must be 80 characters or fewer")])
    opens_on = GovDateField("Opening date")
    closes_on = GovDateField("Closing date")

    def __init__(self, *args, ward_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.ward.choices = [("", "Choose a ward")] + list(ward_choices)
        self.opens_at = self.closes_at = None

    def validate_ward(self, field):
        if self.place_kind.data == "ward" and not field.data:
            raise ValidationError("Select a ward")

    def validate_place_name(self, field):
        if self.place_kind.data == "named" and not (field.data or "").strip():
            raise ValidationError("Enter the name of the place")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok:
            # Opens at the start of its first day and closes at the end of its last, UK time.
            self.opens_at = london_to_utc(datetime.combine(self.opens_on.data, time(0, 0)))
            self.closes_at = london_to_utc(datetime.combine(self.closes_on.data, time(23, 59)))
            if self.closes_at <= self.opens_at:
                self.closes_on.add_error("The closing date must be on or after the opening date")
                ok = False
        return ok
