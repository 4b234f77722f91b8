"""A consultation with one question of every newer kind, and form data answering it well."""
from tests import factories

QUESTIONS = [
    {"kind": "single_choice", "text": "How do you get to the park?", "required": True,
     "options": ["Walk", "Bus", "Car"], "settings": {"other": True}},
    {"kind": "multiple_choice", "text": "What would you use there?", "options": ["Toilets", "Cafe"],
     "settings": {"other": True}},
    {"kind": "ranking", "text": "Rank the council's priorities", "required": True,
     "options": ["Parks", "Libraries", "Roads", "Bins"], "settings": {"rank_limit": 3}},
    {"kind": "grid", "text": "How do you rate the park?", "required": True, "options": ["Cleanliness", "Safety"]},
    {"kind": "number", "text": "How many times you visited last month", "required": True,
     "settings": {"min": 0, "max": 100, "whole": True}},
    {"kind": "date", "text": "When did you last visit?",
     "settings": {"earliest": "2020-01-01", "latest": "2026-12-31"}},
    {"kind": "email", "text": "Your work email"},
    {"kind": "postcode", "text": "Your postcode"},
    {"kind": "budget", "text": "Share out £100", "required": True, "options": ["Parks", "Libraries", "Roads"],
     "settings": {"mode": "allocate", "total": 100}},
    {"kind": "budget", "text": "Change the budgets", "options": ["Libraries", "Roads"],
     "settings": {"mode": "adjust", "limit": 10, "current": {"Libraries": 1000, "Roads": 2000}}},
]


def every_kind(status="open"):
    return factories.consultation(status=status, questions=QUESTIONS, title="Every kind")


def good_answers(c, **overrides):
    single, multi, ranking, grid, number, date, email, postcode, allocate, adjust = c.questions
    opt = lambda q, i: q.options[i].id  # noqa: E731
    data = {
        single.field_name: "other", f"{single.field_name}_other": "Cycle",
        multi.field_name: [str(opt(multi, 0)), "other"], f"{multi.field_name}_other": "A bandstand",
        f"{ranking.field_name}-{opt(ranking, 2)}": "1", f"{ranking.field_name}-{opt(ranking, 0)}": "2",
        f"{grid.field_name}-{opt(grid, 0)}": "4", f"{grid.field_name}-{opt(grid, 1)}": "2",
        number.field_name: "12",
        f"{date.field_name}-day": "3", f"{date.field_name}-month": "4", f"{date.field_name}-year": "2025",
        email.field_name: "Sam@Example.ORG", postcode.field_name: "nb1 2ab",
        f"{allocate.field_name}-{opt(allocate, 0)}": "50", f"{allocate.field_name}-{opt(allocate, 1)}": "30",
        f"{allocate.field_name}-{opt(allocate, 2)}": "20",
        f"{adjust.field_name}-{opt(adjust, 0)}": "1100", f"{adjust.field_name}-{opt(adjust, 1)}": "1900",
    }
    data.update(overrides)
    return data
