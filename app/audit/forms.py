from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from app.audit.services import EVENTS, OUTCOMES
from app.common.fields import GovDateField


class AuditFilterForm(FlaskForm):
    """The admin's filters; a GET form (nothing changes), so no CSRF token."""

    class Meta:
        csrf = False

    event = SelectField("Event", choices=[("", "Any event")] + list(EVENTS.items()), validators=[Optional()])
    outcome = SelectField("Outcome", choices=[("", "Any outcome")] + [(o, o.capitalize()) for o in OUTCOMES],
                          validators=[Optional()])
    actor = StringField("Who (name or part of an email address)", validators=[
        Length(max=100, message="Who must be 100 characters or fewer")])
    start = GovDateField("From (optional)", validators=[Optional()])
    end = GovDateField("To (optional)", validators=[Optional()])
