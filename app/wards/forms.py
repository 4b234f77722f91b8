from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.common.fields import MultiCheckboxField
from app.wards.models import WardUpdate


class WardForm(FlaskForm):
    name = StringField("Ward name", validators=[DataRequired("Enter the ward's name"),
                                                 Length(max=120, message="Ward name must be 120 characters or fewer")])


class PostcodeImportForm(FlaskForm):
    file = FileField("Postcode lookup CSV", description="A CSV file with the headings postcode,ward")


def _length(maximum, what):
    return Length(max=maximum, message=f"{what} must be {maximum} characters or fewer")


class WebAddress:
    """An optional full http(s) address: anything else (javascript:, a bare word) is refused,
    because the address becomes a link on a public page."""

    def __init__(self, what):
        self.message = f"Enter {what} starting with https:// or http://, like https://www.example.org"

    def __call__(self, form, field):
        value = (field.data or "").strip()
        field.data = value
        if not value:
            return
        try:
            parts = urlsplit(value)
        except ValueError:
            raise ValidationError(self.message) from None
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "." not in parts.hostname \
                or any(ch.isspace() for ch in value):
            raise ValidationError(self.message)


def _strip(value):
    # Browsers send CRLF line ends: count a new line as one character, as the character count does.
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


class WardUpdateForm(FlaskForm):
    title = StringField("Title", filters=[_strip],
                        validators=[DataRequired("Enter a title"), _length(120, "Title")])
    text = TextAreaField("Update", filters=[_strip], description="Plain text. Leave a blank line between paragraphs.",
                         validators=[DataRequired("Enter the update"), _length(WardUpdate.TEXT_MAX, "The update")])
    link = StringField("Link for more information (optional)", filters=[_strip],
                       validators=[_length(500, "The link"), WebAddress("the link")])


class PartnerForm(FlaskForm):
    name = StringField("Organisation name", filters=[_strip],
                       validators=[DataRequired("Enter the organisation's name"), _length(160, "Organisation name")])
    description = TextAreaField("What they do", filters=[_strip],
                                description="Plain text, shown on each ward page the organisation is listed on",
                                validators=[DataRequired("Say what the organisation does"),
                                            _length(1000, "What they do")])
    website = StringField("Website (optional)", filters=[_strip],
                          validators=[_length(300, "Website"), WebAddress("the website")])
    contact = StringField("Public contact details (optional)", filters=[_strip],
                          description="For example, an email address or phone number residents can use",
                          validators=[_length(300, "Contact details")])
    wards = MultiCheckboxField("Wards they work in", description="Select all that apply",
                               invalid_message="Select wards from the list")

    def validate_wards(self, field):
        if not field.data:
            raise ValidationError("Select at least one ward")


class ConfirmForm(FlaskForm):
    """A button plus CSRF token."""
