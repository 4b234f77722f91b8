"""The shared GOV.UK date input (app/common/fields.py GovDateField, rendered by macros/forms.html)."""
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import InputRequired, Optional

from app.common.fields import GovDateField


class DateForm(Form):
    when = GovDateField("Date of the visit")
    maybe = GovDateField("Target date (optional)", validators=[Optional()])


def _boxes(name, day="", month="", year=""):
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def _form(**fields):
    data = {**_boxes("when", "27", "3", "2027"), **_boxes("maybe")}
    data.update(fields)
    return DateForm(MultiDict(data))


def test_a_real_date_is_read_and_an_empty_optional_date_is_none():
    form = _form()
    assert form.validate(), form.errors
    assert form.when.data == date(2027, 3, 27) and form.maybe.data is None


def test_optional_date_missing_from_the_request_altogether_is_none():
    form = DateForm(MultiDict(_boxes("when", "1", "Feb", "2027")))  # month names are understood too
    assert form.validate(), form.errors
    assert form.when.data == date(2027, 2, 1) and form.maybe.data is None


@pytest.mark.parametrize("fields, field, message, boxes", [
    (_boxes("when"), "when", "Enter the date of the visit", {"day", "month", "year"}),
    (_boxes("when", "27", "", "2027"), "when", "Date of the visit must include a month", {"month"}),
    (_boxes("when", "", "3", ""), "when", "Date of the visit must include a day and a year", {"day", "year"}),
    (_boxes("maybe", "1", "", ""), "maybe", "Target date must include a month and a year", {"month", "year"}),
    (_boxes("when", "31", "2", "2027"), "when", "Date of the visit must be a real date, like 27 3 2027",
     {"day", "month", "year"}),
    (_boxes("when", "x", "3", "2027"), "when", "Date of the visit must be a real date", {"day"}),
    (_boxes("when", "9" * 100_000, "3", "2027"), "when", "Date of the visit must be a real date", {"day", "month", "year"}),
    (_boxes("when", "1", "3", "27"), "when", "Date of the visit must have a year between 2000 and 2100", {"year"}),
    (_boxes("maybe", "1", "3", "99999"), "maybe", "Target date must have a year between 2000 and 2100", {"year"}),
])
def test_bad_dates_get_a_message_naming_the_problem(fields, field, message, boxes):
    form = _form(**fields)
    assert not form.validate()
    assert form[field].errors[0].startswith(message)
    assert form[field].error_parts == boxes
    assert form[field].data is None


def test_what_was_typed_is_kept_on_error():
    form = _form(**_boxes("when", " 31 ", "2", "2027"))
    assert not form.validate()
    assert form.when.parts == {"day": "31", "month": "2", "year": "2027"}


def test_input_required_message_and_custom_messages():
    class Custom(Form):
        on = GovDateField("On", validators=[InputRequired("Enter the date the milestone was met")],
                          year_message="Enter a year between 2000 and 2100")
    form = Custom(MultiDict(_boxes("on")))
    assert not form.validate() and form.on.errors == ["Enter the date the milestone was met"]
    form = Custom(MultiDict(_boxes("on", "1", "1", "1999")))
    assert not form.validate() and form.on.errors == ["Enter a year between 2000 and 2100"]


def test_renders_three_labelled_boxes_with_the_error_beside_them(app):
    form = _form(**_boxes("when", "27", "", "2027"))
    form.validate()
    template = app.jinja_env.from_string(
        '{% from "macros/forms.html" import field, error_summary %}{{ error_summary(form) }}{{ field(form.when) }}')
    with app.test_request_context():
        html = " ".join(template.render(form=form).split())
    assert 'href="#when-month"' in html  # the summary links to the box that needs fixing
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s"> Date of the visit </legend>' in html
    for part, value in (("day", "27"), ("month", ""), ("year", "2027")):
        assert f'<label class="govuk-label govuk-date-input__label" for="when-{part}"> {part.capitalize()} </label>' in html
        assert f'id="when-{part}" name="when-{part}" type="text" value="{value}"' in html
    assert 'id="when-error"' in html and "Date of the visit must include a month" in html
    assert html.count("govuk-input--error") == 1  # only the month box is outlined


def test_prefilled_date_renders_in_the_boxes(app):
    form = DateForm(when=date(2026, 12, 5))
    template = app.jinja_env.from_string('{% from "macros/forms.html" import field %}{{ field(form.when) }}')
    with app.test_request_context():
        html = template.render(form=form)
    assert 'value="5"' in html and 'value="12"' in html and 'value="2026"' in html and "govuk-input--error" not in html


def test_an_error_added_after_validation_outlines_the_whole_date(app):
    form = _form()
    assert form.validate()
    form.when.add_error("The visit must be before the consultation closes")
    template = app.jinja_env.from_string(
        '{% from "macros/forms.html" import field, error_summary %}{{ error_summary(form) }}{{ field(form.when) }}')
    with app.test_request_context():
        html = " ".join(template.render(form=form).split())
    assert form.when.errors == ["The visit must be before the consultation closes"]
    assert 'href="#when-day"' in html and "The visit must be before the consultation closes" in html
    assert html.count("govuk-input--error") == 3
    assert form.when.data == date(2027, 3, 27)  # what was typed stays
