"""The fixed set of shared-goal indicators, worded as the national Community Life Survey asks them.

Sources and what could and could not be confirmed are in docs/tracker.md. Answers are stored as
the codes below; `agree` is the set of codes counted as "agreeing", the same definition the
national statistics use, so the council's percentage compares with the national one.
Changing a question's wording breaks comparison with earlier rounds and with the national figure:
add a new indicator code instead.
"""
from dataclasses import dataclass

AGREE_SCALE = [("definitely_agree", "Definitely agree"), ("tend_to_agree", "Tend to agree"),
               ("tend_to_disagree", "Tend to disagree"), ("definitely_disagree", "Definitely disagree")]
BELONG_SCALE = [("very_strongly", "Very strongly"), ("fairly_strongly", "Fairly strongly"),
                ("not_very_strongly", "Not very strongly"), ("not_at_all_strongly", "Not at all strongly")]
TRUST_SCALE = [("many", "Many can be trusted"), ("some", "Some can be trusted"),
               ("a_few", "A few can be trusted"), ("none", "None can be trusted")]
AGREES = frozenset({"definitely_agree", "tend_to_agree"})


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str  # short name for tables and charts
    question: str
    choices: list
    agree: frozenset
    measure: str  # what the percentage counts, as the national statistics put it
    hint: str = ""
    wording_confirmed: bool = True  # False: the national measure is confirmed, not its exact question text


LOCAL_AREA_HINT = "By your local area, we mean the area within 15 to 20 minutes' walk of your home."

INDICATORS = [
    Indicator("belonging", "Belong to their neighbourhood",
              "How strongly do you feel you belong to your immediate neighbourhood?",
              BELONG_SCALE, frozenset({"very_strongly", "fairly_strongly"}),
              "feel they belong very or fairly strongly to their immediate neighbourhood"),
    Indicator("cohesion", "People from different backgrounds get on well",
              "To what extent do you agree or disagree that your local area is a place where people "
              "from different backgrounds get on well together?",
              AGREE_SCALE, AGREES,
              "definitely or tend to agree that people from different backgrounds get on well together",
              hint=LOCAL_AREA_HINT),
    Indicator("influence", "Can influence local decisions",
              "Do you agree or disagree that you can influence decisions affecting your local area?",
              AGREE_SCALE, AGREES,
              "definitely or tend to agree that they can influence decisions affecting their local area",
              hint=LOCAL_AREA_HINT, wording_confirmed=False),
    Indicator("trust", "Many people in the neighbourhood can be trusted",
              "Would you say that many, some, a few or none of the people in your neighbourhood can be trusted?",
              TRUST_SCALE, frozenset({"many"}),
              "say that many of the people in their neighbourhood can be trusted",
              wording_confirmed=False),
]
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}


def answer_label(code: str, answer: str) -> str:
    return dict(BY_CODE[code].choices).get(answer, answer)
