"""Fields made of one part per option (a rank, a grid row, a budget item), named
<field name>-<option id>, so each kind keeps one field and one error, GOV.UK style.

`parts` keeps exactly what was typed, to show again beside the error; `data` is the same dict
with the empty parts left out. The kind's validator (a closure passed in `validators`) turns it
into values and raises ValidationError naming the question.
"""
import wtforms
from wtforms.utils import unset_value


class PartsField(wtforms.Field):
    def __init__(self, label=None, validators=None, *, keys=(), **kwargs):
        super().__init__(label, validators, **kwargs)
        self.type = "PartsField"
        self.keys = [str(k) for k in keys]
        self.parts = dict.fromkeys(self.keys, "")
        self.error_parts = set()  # which parts to outline
        self.values = {}  # set by the validator: {option id: value}

    def part_id(self, key) -> str:
        """The first part carries the field's own id, so the error summary link lands on it."""
        return self.id if str(key) == self.keys[0] else f"{self.id}-{key}"

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.raw_data = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        data = data or {}
        self.parts = {k: str(data.get(k, data.get(int(k) if k.isdigit() else k, "")) or "") for k in self.keys}
        if formdata is not None:  # a form sent: what it carries, and nothing if it carries none
            self.parts = {k: (formdata.get(f"{self.name}-{k}") or "").strip()[:30] for k in self.keys}
            self.raw_data = [" ".join(self.parts.values()).strip()]
        self.data = {k: v for k, v in self.parts.items() if v}

    def pre_validate(self, form):
        self.error_parts = set()
