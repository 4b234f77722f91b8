"""Email address and postcode: checked and stored normalised. Personal data, so never on the
public results page; staff see counts (postcodes by district, small numbers hidden)."""
import re

from email_validator import EmailNotValidError, validate_email
from wtforms import StringField
from wtforms.validators import ValidationError

from app.consultations.kinds import Kind, register
from app.consultations.kinds.queries import answer_values
from app.consultations.wording import quoted

# The shapes of a UK postcode (outward code, then inward code: a digit and two letters).
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][ABD-HJLNP-UW-Z]{2})$")


def normalise_postcode(text) -> str | None:
    """' sw1a1aa ' -> 'SW1A 1AA'; None if it isn't shaped like a UK postcode."""
    value = re.sub(r"\s+", "", (text or "")).upper()
    match = _POSTCODE.match(value)
    return f"{match.group(1)} {match.group(2)}" if match else None


def normalise_email(text) -> str | None:
    try:
        return validate_email((text or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


class _TextKind(Kind):
    public = False
    missing = invalid = ""
    autocomplete = ""

    def parse(self, question, text):
        raise NotImplementedError

    def fields(self, question, enforce_required):
        label = question.text if question.required else f"{question.text} (optional)"

        def check(form, field):
            field.clean = None
            if not (field.data or "").strip():
                if question.required and enforce_required:
                    raise ValidationError(self.missing.format(q=quoted(question)))
                return
            field.clean, message = self.parse(question, field.data)
            if message:
                raise ValidationError(message)

        return {question.field_name: StringField(label, description=question.hint, validators=[check],
                                                 filters=[lambda v: v.strip()[:254] if isinstance(v, str) else v])}

    def answers(self, question, form):
        clean = getattr(form[question.field_name], "clean", None)
        return [{"text": clean}] if clean else []

    def form_data(self, question, answers):
        return {question.field_name: answers[0].text if answers else ""}

    def cell(self, question, answers):
        return answers[0].text if answers and answers[0].text else ""

    def parse_cell(self, question, text):
        clean, message = self.parse(question, text)
        return ([{"text": clean}], None) if message is None else ([], message)


@register
class EmailKind(_TextKind):
    key = "email"
    missing = "Enter an email address for {q}"
    autocomplete = "email"

    def parse(self, question, text):
        clean = normalise_email(text)
        if clean is None:
            return None, f"Enter an email address in the correct format, like name@example.com, for {quoted(question)}"
        return clean, None

    def summary(self, question, threshold):
        return {"count": len(answer_values(question))}


@register
class PostcodeKind(_TextKind):
    key = "postcode"
    missing = "Enter a postcode for {q}"
    autocomplete = "postal-code"

    def parse(self, question, text):
        clean = normalise_postcode(text)
        if clean is None:
            return None, f"Enter a full UK postcode, like NB1 2AB, for {quoted(question)}"
        return clean, None

    def summary(self, question, threshold):
        """People per postcode district (the outward code), districts of few people hidden."""
        districts = {}
        for row in answer_values(question):
            district = (row.text or "").split(" ")[0]
            districts[district] = districts.get(district, 0) + 1
        shown = {d: n for d, n in sorted(districts.items()) if n >= threshold}
        return {"count": sum(districts.values()), "districts": shown,
                "hidden": sum(n for n in districts.values() if n < threshold), "threshold": threshold}
