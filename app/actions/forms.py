from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (HiddenField, IntegerField, RadioField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.actions.models import ACTION_STATUSES, RESPONSE_KINDS
from app.common.fields import GovDateField


def _max(n, what):
    return Length(max=n, message=f"{what} must be {n} characters or fewer")


class ImportForm(FlaskForm):
    title = StringField("Plan title", description="For example, Fairer Action Plan 2025 to 2029",
                        validators=[DataRequired("Enter the plan's title"), _max(200, "Plan title")])
    file = FileField("Action plan CSV file", description=(
        "Columns: Objective, Action, How will we know we have achieved it?, Key milestones; "
        "optionally Priority, Portfolio holder, Lead officer, Timescale"))


class ImportConfirmForm(FlaskForm):
    # The checked file waits on the server (ImportDraft); the form carries only its token.
    token = HiddenField(validators=[DataRequired(), _max(64, "Token")])


class ActionForm(FlaskForm):
    number = StringField("Action number", description="As published, for example 2.3",
                         validators=[_max(20, "Action number")])
    title = StringField("Title", validators=[DataRequired("Enter the action's title"), _max(300, "Title")])
    description = TextAreaField("Description", validators=[_max(5000, "Description")])
    how_we_will_know = TextAreaField("How will we know we have achieved it?",
                                     validators=[_max(5000, "How we will know")])
    priority = StringField("Priority or aim", validators=[_max(200, "Priority")])
    objective = TextAreaField("Objective", validators=[_max(2000, "Objective")])
    portfolio_holder_id = SelectField("Portfolio holder", choices=[], validate_choice=False)
    lead_officer = StringField("Lead officer", validators=[_max(200, "Lead officer")])
    timescale = StringField("Timescale", description="For example, April 2025 to March 2027",
                            validators=[_max(120, "Timescale")])


class StatusForm(FlaskForm):
    status = RadioField("Status", choices=list(ACTION_STATUSES.items()),
                        validators=[DataRequired("Select a status")])
    reason = TextAreaField("If it can't proceed, why not?",
                           description="Required for “Can't proceed”. Shown to the public.",
                           validators=[_max(5000, "Reason")])


class UpdateForm(FlaskForm):
    update_date = GovDateField("Date of the update", validators=[InputRequired("Enter the date of the update")])
    text = TextAreaField("What has happened", validators=[DataRequired("Enter the update"), _max(5000, "Update")])
    percent = IntegerField("Percentage complete (optional)", validators=[
        Optional(), NumberRange(0, 100, "Percentage must be between 0 and 100")])


class MilestoneForm(FlaskForm):
    title = StringField("Milestone", validators=[DataRequired("Enter the milestone"), _max(300, "Milestone")])
    target_date = GovDateField("Target date (optional)", validators=[Optional()])


class MilestoneMetForm(FlaskForm):
    completed_on = GovDateField("Date met", validators=[InputRequired("Enter the date the milestone was met")])


def _change_note():
    return TextAreaField("What did you change?",
                         description="Shown to the public in the page's history, for example: "
                                     "corrected the estate named in the response on damp and mould.",
                         validators=[_max(300, "What you changed")])


class ResponseForm(FlaskForm):
    themes = SelectMultipleField("Themes this responds to", coerce=int, choices=[], validate_choice=False,
                                 validators=[DataRequired("Select at least one theme")])
    kind = RadioField("What did the council do?",
                      choices=[(k, "Set aside: a theme raised in only one comment" if k == "set_aside" else v)
                               for k, v in RESPONSE_KINDS.items()],
                      validators=[DataRequired("Select what the council did")])
    text = TextAreaField("What we did, are doing, or why we can't",
                         description="Plain English. Shown to the public. For a theme set aside, say why.",
                         validators=[DataRequired("Enter the response"), _max(5000, "Response")])
    action_id = SelectField("Linked action (for “We are doing”)", choices=[], validate_choice=False)
    change_note = _change_note()  # asked for once the page is published (app/actions/ysyw_versions.py)


class SummaryForm(FlaskForm):
    summary = TextAreaField("Introduction (optional)", description="A short summary shown at the top of the page.",
                            validators=[_max(5000, "Introduction")])
    change_note = _change_note()


class DeleteResponseForm(FlaskForm):
    change_note = _change_note()


class EmptyForm(FlaskForm):
    """A button plus CSRF token."""


class WithdrawForm(FlaskForm):
    reason = TextAreaField("Why are you withdrawing it?",
                           description="This goes in the consultation's history, for example: "
                                       "the response to one theme named the wrong estate.",
                           validators=[DataRequired("Enter why you are withdrawing the page"),
                                       _max(300, "The reason")])


class ReportForm(FlaskForm):
    class Meta:
        csrf = False

    # A GET form: the boxes arrive as date_from-day, date_from-month, date_from-year in the query string.
    date_from = GovDateField("From", error_name="The start date", validators=[Optional()])
    date_to = GovDateField("To", error_name="The end date", validators=[Optional()])
