"""Budget allocation, as in a budget simulator. Two modes:

- "allocate": share a fixed total (say £100) across the items; each from £0 to the total.
- "adjust": each item (a service) starts at its current budget and may be cut or raised by up
  to a percentage; the new budgets must add up to the same total (the balance is zero).

Works without JavaScript: the server checks every amount and the total ("Your allocations add up
to £90; they must add up to £100"). An optional "adjust" question sent back unchanged counts as
not answered (the boxes start at the current budgets). With JavaScript, app/static/js/budget.js shows the running
total in a live region as the resident types. Stored as a row per item with the amount in
`number`. Results: mean and median amount per item (and, when adjusting, the mean change)."""
from statistics import mean, median

from wtforms.validators import ValidationError

from app.consultations.kinds import Kind, number_text, register
from app.consultations.kinds.fields import PartsField
from app.consultations.kinds.number import to_number
from app.consultations.kinds.queries import answer_values
from app.consultations.wording import quoted

MODES = {"allocate": "Share out a fixed total across the items",
         "adjust": "Cut or raise each item's current budget, keeping the same total"}


def money(value) -> str:
    return f"£{number_text(value)}"


def split_line(line) -> tuple[str, str]:
    """'Libraries | 1,200,000' -> ('Libraries', '1,200,000'); 'Parks' -> ('Parks', '')."""
    label, _sep, amount = line.partition("|")
    return label.strip(), amount.strip()


def items(question) -> list[dict]:
    """Each item's label, starting amount and limits, in the officer's order."""
    mode = question.setting("mode", "allocate")
    total = question.setting("total") or 0
    limit = (question.setting("limit") or 0) / 100
    current = question.setting("current") or {}
    found = []
    for option in question.options:
        if mode == "adjust":
            start = current.get(option.label, 0)
            low, high = round(start * (1 - limit)), round(start * (1 + limit))
        else:
            start, low, high = 0, 0, total
        found.append({"option": option, "label": option.label, "start": start, "low": low, "high": high})
    return found


def target(question) -> float:
    if question.setting("mode", "allocate") == "adjust":
        return sum(item["start"] for item in items(question))
    return question.setting("total") or 0


@register
class BudgetKind(Kind):
    key = "budget"
    uses_options = True

    def settings_from_form(self, form):
        mode = form.budget_mode.data if form.budget_mode.data in MODES else "allocate"
        settings = {"mode": mode}
        if mode == "allocate":
            settings["total"] = to_number(form.budget_total.data)
        else:
            settings["limit"] = to_number(form.budget_limit.data)
            settings["current"] = {label: to_number(amount) for label, amount in
                                   (split_line(line) for line in (form.options.data or "").splitlines() if line.strip())}
        return settings

    def builder_data(self, question):
        lines = [o.label for o in question.options]
        if question.setting("mode") == "adjust":
            current = question.setting("current") or {}
            lines = [f"{o.label} | {number_text(current.get(o.label, 0)).replace(',', '')}" for o in question.options]
        return {"budget_mode": question.setting("mode", "allocate"), "options": "\n".join(lines),
                "budget_total": number_text(question.setting("total")).replace(",", ""),
                "budget_limit": number_text(question.setting("limit"))}

    def check_builder(self, form):
        if form.budget_mode.data not in MODES:
            form.budget_mode.errors.append("Select how people share out the budget")
            return False
        if form.budget_mode.data == "allocate":
            total = to_number(form.budget_total.data)
            if total is None or total <= 0 or not total.is_integer():
                form.budget_total.errors.append("Enter the total people share out as a whole number of pounds, like 100")
                return False
            return True
        ok = True
        limit = to_number(form.budget_limit.data)
        if limit is None or not 0 < limit <= 100:
            form.budget_limit.errors.append("Enter the most a budget may change as a percentage from 1 to 100, like 20")
            ok = False
        for line in (form.options.data or "").splitlines():
            label, amount = split_line(line)
            value = to_number(amount)
            if label and (value is None or value < 0 or not value.is_integer()):
                form.options.errors.append(f"Put each service's current budget after a “|”, in whole pounds, "
                                           f"like “{label[:40]} | 250000”")
                ok = False
                break
        return ok

    def check(self, question, amounts: dict[int, float]) -> str | None:
        """A message naming the question, or None. `amounts`: {option id: amount}, every item."""
        for item in items(question):
            value = amounts[item["option"].id]
            if not item["low"] <= value <= item["high"]:
                return (f"Enter an amount from {money(item['low'])} to {money(item['high'])} for "
                        f"{item['label']} in {quoted(question)}")
        total, wanted = sum(amounts.values()), target(question)
        if abs(total - wanted) > 0.005:
            return f"Your allocations add up to {money(total)}; they must add up to {money(wanted)}"
        return None

    def fields(self, question, enforce_required):
        label = question.text if question.required else f"{question.text} (optional)"
        listed = items(question)

        def check(form, field):
            field.values = {}
            if not field.data:
                if question.required and enforce_required:
                    raise ValidationError(f"Enter your allocations for {quoted(question)}")
                return
            amounts = {}
            for item in listed:
                key = str(item["option"].id)
                text = field.data.get(key, "")
                value = to_number(text) if text else item["start"]
                if value is None or not float(value).is_integer():
                    field.error_parts = {key}
                    raise ValidationError(f"Enter a whole number of pounds for {item['label']} in {quoted(question)}")
                amounts[item["option"].id] = value
            message = self.check(question, amounts)
            if message:
                field.error_parts = set(field.keys)
                raise ValidationError(message)
            if not (question.required and enforce_required) and all(
                    amounts[i["option"].id] == i["start"] for i in listed if i["start"]):
                return  # an optional "adjust" left as it was shown: not answered, not "no change"
            field.values = amounts

        hint = question.hint or (f"Share out {money(target(question))}. Your amounts must add up to exactly "
                                 f"{money(target(question))}." if question.setting("mode", "allocate") == "allocate" else
                                 f"Change any budget by up to {number_text(question.setting('limit'))}% either way. "
                                 f"The total must stay {money(target(question))}.")
        start = {str(i["option"].id): number_text(i["start"]).replace(",", "") for i in listed if i["start"]}
        return {question.field_name: PartsField(label, validators=[check], description=hint, default=start,
                                                keys=[item["option"].id for item in listed])}

    def answers(self, question, form):
        values = form[question.field_name].values
        return [{"option_id": option_id, "number": amount} for option_id, amount in values.items()]

    def form_data(self, question, answers):
        if not answers:  # adjust: start from the current budgets
            return {question.field_name: {str(i["option"].id): number_text(i["start"]).replace(",", "")
                                          for i in items(question) if i["start"]}}
        # (every item has a row once answered)
        return {question.field_name: {str(a.option_id): number_text(a.number).replace(",", "") for a in answers}}

    def summary(self, question, threshold):
        amounts, people = {}, set()
        for answer in answer_values(question):
            if answer.number is not None:
                amounts.setdefault(answer.option_id, []).append(answer.number)
                people.add(answer.response_id)
        rows = []
        for item in items(question):
            values = amounts.get(item["option"].id, [])
            rows.append({"label": item["label"], "start": item["start"],
                         "mean": mean(values) if values else None, "median": median(values) if values else None,
                         "change": (mean(values) - item["start"]) if values else None})
        return {"answered": len(people), "rows": rows, "mode": question.setting("mode", "allocate"),
                "target": target(question)}

    def cell(self, question, answers):
        labels = {o.id: o.label for o in question.options}
        order = {o.id: o.position for o in question.options}
        return "; ".join(f"{labels.get(a.option_id, '')}: {number_text(a.number).replace(',', '')}"
                         for a in sorted(answers, key=lambda a: order.get(a.option_id, 0)))

    def as_text(self, question, answers):
        labels = {o.id: o.label for o in question.options}
        return [f"{labels.get(a.option_id, '')}: {money(a.number)}" for a in answers]

    def parse_cell(self, question, text):
        """'Parks: 40; Roads: 60', as the export writes it; items not named keep their start."""
        by_label = {" ".join(i["label"].split()).casefold(): i for i in items(question)}
        amounts = {i["option"].id: i["start"] for i in items(question)}
        for part in (p for p in text.split(";") if p.strip()):
            label, _sep, amount = part.rpartition(":")
            item = by_label.get(" ".join(label.split()).casefold())
            if item is None:
                return [], f"“{label.strip()[:60]}” is not one of the items of {quoted(question)}"
            value = to_number(amount)
            if value is None:
                return [], f"Enter a whole number of pounds for {item['label']} in {quoted(question)}"
            amounts[item["option"].id] = value
        message = self.check(question, amounts)
        if message:
            return [], message
        return [{"option_id": option_id, "number": value} for option_id, value in amounts.items()], None
