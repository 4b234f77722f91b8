"""Question kinds beyond the first four (free text, single and multiple choice, agreement).

Each kind is a module here with a `Kind` subclass registered under its key of
models.QUESTION_KINDS. The shared code asks the registry, and only the registry:

- forms.build_response_form    -> kind.fields(question, enforce_required)
- responses.save_response      -> kind.answers(question, form)   (Answer keyword arguments)
- responses.form_data          -> kind.form_data(question, answers)
- results (staff and public)   -> kind.summary(question, threshold), rendered by the macros in
                                  templates/consultations/kinds/<key>.html
- CSV export / import          -> kind.cell(question, answers) / kind.parse_cell(question, text)
- the question builder         -> kind.settings_from_form(form), kind.check_builder(form)

"Other – please specify" on single and multiple choice questions is not a kind: it lives in
other.py and is called from the choice code paths.

To add a kind: a module with a registered Kind subclass, imported at the bottom of this file,
its key and label in QUESTION_KINDS, and a template with `answer_field` and `summary` macros.
"""
from statistics import mean, median

REGISTRY: dict[str, "Kind"] = {}


def register(cls):
    REGISTRY[cls.key] = cls()
    return cls


def kind_for(question) -> "Kind | None":
    """The registered kind of a question, or None for the first four kinds."""
    return REGISTRY.get(question.kind)


class Kind:
    key = ""
    uses_options = False  # the builder's "Options" box lists its options, statements or items
    public = True  # shown on the public results page (email and postcode are not)

    @property
    def template(self) -> str:
        return f"consultations/kinds/{self.key}.html"

    # --- the builder ---------------------------------------------------------------------
    def settings_from_form(self, form) -> dict:
        return {}

    def builder_data(self, question) -> dict:
        """The builder form's data for an existing question's settings."""
        return {}

    def check_builder(self, form) -> bool:
        """Add errors to the builder form's settings fields; True if all is well."""
        return True

    # --- the resident's form ----------------------------------------------------------------
    def fields(self, question, enforce_required) -> dict:
        """{field name: unbound field}; the main one is question.field_name."""
        raise NotImplementedError

    def answers(self, question, form) -> list[dict]:
        """Answer keyword arguments (without question_id) from a validated form."""
        raise NotImplementedError

    def form_data(self, question, answers) -> dict:
        raise NotImplementedError

    # --- results and CSV --------------------------------------------------------------------
    def summary(self, question, threshold):
        raise NotImplementedError

    def cell(self, question, answers) -> str:
        """The CSV export cell; `answers` have option_id, scale_value, text, number, date_value."""
        raise NotImplementedError

    def parse_cell(self, question, text) -> tuple[list[dict], str | None]:
        """(Answer keyword arguments, problem) for a non-empty CSV import cell."""
        return [], "This kind of question can't be imported from a CSV file yet"

    def as_text(self, question, answers) -> list[str]:
        """The resident's read-only copy of their answer."""
        cell = self.cell(question, answers)
        return [cell] if cell else []


def number_text(value, places=2) -> str:
    """12 -> "12", 12.5 -> "12.5", 1234567 -> "1,234,567"."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{places}f}".rstrip("0").rstrip(".")


def stats(values) -> dict:
    values = [v for v in values if v is not None]
    if not values:
        return {"count": 0, "mean": None, "median": None, "min": None, "max": None}
    return {"count": len(values), "mean": mean(values), "median": median(values),
            "min": min(values), "max": max(values)}


from app.consultations.kinds import budget, contact, date, grid, number, ranking  # noqa: E402,F401  register
