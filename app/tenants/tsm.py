"""The Regulator of Social Housing's tenant perception measures, TP01 to TP12.

Question wording and answer options as set out in "Tenant Satisfaction Measures: Technical
Requirements" and "Tenant Survey Requirements" (see docs/tenant-voice.md for the sources). The
regulator's "[your landlord]" is written "your landlord": one survey here covers the council's
tenants and housing-association tenants, each answering about their own landlord.

Pure data and arithmetic: no Flask, no database.
"""
from dataclasses import dataclass

SATISFACTION = ["Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied",
                "Fairly dissatisfied", "Very dissatisfied"]
AGREEMENT = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"]
NOT_APPLICABLE = "Not applicable/ don't know"
YES_NO = ["Yes", "No"]

FILTER_REPAIR = "REPAIR"
FILTER_COMPLAINT = "COMPLAINT"
FILTER_COMMUNAL = "COMMUNAL"
FILTERS = {
    FILTER_REPAIR: "Has your landlord carried out a repair to your home in the last 12 months?",
    FILTER_COMPLAINT: "Have you made a complaint to your landlord in the last 12 months?",
    FILTER_COMMUNAL: "Do you live in a building with communal areas, either inside or outside, that your "
                     "landlord is responsible for maintaining?",
}


@dataclass(frozen=True)
class Measure:
    code: str
    name: str  # the measure as the regulator names it in published results
    question: str
    options: tuple[str, ...]  # the answer scale, in order
    positive: int  # the first `positive` options count as satisfied (or agree)
    has_not_applicable: bool = False  # the last option is "not applicable/ don't know", left out of the base
    filter: str | None = None  # asked only of those answering "Yes" to this filter question

    @property
    def hint(self) -> str:
        if self.filter:
            return "Answer this if you said yes to the question before."
        return ""


def _sat(code, name, question, *, na=False, filter=None):
    options = tuple(SATISFACTION + ([NOT_APPLICABLE] if na else []))
    return Measure(code, name, question, options, 2, na, filter)


MEASURES = [
    _sat("TP01", "Proportion of respondents who report that they are satisfied with the overall service from "
                 "their landlord",
         "Taking everything into account, how satisfied or dissatisfied are you with the service provided by "
         "your landlord?"),
    _sat("TP02", "Proportion of respondents who have received a repair in the last 12 months who report that "
                 "they are satisfied with the overall repairs service",
         "How satisfied or dissatisfied are you with the overall repairs service from your landlord over the "
         "last 12 months?", filter=FILTER_REPAIR),
    _sat("TP03", "Proportion of respondents who have received a repair in the last 12 months who report that "
                 "they are satisfied with the time taken to complete their most recent repair",
         "How satisfied or dissatisfied are you with the time taken to complete your most recent repair after "
         "you reported it?", filter=FILTER_REPAIR),
    _sat("TP04", "Proportion of respondents who report that they are satisfied that their home is well "
                 "maintained",
         "How satisfied or dissatisfied are you that your landlord provides a home that is well maintained?"),
    _sat("TP05", "Proportion of respondents who report that they are satisfied that their home is safe",
         "Thinking about the condition of the property or building you live in, how satisfied or dissatisfied "
         "are you that your landlord provides a home that is safe?"),
    _sat("TP06", "Proportion of respondents who report that they are satisfied that their landlord listens to "
                 "tenant views and acts upon them",
         "How satisfied or dissatisfied are you that your landlord listens to your views and acts upon them?"),
    _sat("TP07", "Proportion of respondents who report that they are satisfied that their landlord keeps them "
                 "informed about things that matter to them",
         "How satisfied or dissatisfied are you that your landlord keeps you informed about things that "
         "matter to you?"),
    Measure("TP08", "Proportion of respondents who report that they agree their landlord treats them fairly "
                    "and with respect",
            "To what extent do you agree or disagree with the following “My landlord treats me fairly and "
            "with respect”?", tuple(AGREEMENT + [NOT_APPLICABLE]), 2, True),
    _sat("TP09", "Proportion of respondents who report making a complaint in the last 12 months who are "
                 "satisfied with their landlord’s approach to complaints handling",
         "How satisfied or dissatisfied are you with your landlord’s approach to complaints handling?",
         filter=FILTER_COMPLAINT),
    _sat("TP10", "Proportion of respondents with communal areas who report that they are satisfied that their "
                 "landlord keeps communal areas clean and well maintained",
         "How satisfied or dissatisfied are you that your landlord keeps these communal areas clean and well "
         "maintained?", filter=FILTER_COMMUNAL),
    _sat("TP11", "Proportion of respondents who report that they are satisfied that their landlord makes a "
                 "positive contribution to their neighbourhood",
         "How satisfied or dissatisfied are you that your landlord makes a positive contribution to your "
         "neighbourhood?", na=True),
    _sat("TP12", "Proportion of respondents who report that they are satisfied with their landlord’s approach "
                 "to handling anti-social behaviour",
         "How satisfied or dissatisfied are you with your landlord’s approach to handling anti-social "
         "behaviour?", na=True),
]
BY_CODE = {m.code: m for m in MEASURES}
ANYTHING_ELSE = ("Is there anything else you would like to tell us about the service your landlord provides "
                 "or how it could be improved?")
LANDLORD_QUESTION = "Who is your landlord?"
ESTATE_QUESTION = "Which estate do you live on?"


def order():
    """(kind, key) in the order the survey asks: each filter question just before its measures."""
    items, asked = [("landlord", None), ("estate", None)], set()
    for measure in MEASURES:
        if measure.filter and measure.filter not in asked:
            items.append(("filter", measure.filter))
            asked.add(measure.filter)
        items.append(("measure", measure.code))
    items.append(("anything_else", None))
    return items


@dataclass
class Result:
    """One measure for one set of respondents, calculated as the regulator defines it:
    satisfied (or agree) / everyone who answered the question, leaving out "not applicable/
    don't know" where the scale has it, and, for filtered measures, anyone not answering "Yes"
    to the filter question."""
    code: str
    positive: int
    base: int  # valid responses: the denominator
    not_applicable: int = 0

    @property
    def percent(self) -> float | None:
        return 100.0 * self.positive / self.base if self.base else None


def calculate(measure: Measure, answers: list[int], filter_yes: list[bool] | None = None) -> Result:
    """`answers`: the index into measure.options each respondent chose (one per respondent who
    answered); `filter_yes`: beside each, whether they said "Yes" to the filter question."""
    positive = base = not_applicable = 0
    for i, index in enumerate(answers):
        if measure.filter and not (filter_yes and filter_yes[i]):
            continue  # not asked: no repair / complaint / communal areas (or no answer to the filter)
        if measure.has_not_applicable and index == len(measure.options) - 1:
            not_applicable += 1
            continue
        base += 1
        if index < measure.positive:
            positive += 1
    return Result(measure.code, positive, base, not_applicable)
