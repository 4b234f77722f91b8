"""Grid: several statements answered on one scale (by default Strongly disagree … Strongly agree).

Each statement is its own fieldset with its own legend and a row of radios, so a screen reader
announces the statement with every choice; on a wide screen the rows line up like a table.
Stored as a row per statement: option_id is the statement, scale_value the point (1 = first)."""
from wtforms.validators import ValidationError

from app.consultations.kinds import Kind, register
from app.consultations.kinds.fields import PartsField
from app.consultations.kinds.queries import answer_values
from app.consultations.models import AGREEMENT_LABELS
from app.consultations.wording import quoted

MAX_POINTS = 10


def scale(question) -> list[str]:
    return list(question.setting("scale") or AGREEMENT_LABELS.values())


def _key(text) -> str:
    return " ".join(text.split()).casefold()


@register
class GridKind(Kind):
    key = "grid"
    uses_options = True

    def _points(self, form) -> list[str]:
        return [line.strip() for line in (form.scale.data or "").splitlines() if line.strip()]

    def settings_from_form(self, form):
        return {"scale": self._points(form) or None}

    def builder_data(self, question):
        return {"scale": "\n".join(question.setting("scale") or [])}

    def check_builder(self, form):
        points = self._points(form)
        if points and not 2 <= len(points) <= MAX_POINTS:
            form.scale.errors.append(f"Enter from 2 to {MAX_POINTS} points on the scale, each on its own line")
        elif any(len(p) > 60 for p in points):
            form.scale.errors.append("Each point on the scale must be 60 characters or fewer")
        elif len({_key(p) for p in points}) != len(points):
            form.scale.errors.append("Each point on the scale must be different")
        else:
            return True
        return False

    def fields(self, question, enforce_required):
        points = len(scale(question))
        label = question.text if question.required else f"{question.text} (optional)"
        statements = {str(o.id): o.label for o in question.options}

        def check(form, field):
            field.values = {}
            for key, value in field.data.items():
                if not value.isdigit() or not 1 <= int(value) <= points:
                    field.error_parts = {key}
                    raise ValidationError(f"Select from the options shown for {quoted(question)}")
                field.values[int(key)] = int(value)
            if question.required and enforce_required:
                missing = [key for key in statements if key not in field.data]
                if missing:
                    field.error_parts = set(missing)
                    raise ValidationError(f"Select an answer for “{statements[missing[0]]}” in {quoted(question)}")

        return {question.field_name: PartsField(label, validators=[check], description=question.hint,
                                                keys=list(statements))}

    def answers(self, question, form):
        values = form[question.field_name].values
        return [{"option_id": o.id, "scale_value": values[o.id]} for o in question.options if o.id in values]

    def form_data(self, question, answers):
        return {question.field_name: {str(a.option_id): str(a.scale_value) for a in answers}}

    def summary(self, question, threshold):
        points = scale(question)
        counts = {}
        people = set()
        for answer in answer_values(question):
            people.add(answer.response_id)
            counts[(answer.option_id, answer.scale_value)] = counts.get((answer.option_id, answer.scale_value), 0) + 1
        rows = []
        for option in question.options:
            cells = [counts.get((option.id, n), 0) for n in range(1, len(points) + 1)]
            total = sum(cells)
            rows.append({"label": option.label, "total": total,
                         "cells": [(c, 100.0 * c / total if total else 0.0) for c in cells],
                         "mean": sum(n * c for n, c in enumerate(cells, start=1)) / total if total else None})
        return {"answered": len(people), "scale": points, "rows": rows}

    def _lines(self, question, answers):
        points = scale(question)
        labels = {o.id: o.label for o in question.options}
        return [f"{labels.get(a.option_id, '')}: {points[a.scale_value - 1]}" for a in answers
                if a.scale_value and a.scale_value <= len(points)]

    def cell(self, question, answers):
        return "; ".join(self._lines(question, answers))

    def as_text(self, question, answers):
        return self._lines(question, answers)

    def parse_cell(self, question, text):
        """'Statement: point; Statement: point', as the export writes it."""
        statements = {_key(o.label): o for o in question.options}
        points = {_key(p): n for n, p in enumerate(scale(question), start=1)}
        found = {}
        for part in (p for p in text.split(";") if p.strip()):
            statement, _sep, point = part.rpartition(":")
            option = statements.get(_key(statement))
            if option is None:
                return [], f"“{statement.strip()[:60]}” is not one of the statements of {quoted(question)}"
            if _key(point) not in points:
                return [], f"“{point.strip()[:60]}” is not on the scale of {quoted(question)}"
            found[option.id] = points[_key(point)]
        return [{"option_id": option_id, "scale_value": value} for option_id, value in found.items()], None
