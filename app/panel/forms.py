"""Forms for joining and managing a membership, and for the staff pages."""
import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (DataRequired, Email, InputRequired, Length, NumberRange, Optional,
                                ValidationError)

from app.common.fields import MultiCheckboxField, RadioField
from app.common.equality import ETHNIC_CHOICES, SEXES, TENURES, with_prefer_not
from app.notifications.phones import MOBILE_ERROR, uk_mobile
from app.panel.groups import PANEL_AGE_BANDS
from app.panel.models import CONTACT_METHODS
from app.wards.services import normalise_postcode


def _phone(form, field):
    if field.data and (not re.fullmatch(r"[0-9 +()\-]{7,30}", field.data)
                       or len(re.sub(r"\D", "", field.data)) < 10):
        raise ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")


def _postcode(form, field):
    if field.data and normalise_postcode(field.data) is None:
        raise ValidationError("Enter a full UK postcode, like NB1 2AB")


def _int_or_none(value):
    return int(value) if value not in (None, "") else None


class JoinForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired("Enter your full name"),
                                                Length(max=120, message="Name must be 120 characters or fewer")])
    email = EmailField("Email address", validators=[
        DataRequired("Enter your email address"),
        Length(max=254, message="Email address must be 254 characters or fewer"),
        Email("Enter an email address in the correct format, like name@example.com")])
    phone = StringField("Phone number (optional)", validators=[Optional(), _phone])
    address_line = StringField("First line of your address", validators=[
        DataRequired("Enter the first line of your address"),
        Length(max=200, message="First line of address must be 200 characters or fewer")])
    postcode = StringField("Postcode", validators=[DataRequired("Enter your postcode"),
                                                   Length(max=10, message="Enter a full UK postcode, like NB1 2AB"),
                                                   _postcode])
    ward = SelectField("Which ward do you live in?", choices=[], validate_choice=False,
                       coerce=_int_or_none)
    age_band = RadioField("How old are you?", choices=PANEL_AGE_BANDS,
                      validators=[InputRequired("Select your age group")],
                      invalid_message="Select your age group")
    topics = MultiCheckboxField("Which topics interest you? (optional)", invalid_message="Select topics from the list", choices=[], coerce=str)
    contact_method = RadioField("How would you prefer us to contact you?", choices=CONTACT_METHODS,
                            validators=[InputRequired("Select how you would prefer us to contact you")],
                            invalid_message="Select how you would prefer us to contact you")
    # Revealed under "Text message", which is offered only when GOV.UK Notify is set up (routes.py).
    mobile = StringField("UK mobile number", validators=[Optional(), Length(max=30, message=MOBILE_ERROR)])
    access_needs = TextAreaField("Do you need anything to take part in events? (optional)", validators=[
        Optional(), Length(max=1000, message="Access needs must be 1000 characters or fewer")])
    panel_consent = BooleanField("I agree to join the Citizens' Panel and for the council to keep these "
                                 "details to contact me about panel activities",
                                 validators=[DataRequired("Tick the box to agree to join the panel")])
    equality_consent = RadioField("Do you want to answer the equality questions?",
                              choices=[("yes", "Yes, I'll answer them"), ("no", "No, skip them")],
                              validators=[InputRequired("Select whether you want to answer the equality questions")],
                              invalid_message="Select whether you want to answer the equality questions")
    sex = RadioField("What is your sex?", choices=with_prefer_not(SEXES), validators=[Optional()])
    ethnic_group = RadioField("What is your ethnic group?", choices=with_prefer_not(ETHNIC_CHOICES),
                          validators=[Optional()])
    disability = RadioField("Are you disabled, or do you have a long-term health condition that limits your "
                        "day-to-day activities?", choices=with_prefer_not([("disabled", "Yes"),
                                                                            ("not_disabled", "No")]),
                        validators=[Optional()])
    tenure = RadioField("How is your home owned or rented?", choices=with_prefer_not(TENURES),
                    validators=[Optional()])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Checked here, not in validate_phone: Optional() stops the phone field's own checks
        # when it is empty, which is exactly the case to catch.
        if self.contact_method.data == "phone" and not (self.phone.data or "").strip() and not self.phone.errors:
            self.phone.errors = list(self.phone.errors) + [
                "Enter a phone number so we can call you, or choose email as the way to contact you"]
            valid = False
        if self.contact_method.data == "text" and not self.mobile.errors:
            if not (self.mobile.data or "").strip():
                self.mobile.errors = ["Enter a UK mobile number so we can text you, or choose email as the "
                                      "way to contact you"]
                valid = False
            elif uk_mobile(self.mobile.data) is None:
                self.mobile.errors = [MOBILE_ERROR]
                valid = False
        return valid


class DetailsForm(JoinForm):
    """What a member can change later (email: leave and join again)."""
    email = None
    panel_consent = None


class EmailForm(FlaskForm):
    email = EmailField("Email address", validators=[
        DataRequired("Enter your email address"),
        Length(max=254, message="Email address must be 254 characters or fewer"),
        Email("Enter an email address in the correct format, like name@example.com")])


class ReplyForm(FlaskForm):
    reply = RadioField("Can you come?", choices=[("accepted", "Yes, I can come"), ("declined", "No, I can't come")],
                   validators=[InputRequired("Select whether you can come")],
                   invalid_message="Select whether you can come")


class StaffReplyForm(FlaskForm):
    reply = RadioField("Reply", choices=[("accepted", "Accepted"), ("declined", "Declined"), ("pending", "No reply yet")],
                   validators=[InputRequired("Select a reply")], invalid_message="Select a reply")


class CensusForm(FlaskForm):
    csv_file = FileField("Upload a CSV file")


class InviteForm(FlaskForm):
    details = TextAreaField("What to tell them", validators=[
        DataRequired("Enter the date, time and place of the event"),
        Length(max=3000, message="Details must be 3000 characters or fewer")])


class SeedForm(FlaskForm):
    seed = StringField("Random seed (optional)", validators=[
        Optional(), Length(max=9, message="The seed must be a whole number of up to 9 digits")])

    def validate_seed(self, field):
        if field.data and not field.data.strip().isdigit():
            raise ValidationError("The seed must be a whole number of up to 9 digits")


class DrawForm(SeedForm):
    title = StringField("Event name", validators=[DataRequired("Enter the name of the event"),
                                                  Length(max=200, message="Event name must be 200 characters or fewer")])
    size = IntegerField("How many people to draw", validators=[
        InputRequired("Enter how many people to draw, as a whole number"),
        NumberRange(min=1, max=1000, message="The number of people must be between 1 and 1000")])
    one_per_household = BooleanField("At most one person per household", default=True)


class MailoutForm(FlaskForm):
    consultation = SelectField("Consultation", choices=[], coerce=_int_or_none, validate_choice=False,
                               validators=[InputRequired("Select an open consultation")])
    ward = SelectField("Ward (optional)", choices=[], coerce=_int_or_none, validate_choice=False)
    age_band = SelectField("Age group (optional)", choices=[("", "Any age")] + PANEL_AGE_BANDS,
                           validate_choice=False)
    topic = SelectField("Topic of interest (optional)", choices=[], coerce=_int_or_none, validate_choice=False)


def quota_value(text):
    """'' -> None; a whole number 0..10000 -> int; anything else -> ValueError."""
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 5 or int(text) > 10000:
        raise ValueError
    return int(text)
