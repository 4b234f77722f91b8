"""Tenant perception surveys: made from the template in one step, measured as the regulator
defines (tsm.calculate), broken down by landlord, estate and "About you" group, and reviewed by
the Tenant Board. Flushes, never commits."""
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.actions.models import Action, ActionPlan
from app.common import equality
from app.consultations.models import AboutYou, Answer, Consultation, Question, QuestionOption
from app.consultations.results import BREAKDOWN_BY, _characteristic_values, _group_value
from app.extensions import db
from app.tenants import tsm
from app.tenants.models import TenantBoardReview, TenantSurvey, TenantSurveyItem
from app.themes.models import Theme, ThemeActionLink

SUMMARY = ("Tell us how satisfied you are with your landlord: the council or your housing association. "
           "Your answers give the landlord’s published tenant satisfaction measures.")
BODY = ("This survey asks the Regulator of Social Housing’s tenant perception questions, in the regulator’s "
        "words, so the results compare with every other social landlord in England.\n\n"
        "Answer about your own landlord. It takes about five minutes. The Tenant Board sees the results "
        "and reviews what we plan to do about them.")


def create_from_template(*, title, landlords, estates, opens_at, closes_at, user) -> Consultation:
    """A draft consultation with the whole survey: landlord, estate, TP01 to TP12 (each filter
    question just before the measures it filters) and the free-text question."""
    consultation = Consultation(title=title, summary=SUMMARY, body=BODY, borough_wide=True,
                                audience_tags=["Tenants", "Housing association residents"],
                                opens_at=opens_at, closes_at=closes_at, created_by=user)
    survey = TenantSurvey(consultation=consultation, created_by_id=getattr(user, "id", None))
    for position, (kind, key) in enumerate(tsm.order()):
        question = _question(kind, key)
        question.position = position
        consultation.questions.append(question)
        survey.items.append(TenantSurveyItem(question=question, kind=kind, key=key))
    _options(consultation.questions[0], landlords)
    _options(consultation.questions[1], estates)
    db.session.add_all([consultation, survey])
    db.session.flush()
    return consultation


def _question(kind, key) -> Question:
    if kind == "landlord":
        return Question(kind="single_choice", text=tsm.LANDLORD_QUESTION, required=True)
    if kind == "estate":
        return Question(kind="single_choice", text=tsm.ESTATE_QUESTION, required=False)
    if kind == "anything_else":
        return Question(kind="free_text", text=tsm.ANYTHING_ELSE, required=False)
    if kind == "filter":
        question = Question(kind="single_choice", text=tsm.FILTERS[key], required=False)
        _options(question, tsm.YES_NO)
        return question
    measure = tsm.BY_CODE[key]
    question = Question(kind="single_choice", text=measure.question, hint=measure.hint, required=False)
    _options(question, measure.options)
    return question


def _options(question, labels):
    for position, label in enumerate(labels):
        question.options.append(QuestionOption(label=label, position=position))


def survey_for(consultation) -> TenantSurvey | None:
    if consultation is None:
        return None
    return db.session.scalars(select(TenantSurvey).where(TenantSurvey.consultation_id == consultation.id)).first()


def surveys() -> list[TenantSurvey]:
    return db.session.scalars(select(TenantSurvey).join(Consultation)
                              .order_by(Consultation.opens_at.desc(), TenantSurvey.id.desc())).all()


# --- Results -----------------------------------------------------------------------------------

@dataclass
class Respondent:
    response_id: int
    landlord: str | None = None
    estate: str | None = None
    filters: dict = None  # filter key -> True for "Yes"
    measures: dict = None  # measure code -> index into its options


def respondents(survey) -> list[Respondent]:
    """Every response, read once: its landlord, estate, filter answers and measure answers."""
    items = [item for item in survey.items if item.question is not None]
    by_question = {item.question_id: item for item in items}
    index = {}
    for item in items:
        scale = tsm.BY_CODE[item.key].options if item.kind == "measure" else None
        for option in item.question.options:
            # A measure's answer is placed on the regulator's scale by its label, so an option an
            # officer renamed or reordered in the draft is never counted as something else.
            position = scale.index(option.label) if scale and option.label in scale else None
            index[option.id] = (position, option.label)
    people = {}
    rows = db.session.execute(select(Answer.response_id, Answer.question_id, Answer.option_id).where(
        Answer.question_id.in_(list(by_question)), Answer.option_id.is_not(None)))
    for response_id, question_id, option_id in rows:
        person = people.setdefault(response_id, Respondent(response_id, filters={}, measures={}))
        item = by_question[question_id]
        position, label = index[option_id]
        if item.kind == "landlord":
            person.landlord = label
        elif item.kind == "estate":
            person.estate = label
        elif item.kind == "filter":
            person.filters[item.key] = label == "Yes"
        elif item.kind == "measure" and position is not None:
            person.measures[item.key] = position
    return list(people.values())


def measure_results(people) -> list[tsm.Result]:
    results = []
    for measure in tsm.MEASURES:
        chosen = [p for p in people if measure.code in p.measures]
        results.append(tsm.calculate(measure, [p.measures[measure.code] for p in chosen],
                                     [bool(p.filters.get(measure.filter)) for p in chosen]))
    return results


@dataclass
class Column:
    label: str
    results: list  # tsm.Result, or None where the group is too small to show
    respondents: int | None  # None when suppressed


def threshold() -> int:
    return current_app.config["SMALL_NUMBER_THRESHOLD"]


def _column(label, people, limit) -> Column:
    results = measure_results(people)
    # A measure whose base is under the threshold is hidden: a small group can't be picked out.
    shown = [r if not (0 < r.base < limit) else None for r in results]
    return Column(label, shown, equality.suppress(len(people), limit))


def by_field(survey, people, field, labels) -> list[Column]:
    limit = threshold()
    return [_column(label, [p for p in people if getattr(p, field) == label], limit) for label in labels]


def _labels(survey, kind) -> list[str]:
    question = survey.question_for(kind)  # None if an officer deleted it from the draft
    return [o.label for o in question.options] if question else []


def by_landlord(survey, people) -> list[Column]:
    return by_field(survey, people, "landlord", _labels(survey, "landlord"))


def by_estate(survey, people) -> list[Column]:
    return by_field(survey, people, "estate", _labels(survey, "estate"))


def by_group(survey, people, characteristic) -> list[Column]:
    """The measures per "About you" group (matched in the application with the pseudonymous
    key, never a SQL join). Groups and measures under the threshold are hidden."""
    if characteristic not in BREAKDOWN_BY:
        raise ValueError(characteristic)
    about = AboutYou.for_responses(survey.consultation_id, {p.response_id for p in people})
    groups = {}
    for person in people:
        row = about.get(person.response_id)
        value = _group_value(characteristic, getattr(row, characteristic) if row else None)
        groups.setdefault(value, []).append(person)
    limit = threshold()
    return [_column(label, groups.get(value, []), limit) for value, label in _characteristic_values(characteristic)]


def measure_rows(survey, people):
    """The published figures as CSV rows: every measure for all tenants, then per landlord
    (a landlord publishes its own; small groups are left blank, as on the page)."""
    header = ["Landlord", "Code", "Measure", "Percentage", "Satisfied or agree", "Valid responses",
              "Not applicable/ don't know (left out)"]
    sets = [("All landlords", measure_results(people))]
    sets += [(c.label, c.results) for c in by_landlord(survey, people)]
    rows = []
    for label, results in sets:
        for measure, result in zip(tsm.MEASURES, results):
            if result is None:
                rows.append([label, measure.code, measure.name, f"fewer than {threshold()} answers", "", "", ""])
            else:
                rows.append([label, measure.code, measure.name,
                             "" if result.percent is None else f"{result.percent:.1f}",
                             result.positive, result.base, result.not_applicable])
    return header, rows


# --- The plan that answers the survey, and the Tenant Board's reviews --------------------------

def linked_actions(survey) -> list[Action]:
    """Actions confirmed as answering a theme of the survey's free-text question."""
    question = survey.question_for("anything_else")
    if question is None:
        return []
    return db.session.scalars(
        select(Action).join(ThemeActionLink, ThemeActionLink.action_id == Action.id)
        .join(Theme, Theme.id == ThemeActionLink.theme_id)
        .where(Theme.question_id == question.id, Theme.merged_into_id.is_(None),
               ThemeActionLink.status == "confirmed")
        .distinct().order_by(Action.plan_id, Action.position)).all()


def plans_for(survey) -> list[ActionPlan]:
    """Plans with actions linked to the survey first, then every other plan."""
    linked = []
    for action in linked_actions(survey):
        if action.plan not in linked:
            linked.append(action.plan)
    others = [p for p in db.session.scalars(select(ActionPlan).order_by(ActionPlan.title)) if p not in linked]
    return linked + others


def record_review(survey, plan, note, signed_off, user) -> TenantBoardReview:
    review = TenantBoardReview(survey=survey, plan=plan, plan_title=plan.title if plan else "",
                               note=note.strip(), signed_off=bool(signed_off), reviewer_id=user.id,
                               reviewer_name=user.name)
    db.session.add(review)
    db.session.flush()
    return review
