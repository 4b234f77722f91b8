"""The compass's figures: the median rating of each theme for a round, for groups of residents
(from their "About you" answers, matched in the application with the pseudonymous key), and
for rounds compared side by side or over time. Groups under the small-number threshold are
never shown.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import median

from sqlalchemy import select

from app.consultations.models import AboutYou, Answer
from app.extensions import db
from app.places.models import PlaceQuestion
from app.places.themes import BY_KEY, THEMES

# Groups the compass can be drawn for: key -> (name, test on an "About you" row).
GROUPS = {
    "young": ("Young people (under 25)", lambda a: a.age_band in ("under_16", "16_17", "18_24")),
    "disabled": ("Disabled residents", lambda a: a.disability == "disabled"),
    "tenants": ("Tenants (council, housing association or private)",
                lambda a: a.tenure in ("social_council", "social_ha", "private_rent")),
}


@dataclass
class Compass:
    """One line on the compass: a median per theme (None when nobody rated it)."""
    label: str
    respondents: int
    medians: dict[str, float | None] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    suppressed: bool = False  # fewer respondents than the threshold: figures withheld

    def values(self) -> list[float | None]:
        return [self.medians.get(t.key) for t in THEMES]

    def lowest(self, n=3) -> list[str]:
        """The names of the n themes most in need of improvement (lowest medians)."""
        rated = sorted((m, i) for i, m in enumerate(self.values()) if m is not None)
        return [THEMES[i].name for _m, i in rated[:n]]


def ratings(survey) -> dict[int, dict[str, int]]:
    """{response id: {theme key: rating}} for every rating in the round, in one query."""
    rows = db.session.execute(
        select(Answer.response_id, PlaceQuestion.theme, Answer.scale_value)
        .join(PlaceQuestion, PlaceQuestion.question_id == Answer.question_id)
        .where(PlaceQuestion.survey_id == survey.id, PlaceQuestion.part == "rating",
               Answer.scale_value.is_not(None)))
    found = defaultdict(dict)
    for response_id, theme, value in rows:
        found[response_id][theme] = value
    return found


def _compass(label, by_response: dict[int, dict[str, int]], threshold=0) -> Compass:
    values = defaultdict(list)
    for answers in by_response.values():
        for theme, value in answers.items():
            values[theme].append(value)
    compass = Compass(label=label, respondents=len(by_response))
    if compass.respondents < threshold:
        compass.suppressed = True
        return compass
    for theme in BY_KEY:
        compass.counts[theme] = len(values[theme])
        compass.medians[theme] = float(median(values[theme])) if values[theme] else None
    return compass


def overall(survey, label=None) -> Compass:
    return _compass(label or survey.place, ratings(survey))


def by_group(survey, threshold: int, given=None) -> list[Compass]:
    """The compass for everyone, then for each group (suppressed under `threshold` people)."""
    by_response = given if given is not None else ratings(survey)
    about = AboutYou.for_responses(survey.consultation_id, set(by_response))
    result = [_compass("Everyone", by_response)]
    for name, test in GROUPS.values():
        members = {rid: answers for rid, answers in by_response.items()
                   if rid in about and test(about[rid])}
        result.append(_compass(name, members, threshold))
    return result


def over_time(surveys) -> list[Compass]:
    """One compass per round of the same place, oldest first, labelled by round."""
    return [overall(s, label=s.round_label) for s in surveys]


def side_by_side(surveys) -> list[Compass]:
    """One compass per place (a comparison between places), labelled "place (round)"."""
    return [overall(s, label=f"{s.place} ({s.round_label})") for s in surveys]
