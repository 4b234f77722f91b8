"""Ranking: put up to N of the options in order. Without drag and drop: each option has a
"Rank" select (Not ranked, 1 … N), which works with a keyboard, a screen reader and no
JavaScript. Results: how often each option was ranked, its mean rank and Borda points (an
option ranked 1st of N scores N, 2nd scores N-1, …)."""
from wtforms.validators import ValidationError

from app.consultations.kinds import Kind, register
from app.consultations.kinds.fields import PartsField
from app.consultations.kinds.queries import answer_values
from app.consultations.wording import quoted


def rank_limit(question) -> int:
    count = len(question.options)
    return min(question.setting("rank_limit") or count, count)


def ordinal(n) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


@register
class RankingKind(Kind):
    key = "ranking"
    uses_options = True

    def settings_from_form(self, form):
        value = (form.rank_limit.data or "").strip()
        return {"rank_limit": int(value) if value.isdigit() else None}

    def builder_data(self, question):
        return {"rank_limit": str(question.setting("rank_limit") or "")}

    def check_builder(self, form):
        value = (form.rank_limit.data or "").strip()
        if value and (not value.isdigit() or not 1 <= int(value) <= len(form.option_labels())):
            form.rank_limit.errors.append("Enter how many options people rank as a whole number, "
                                          "no more than the number of options")
            return False
        return True

    def check(self, question, ranks: dict[int, int], required) -> str | None:
        """A message naming the question, or None. `ranks`: {option id: rank}."""
        limit = rank_limit(question)
        if not ranks:
            return f"Rank at least one option for {quoted(question)}" if required else None
        labels = {o.id: o.label for o in question.options}
        by_rank = {}
        for option_id, rank in ranks.items():
            by_rank.setdefault(rank, []).append(labels[option_id])
        for rank, names in sorted(by_rank.items()):
            if len(names) > 1:
                return (f"Give each rank to only one option for {quoted(question)}: "
                        f"{' and '.join(names)} are both ranked {rank}")
        for rank in range(1, max(by_rank) + 1):
            if rank not in by_rank:
                return (f"Rank the options in order from 1 with no gaps for {quoted(question)}: "
                        f"there is no option ranked {rank}")
        if len(ranks) > limit:
            return f"Rank {limit} options or fewer for {quoted(question)}"
        return None

    def fields(self, question, enforce_required):
        limit = rank_limit(question)
        label = question.text if question.required else f"{question.text} (optional)"

        def check(form, field):
            field.values = {}
            for key, value in field.data.items():
                if not value.isdigit() or not 1 <= int(value) <= limit:
                    field.error_parts = {key}
                    raise ValidationError(f"Choose a rank from 1 to {limit} for {quoted(question)}")
                field.values[int(key)] = int(value)
            message = self.check(question, field.values, question.required and enforce_required)
            if message:
                field.error_parts = set(field.data)
                raise ValidationError(message)

        hint = question.hint or (f"Give your first choice rank 1. Rank up to {limit} options; "
                                 "leave the others as “Not ranked”.")
        return {question.field_name: PartsField(label, validators=[check], description=hint,
                                                keys=[o.id for o in question.options])}

    def answers(self, question, form):
        values = form[question.field_name].values
        return [{"option_id": option_id, "scale_value": rank}
                for option_id, rank in sorted(values.items(), key=lambda item: item[1])]

    def form_data(self, question, answers):
        return {question.field_name: {str(a.option_id): str(a.scale_value) for a in answers}}

    def summary(self, question, threshold):
        limit = rank_limit(question)
        rows = {o.id: {"label": o.label, "ranked": 0, "first": 0, "rank_total": 0, "points": 0}
                for o in question.options}
        people = set()
        for answer in answer_values(question):
            row = rows.get(answer.option_id)
            if row is None or answer.scale_value is None:
                continue
            people.add(answer.response_id)
            row["ranked"] += 1
            row["first"] += answer.scale_value == 1
            row["rank_total"] += answer.scale_value
            row["points"] += max(limit + 1 - answer.scale_value, 0)
        for row in rows.values():
            row["mean_rank"] = row["rank_total"] / row["ranked"] if row["ranked"] else None
        ordered = sorted(rows.values(), key=lambda r: (-r["points"], r["mean_rank"] or 99, r["label"]))
        return {"answered": len(people), "rows": ordered, "limit": limit}

    def cell(self, question, answers):
        labels = {o.id: o.label for o in question.options}
        ranked = sorted((a for a in answers if a.scale_value), key=lambda a: a.scale_value)
        return "; ".join(labels.get(a.option_id, "") for a in ranked)

    def as_text(self, question, answers):
        labels = {o.id: o.label for o in question.options}
        ranked = sorted((a for a in answers if a.scale_value), key=lambda a: a.scale_value)
        return [f"{ordinal(a.scale_value)}: {labels.get(a.option_id, '')}" for a in ranked]

    def parse_cell(self, question, text):
        """Options in rank order, separated by ";": 'Parks; Libraries; Roads'."""
        by_label = {" ".join(o.label.split()).casefold(): o for o in question.options}
        ranks = {}
        for rank, part in enumerate((p for p in text.split(";") if p.strip()), start=1):
            option = by_label.get(" ".join(part.split()).casefold())
            if option is None:
                return [], f"“{part.strip()[:60]}” is not one of the options of {quoted(question)}"
            if option.id in ranks:
                return [], f"{option.label} is ranked twice for {quoted(question)}"
            ranks[option.id] = rank
        message = self.check(question, ranks, False)
        if message:
            return [], message
        return [{"option_id": option_id, "scale_value": rank} for option_id, rank in ranks.items()], None
