"""Forms: a host registering, the record of a conversation, and officers' decisions."""
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from app.common import equality
from app.common.fields import GovDateField, MultiCheckboxField, RadioField, SelectField
from app.conversations.models import GROUP_TALLIES, HOST_KINDS
from app.themes.forms import IntegerField

TEXT_LIMIT = 10_000  # characters of notes or words for one question


class HostForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired("Enter your name"),
                                                 Length(max=200, message="Your name must be 200 characters or fewer")])
    organisation = StringField("Name of your group or organisation", validators=[
        DataRequired("Enter the name of your group or organisation"),
        Length(max=200, message="The name of your group must be 200 characters or fewer")])
    kind = RadioField("What kind of group is it?", choices=list(HOST_KINDS.items()),
                      validators=[InputRequired("Select what kind of group it is")])
    email = EmailField("Email address", description="We send the link to your conversation kit here", validators=[
        DataRequired("Enter your email address"), Length(max=254, message="Email address must be 254 characters or fewer"),
        Email("Enter an email address in the correct format, like name@example.com")])
    subject = SelectField("What will your group talk about?", choices=[],
                          description="An open consultation, or a topic if none fits",
                          validators=[InputRequired("Select what your group will talk about")],
                          invalid_message="Select what your group will talk about")


class HostDecisionForm(FlaskForm):
    decision = RadioField("Decision", choices=[("approve", "Approve: email them the link to their kit"),
                                               ("decline", "Decline")],
                          validators=[InputRequired("Select approve or decline")])
    reason = TextAreaField("Reason for declining", description="Sent to the host in the email",
                           validators=[Length(max=1000, message="The reason must be 1000 characters or fewer")])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.decision.data == "decline" and not (self.reason.data or "").strip():
            self.reason.errors = [*self.reason.errors, "Enter the reason for declining"]
            ok = False
        return ok


class RecordDecisionForm(FlaskForm):
    decision = RadioField("Decision", choices=[("accept", "Accept: its comments join the consultation's results"),
                                               ("return", "Return it to the host to change")],
                          validators=[InputRequired("Select accept or return")])
    note = TextAreaField("What should the host change?", description="Sent to the host in the email",
                         validators=[Length(max=1000, message="The note must be 1000 characters or fewer")])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.decision.data == "return" and not (self.note.data or "").strip():
            self.note.errors = [*self.note.errors, "Enter what the host should change"]
            ok = False
        return ok


def _count(label):
    return IntegerField(label, validators=[Optional(), NumberRange(0, 10_000, f"{label} must be 0 or more")],
                        invalid_message=f"{label}: enter a whole number, like 4")


def record_form(questions, photo_choices, **kwargs):
    """The record form for a kit's questions (KitQuestion list); photo_choices are the record's
    photos a host may remove."""
    fields = {
        "held_on": GovDateField("Date of the conversation", required_message="Enter the date of the conversation"),
        "place": StringField("Where it took place", description="For example, the community centre on Mill Lane",
                             validators=[DataRequired("Enter where the conversation took place"),
                                         Length(max=200, message="Where it took place must be 200 characters or fewer")]),
        "participants": IntegerField("How many people took part?", validators=[
            InputRequired("Enter how many people took part"),
            NumberRange(1, 10_000, "How many people took part must be 1 or more")],
            invalid_message="Enter how many people took part as a whole number, like 12"),
        "photos": MultipleFileField("Photos of the flipcharts (optional)"),
        "photos_agreed": BooleanField("The group agreed to share these photos, and they show no names or faces"),
        "remove_photos": MultiCheckboxField("Remove photos", choices=photo_choices),
    }
    for code, label in equality.AGE_BANDS:
        fields[f"age_{code}"] = _count(f"Aged {label[:1].lower()}{label[1:]}")
    for key, label in GROUP_TALLIES.items():
        fields[f"group_{key}"] = _count(label)
    for q in questions:
        fields[f"notes_{q.position}"] = TextAreaField(
            "What the group said", validators=[Length(max=TEXT_LIMIT, message=(
                f"What the group said about question {q.number} must be {TEXT_LIMIT:,} characters or fewer"))])
        fields[f"words_{q.position}"] = TextAreaField(
            "Each person's own words (optional)", validators=[Length(max=TEXT_LIMIT, message=(
                f"People's words for question {q.number} must be {TEXT_LIMIT:,} characters or fewer"))])
    form_class = type("RecordForm", (_RecordForm,), fields)
    form = form_class(**kwargs)  # formdata: the request's form and files, as any FlaskForm
    form.questions = questions
    return form


class _RecordForm(FlaskForm):
    questions = ()

    def age_fields(self):
        return [self[f"age_{code}"] for code, _ in equality.AGE_BANDS]

    def group_fields(self):
        return [self[f"group_{key}"] for key in GROUP_TALLIES]

    def tallies(self) -> dict:
        values = {code: self[f"age_{code}"].data for code, _ in equality.AGE_BANDS}
        values.update({key: self[f"group_{key}"].data for key in GROUP_TALLIES})
        return {key: value for key, value in values.items() if value}

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.held_on.data and self.held_on.data > date.today():
            self.held_on.add_error("The date of the conversation must be today or in the past")
            ok = False
        people = self.participants.data or 0
        ages = sum(f.data or 0 for f in self.age_fields())
        if people and ages > people:
            first = self.age_fields()[0]
            first.errors = [*first.errors, f"The age tallies add up to {ages}, more than the {people} "
                                           "people who took part"]
            ok = False
        for f in self.group_fields():
            if people and (f.data or 0) > people:
                f.errors = [*f.errors, f"{f.label.text}: {f.data} is more than the {people} people who took part"]
                ok = False
        said = any((self[f"notes_{q.position}"].data or "").strip() or (self[f"words_{q.position}"].data or "").strip()
                   for q in self.questions)
        if self.questions and not said:
            first = self[f"notes_{self.questions[0].position}"]
            first.errors = [*first.errors, "Enter what was said for at least one question"]
            ok = False
        return ok
