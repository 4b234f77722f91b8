"""The response form's field for a Place Standard rating (radios 1 to 7), with messages that
name the theme: "Select a rating for Public transport". Called from consultations.forms."""

from app.common.fields import RadioField
from app.places.themes import RATING_LABELS, THEMES


def theme_name(question) -> str:
    """The theme a generated rating question asks about, from its wording ("Public transport: …")."""
    for theme in THEMES:
        if question.text.startswith(theme.name + ":"):
            return theme.name
    return question.text.split(":", 1)[0][:60]


def rating_field(question, enforce_required: bool) -> RadioField:
    name = theme_name(question)
    required = question.required and enforce_required
    return RadioField(
        question.text, choices=[(str(v), label) for v, label in RATING_LABELS.items()],
        description=question.hint, validators=[],  # not Optional(): it would clear the required message
        required_message=f"Select a rating for {name}" if required else None,
        invalid_message=f"Select a rating for {name} from 1 to 7")
