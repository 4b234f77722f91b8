"""Forms: the officer's consultation and question forms, and the resident's response form,
which is built from the consultation's questions each time."""
from datetime import datetime

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from app.common import equality
from app.common.timeutil import london_to_utc, to_london
from app.common.fields import (GovDateField, MultiCheckboxField, RadioField, SelectField,
                                      format_time, parse_time)
from app.consultations import kinds
from app.consultations.kinds import other
from app.consultations.kinds.budget import split_line
from app.consultations.kinds.builder import KindSettingsFields
from app.consultations.models import AUDIENCE_TAGS, CHANNELS, OPTION_KINDS, QUESTION_KINDS, \
    WORKFLOW_CHANNELS
from app.consultations.wording import quoted  # noqa: F401  (used here and by importers of forms)

FREE_TEXT_MAX = 5000
MAX_OPTIONS = 30


# NUL bytes are removed from all input by app.common.security.CleanRequest.
Form = FlaskForm


def _too_long(what, limit):
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer")


class ConsultationForm(Form):
    title = StringField("Title", validators=[DataRequired("Enter a title"), _too_long("Title", 200)])
    summary = TextAreaField("Summary", description="One or two sentences shown in the list of consultations.",
                            validators=[DataRequired("Enter a summary"), _too_long("Summary", 400)])
    body = TextAreaField("What you are consulting on", description="Leave a blank line between paragraphs.",
                         validators=[DataRequired("Enter what you are consulting on"), _too_long("The description", 20000)])
    scope = RadioField("Which area does it concern?", choices=[("borough", "The whole borough"),
                                                               ("wards", "Particular wards")],
                       validators=[InputRequired("Select the whole borough or particular wards")])
    wards = MultiCheckboxField("Wards", description="Select all that apply.")
    topics = MultiCheckboxField("Topics", description="Residents can filter consultations by topic.")
    new_topics = StringField("Add new topics (optional)", description="Separate topics with commas, for example: Libraries, Road safety",
                             validators=[_too_long("New topics", 300)])
    audience_tags = MultiCheckboxField("Who it is especially for (optional)",
                                       choices=[(t, t) for t in AUDIENCE_TAGS])
    opens_on = GovDateField("Opening date")
    opens_time = StringField("Opening time", description="For example, 9am or 17:30",
                             validators=[DataRequired("Enter the opening time"), _too_long("Opening time", 20)])
    closes_on = GovDateField("Closing date")
    closes_time = StringField("Closing time", description="For example, 11:59pm or 17:00",
                              validators=[DataRequired("Enter the closing time"), _too_long("Closing time", 20)])

    def __init__(self, *args, ward_choices=(), topic_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.wards.choices = list(ward_choices)
        self.topics.choices = list(topic_choices)
        self.opens_at = self.closes_at = None  # naive UTC, set by validate()

    @classmethod
    def from_consultation(cls, consultation, **kwargs):
        opens, closes = to_london(consultation.opens_at), to_london(consultation.closes_at)
        return cls(data={
            "title": consultation.title, "summary": consultation.summary, "body": consultation.body,
            "scope": "borough" if consultation.borough_wide else "wards",
            "wards": [str(w.id) for w in consultation.wards],
            "topics": [str(t.id) for t in consultation.topics],
            "audience_tags": list(consultation.audience_tags or []),
            "opens_on": opens.date(), "opens_time": format_time(opens.time()),
            "closes_on": closes.date(), "closes_time": format_time(closes.time()),
        }, **kwargs)

    def validate_wards(self, field):
        if self.scope.data == "wards" and not field.data:
            raise ValidationError("Select at least one ward, or choose the whole borough")

    def validate_opens_time(self, field):
        if parse_time(field.data) is None:
            raise ValidationError("Enter the opening time as a time, like 9am or 17:30")

    def validate_closes_time(self, field):
        if parse_time(field.data) is None:
            raise ValidationError("Enter the closing time as a time, like 11:59pm or 17:00")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.opens_on.data and not self.opens_time.errors and self.opens_time.data:
            self.opens_at = london_to_utc(datetime.combine(self.opens_on.data, parse_time(self.opens_time.data)))
        if self.closes_on.data and not self.closes_time.errors and self.closes_time.data:
            self.closes_at = london_to_utc(datetime.combine(self.closes_on.data, parse_time(self.closes_time.data)))
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            self.closes_on.add_error("The closing date and time must be after the opening date and time")
            ok = False
        return ok

    def new_topic_names(self) -> list[str]:
        names = [n.strip()[:80] for n in (self.new_topics.data or "").split(",")]
        return [n for n in names if n]


class ReopenForm(Form):
    """A new closing date and time for a consultation that closed (early or on time)."""
    closes_on = GovDateField("New closing date")
    closes_time = StringField("New closing time", description="For example, 11:59pm or 17:00",
                              validators=[DataRequired("Enter the new closing time"),
                                          _too_long("Closing time", 20)])

    def validate_closes_time(self, field):
        if parse_time(field.data) is None:
            raise ValidationError("Enter the closing time as a time, like 11:59pm or 17:00")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        self.closes_at = None  # naive UTC
        if ok:
            self.closes_at = london_to_utc(datetime.combine(self.closes_on.data,
                                                            parse_time(self.closes_time.data)))
        return ok


class QuestionForm(KindSettingsFields, Form):
    kind = RadioField("Type of question", choices=list(QUESTION_KINDS.items()),
                      validators=[InputRequired("Select the type of question")],
                      invalid_message="Select the type of question")
    text = StringField("Question", validators=[DataRequired("Enter the question"), _too_long("The question", 500)])
    hint = StringField("Hint text (optional)", description="Helps people answer, for example: Choose up to three.",
                       validators=[_too_long("Hint text", 500)])
    required = BooleanField("People must answer this question")
    options = TextAreaField("Options", description="For single and multiple choice, ranking (the options), grid "
                            "(the statements) and budget (the items) questions. Put each on its own line.",
                            validators=[_too_long("Options", 6000)])
    max_choices = StringField("Most options a person may choose (optional)",
                              description="Multiple choice only. Leave empty to allow any number.",
                              validators=[_too_long("The number", 5)])

    def option_labels(self) -> list[str]:
        lines = [line.strip() for line in (self.options.data or "").splitlines() if line.strip()]
        if self.kind.data == "budget":  # "Libraries | 250000": the amount is a setting
            lines = [split_line(line)[0] for line in lines]
        return [line for line in lines if line]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        kind = kinds.REGISTRY.get(self.kind.data)
        return (kind.check_builder(self) if kind is not None else True) and ok

    def validate_options(self, field):
        if self.kind.data not in OPTION_KINDS:
            return
        labels = self.option_labels()
        if len(labels) < 2:
            raise ValidationError("Enter at least 2 options, each on its own line")
        if len(labels) > MAX_OPTIONS:
            raise ValidationError(f"Enter {MAX_OPTIONS} options or fewer")
        if any(len(label) > 200 for label in labels):
            raise ValidationError("Each option must be 200 characters or fewer")
        if len({label.lower() for label in labels}) != len(labels):
            raise ValidationError("Each option must be different")

    def validate_max_choices(self, field):
        value = (field.data or "").strip()
        if not value or self.kind.data != "multiple_choice":
            return
        if not value.isdigit() or not 1 <= int(value) <= MAX_OPTIONS:
            raise ValidationError("Enter the most options a person may choose as a whole number, like 3")

    def max_choices_value(self) -> int | None:
        value = (self.max_choices.data or "").strip()
        return int(value) if value.isdigit() and self.kind.data == "multiple_choice" else None


def _about_you_fields(ward_choices):
    """The optional "About you" questions; built fresh so they come after the questions."""
    def radios(label, choices, hint=None):
        return RadioField(label, choices=equality.with_prefer_not(choices), description=hint,
                          validators=[Optional()])

    return {
        "about_age_band": radios("What is your age?", equality.AGE_BANDS),
        "about_sex": radios("What is your sex?", equality.SEXES),
        "about_ethnic_group": radios("What is your ethnic group?", equality.ETHNIC_CHOICES,
                                     "These are the groups used in the 2021 Census."),
        "about_disability": radios(
            "Do you have a physical or mental health condition or illness lasting or expected to last 12 months or more?",
            equality.DISABILITY),
        "about_tenure": radios("Which best describes your home?", equality.TENURES),
        "about_ward": SelectField("Which ward do you live in?", choices=[("", "Choose a ward")] + list(ward_choices)
                                  + [(equality.PREFER_NOT, equality.PREFER_NOT_LABEL)],
                                  description="If you do not know, leave this empty.", validators=[Optional()]),
    }


ABOUT_YOU_FIELDS = ["about_age_band", "about_sex", "about_ethnic_group", "about_disability",
                    "about_tenure", "about_ward"]


def _newlines(value):
    """Browsers send a line break as \r\n but the GOV.UK character count counts one: count it once."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def _question_fields(question, enforce_required) -> dict:
    """{field name: unbound field} for one question: a registered kind builds its own."""
    kind = kinds.kind_for(question)
    if kind is not None:
        return kind.fields(question, enforce_required)
    return {question.field_name: _question_field(question, enforce_required)} | other.fields(question)


def _question_field(question, enforce_required):
    label = question.text if question.required else f"{question.text} (optional)"
    must = [DataRequired(_required_message(question))] if question.required and enforce_required else [Optional()]
    if question.kind == "map":  # pins and places described in words (app/maps)
        from app.maps.services import question_field
        return question_field(question, label, enforce_required)
    if question.kind == "place_rating":  # the Place Standard's 1-7 scale (app/places)
        from app.places.fields import rating_field
        return rating_field(question, enforce_required)
    if question.kind == "free_text":
        return TextAreaField(label, description=question.hint, filters=[_newlines],
                             validators=must + [_too_long(f"Your answer to {quoted(question)}", FREE_TEXT_MAX)])
    if question.kind == "multiple_choice":
        validators = ([DataRequired(_required_message(question))] if question.required and enforce_required else [])
        if question.max_choices:
            validators.append(_at_most(question))
        return MultiCheckboxField(label, choices=other.choices(question), description=question.hint,
                                  validators=validators,
                                  invalid_message=f"Select only answers shown for {quoted(question)}")
    return RadioField(label, choices=other.choices(question), description=question.hint, validators=must,
                      invalid_message=f"Select one of the answers shown for {quoted(question)}")


def _required_message(question):
    if question.kind == "free_text":
        return f"Enter your answer to {quoted(question)}"
    return f"Select an answer to {quoted(question)}"


def _at_most(question):
    limit = question.max_choices

    def check(form, field):
        if len(field.data or []) > limit:
            raise ValidationError(f"Choose {limit} or fewer answers to {quoted(question)}")
    return check


class _ResponseFormBase(Form):
    # One-time key that makes sending the same form twice store one response (see responses.py).
    submission_key = HiddenField()
    questions = ()  # the consultation's questions, set by build_response_form

    def question_field(self, question):
        return self[question.field_name]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        # Checked here, not inline: Optional() on the field stops inline validators when empty.
        if self.keep_informed.data and not (self.contact_email.data or "").strip():
            self.contact_email.errors.append("Enter your email address so we can keep you informed")
            ok = False
        for question in self.questions:
            if other.has_other(question) and not self[question.field_name].errors:
                ok = other.check(self, question) and ok
        return ok


def build_response_form(consultation, ward_choices, *, staff_entry=False, data=None, formdata=None,
                        form_class=None):
    """A form for this consultation's questions, then "About you", then "Keep me informed".

    Staff entering a paper form do not have to fill every required question: paper forms
    come back incomplete, and an incomplete answer still counts. `form_class`: one made before
    by response_form_class for the same rows (app/consultations/respond_cache.py).
    """
    form_class = form_class or response_form_class(consultation, ward_choices, staff_entry=staff_entry)
    kwargs = {"data": data} if data else {}
    if formdata is not None:
        kwargs["formdata"] = formdata
    return form_class(**kwargs)


def response_form_class(consultation, ward_choices, *, staff_entry=False):
    fields = {}
    if staff_entry:
        fields["channel"] = RadioField("How was this response collected?",
                                       choices=[(k, v) for k, v in CHANNELS.items() if k not in WORKFLOW_CHANNELS],
                                       validators=[InputRequired("Select how the response was collected")])
        fields["collected_on"] = GovDateField(
            "Date collected", description="The day the form was filled in, the event was held or the call was taken. "
                                          "For example, 27 3 2027", required_message="Enter the date the response was collected")
    for question in consultation.questions:
        fields.update(_question_fields(question, enforce_required=not staff_entry))
    fields.update(_about_you_fields(ward_choices))
    fields["keep_informed"] = BooleanField("Email me about what the council does after this consultation")
    fields["contact_email"] = EmailField("Email address", validators=[
        Optional(), Email("Enter an email address in the correct format, like name@example.com"),
        _too_long("Email address", 254)])
    return type("ResponseForm", (_ResponseFormBase,), fields | {"questions": list(consultation.questions)})


class ReferenceForm(Form):
    """A resident's reference, typed to see what happened to their response (POST only: a
    reference in a URL would end up in logs)."""
    reference = StringField("Reference number", description="For example, K7QP-3MZD. It is on the page you saw "
                            "after you responded, and in the email we sent if you gave your email address.",
                            validators=[DataRequired("Enter your reference number"),
                                        _too_long("Reference number", 40)])


class ResponsesFileForm(Form):
    file = FileField("CSV file of responses", description="Saved as “CSV UTF-8”, with the column headings "
                     "of the template: Channel, Collected on and the wording of each question.")


class ImportConfirmForm(Form):
    # The checked file waits on the server (ResponseImportDraft); the form carries only its token.
    token = HiddenField(validators=[DataRequired(), Length(max=64)])
