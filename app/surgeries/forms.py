"""Forms for venues, surgeries, finding and booking. Every message is GOV.UK style plain English."""
import re
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from app.notifications.phones import MOBILE_ERROR, uk_mobile
from app.common.fields import GovDateField, MultiCheckboxField, RadioField, SelectField, parse_time
from app.surgeries.models import KINDS, MEETING_MODES, REMOTE_OPTIONS
from app.surgeries.scheduling import MAX_OCCURRENCES

PHONE_RE = re.compile(r"^\+?[0-9 ()-]{7,25}$")


def _length(maximum, what):
    return Length(max=maximum, message=f"{what} must be {maximum} characters or fewer")


ACCESS_CHOICES = [("step_free", "Step-free access to the room"), ("accessible_toilet", "Accessible toilet"),
                  ("hearing_loop", "Hearing loop")]


class VenueForm(FlaskForm):
    name = StringField("Venue name", validators=[DataRequired("Enter the venue's name"), _length(160, "Venue name")])
    address = StringField("Address", validators=[DataRequired("Enter the address"), _length(300, "Address")])
    ward = SelectField("Ward", invalid_message="Select the ward the venue is in", required_message="Select the ward the venue is in")
    access = MultiCheckboxField("Access", invalid_message="Select options from the list", choices=ACCESS_CHOICES, description="Select all that apply")
    parking = TextAreaField("Parking", validators=[_length(2000, "Parking")])
    public_transport = TextAreaField("Public transport", validators=[_length(2000, "Public transport")])
    opening_notes = TextAreaField("Opening notes", description="For example, opening hours and which room surgeries use",
                                  validators=[_length(2000, "Opening notes")])


class SurgeryForm(FlaskForm):
    ward = SelectField("Ward", invalid_message="Select the ward", required_message="Select the ward")
    venue = SelectField("Venue", invalid_message="Select the venue", required_message="Select the venue")
    date = GovDateField("Date", description="For example, 5 12 2026", error_name="The date",
                        required_message="Enter the date of the surgery",
                        invalid_message="The date must be a real date, like 5 12 2026",
                        year_message="Enter a year between 2000 and 2100")
    start_time = StringField("Start time", description="For example, 10:00 or 2:30pm",
                             validators=[DataRequired("Enter the start time"), _length(10, "Start time")])
    end_time = StringField("End time", description="For example, 12:00 or 4pm",
                           validators=[DataRequired("Enter the end time"), _length(10, "End time")])
    kind = RadioField("How residents see you", choices=list(KINDS.items()), default="slots",
                  invalid_message="Select how residents see you", required_message="Select how residents see you")
    slot_minutes = StringField("Slot length in minutes", description="For example, 15. Needed for bookable slots",
                               validators=[_length(3, "Slot length")])
    remote_option = RadioField("Phone or video", choices=list(REMOTE_OPTIONS.items()), default="none",
                           invalid_message="Select whether residents can meet by phone or video", required_message="Select whether residents can meet by phone or video")
    cohosts = MultiCheckboxField("Co-hosts (optional)", invalid_message="Select options from the list", description="Other staff who will be there; they see the bookings too")

    def validate_start_time(self, field):
        self.parsed_start = parse_time(field.data)
        if self.parsed_start is None:
            raise ValidationError("Enter the start time as hours and minutes, like 10:00 or 2:30pm")

    def validate_end_time(self, field):
        self.parsed_end = parse_time(field.data)
        if self.parsed_end is None:
            raise ValidationError("Enter the end time as hours and minutes, like 12:00 or 4pm")

    def validate_slot_minutes(self, field):
        self.parsed_slot_minutes = None
        text = (field.data or "").strip()
        if self.kind.data not in ("slots", "both"):
            return
        if not text:
            raise ValidationError("Enter the slot length in minutes")
        if not text.isdigit() or not 5 <= int(text) <= 240:
            raise ValidationError("Slot length must be a whole number of minutes between 5 and 240")
        self.parsed_slot_minutes = int(text)


class NewSurgeryForm(SurgeryForm):
    repeat = RadioField("Repeat", default="none", invalid_message="Select whether the surgery repeats", required_message="Select whether the surgery repeats", choices=[
        ("none", "Does not repeat"), ("monthly", "Every month on the same weekday (for example, the first Saturday)"),
        ("weekly", "Every week")])
    occurrences = StringField("How many dates in total", description=f"From 2 to {MAX_OCCURRENCES}",
                              validators=[_length(3, "Number of dates")])

    def validate_occurrences(self, field):
        self.parsed_occurrences = 1
        if self.repeat.data == "none":
            return
        text = (field.data or "").strip()
        if not text.isdigit() or not 2 <= int(text) <= MAX_OCCURRENCES:
            raise ValidationError(f"Enter a number of dates from 2 to {MAX_OCCURRENCES}")
        self.parsed_occurrences = int(text)


class CancelSurgeryForm(FlaskForm):
    pass


class AttendanceForm(FlaskForm):
    attendance = RadioField("Attendance", choices=[("attended", "Attended"), ("no_show", "Did not come")],
                        invalid_message="Choose attended or did not come", required_message="Choose attended or did not come")


class FindForm(FlaskForm):
    class Meta:
        csrf = False  # a search: GET, nothing changes

    postcode = StringField("Postcode", description="For example, NB1 2AB",
                           validators=[Optional(), _length(10, "Postcode")])
    ward = SelectField("Or choose your ward", invalid_message="Choose a ward from the list")


class BookingForm(FlaskForm):
    slot = RadioField("Choose a time", invalid_message="Choose a time", required_message="Choose a time")
    meeting_mode = RadioField("How would you like to meet?", choices=list(MEETING_MODES.items()), default="in_person",
                          invalid_message="Select how you would like to meet", required_message="Select how you would like to meet")
    name = StringField("Full name", validators=[DataRequired("Enter your name"), _length(120, "Name")])
    email = EmailField("Email address", description="We will send your confirmation and a reminder here",
                       validators=[Optional(), _length(254, "Email address"),
                                   Email("Enter an email address in the correct format, like name@example.com")])
    phone = StringField("Phone number", description="For example, 07700 900 982",
                        validators=[Optional(), _length(25, "Phone number")])
    # Offered only when GOV.UK Notify is set up (routes.py); "mobile" is revealed under "Text message".
    contact_preference = RadioField("How should we send your confirmation and reminder?", default="email",
                                    choices=[("email", "Email"), ("text", "Text message")],
                                    invalid_message="Select how we should send your confirmation and reminder",
                                    required_message="Select how we should send your confirmation and reminder")
    mobile = StringField("UK mobile number", description="We'll text your confirmation and a reminder the day before",
                         validators=[Optional(), _length(30, "UK mobile number")])
    topic = TextAreaField("What would you like to talk about? (optional)",
                          description="Only the councillor or officer you are meeting will see this",
                          validators=[_length(1000, "What you would like to talk about")])
    access_needs = TextAreaField("Do you have any access needs? (optional)",
                                 description="For example, a British Sign Language interpreter, or help with steps",
                                 validators=[_length(1000, "Access needs")])

    def validate_phone(self, field):
        if field.data and not PHONE_RE.match(field.data.strip()):
            raise ValidationError("Enter a phone number, like 07700 900 982 or +44 7700 900 982")

    def validate_mobile(self, field):
        if self.contact_preference.data == "text" and uk_mobile(field.data) is None:
            raise ValidationError(MOBILE_ERROR)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Here, not in validate_mobile: Optional() skips that for an empty box, the case to catch.
        if self.contact_preference.data == "text" and not (self.mobile.data or "").strip():
            self.mobile.errors = ["Enter a UK mobile number so we can text you, or choose email"]
            valid = False
        texts = self.contact_preference.data == "text" and not self.mobile.errors
        email, phone = (self.email.data or "").strip(), (self.phone.data or "").strip()
        if not email and not phone and not texts and not self.email.errors and not self.phone.errors:
            self.email.errors.append("Enter an email address or a phone number, or both")
            valid = False
        if self.meeting_mode.data == "phone" and not phone and not self.phone.errors:
            self.phone.errors.append("Enter a phone number so we can call you")
            valid = False
        if self.meeting_mode.data == "video" and not email and not self.email.errors:
            self.email.errors.append("Enter an email address so we can send you the video link")
            valid = False
        return valid


class MoveForm(FlaskForm):
    slot = RadioField("Choose a new time", invalid_message="Choose a new time", required_message="Choose a new time")


class ConfirmCancelForm(FlaskForm):
    pass
