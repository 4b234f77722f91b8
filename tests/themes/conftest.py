"""Builders for theme tests: a consultation whose free-text answers hold four clear themes,
plus non-answers, a copy-paste campaign, choice answers and "About you" rows."""
import pytest

from app.actions.models import Action, ActionPlan
from app.consultations.models import AboutYou, Answer, Response
from app.extensions import db
from tests import factories

THEMES = {
    "parking": [
        "Residents parking permits are far too expensive for families",
        "Visitor parking permits cost too much and run out quickly",
        "There is nowhere to park near my house in the evening",
        "Parking on our street is impossible because of commuters",
        "Please make parking permits cheaper for residents",
        "Commuters park all day and residents cannot find a space",
        "The parking permit scheme needs more spaces for residents",
        "Car parking near the high street is too expensive",
        "Parking permits should be free for carers visiting",
        "Too many cars parked on the pavement, parking is a mess",
        "I cannot park outside my own home, permits do not help",
        "Parking charges at the station car park are too high",
    ],
    "bins": [
        "The bins in the park are always overflowing with rubbish",
        "Please empty the litter bins more often, rubbish everywhere",
        "More rubbish bins needed, litter blows across the grass",
        "Overflowing bins attract rats and foxes at night",
        "Bin collections are missed and litter piles up",
        "Rubbish and litter left by the bins every weekend",
        "Empty the bins daily in summer, the litter is awful",
        "Litter picking and bigger bins would keep it clean",
        "Fly tipping and overflowing litter bins near the gate",
        "The rubbish bins smell and are never emptied",
    ],
    "lighting": [
        "The paths are too dark at night, we need street lights",
        "Better lighting on the footpath so it feels safe after dark",
        "Street lights are broken and it is dark walking home",
        "Install lights along the dark path by the river",
        "It is unsafe at night because there is no lighting",
        "More lights please, the park is pitch dark in winter evenings",
        "Dark alleyway needs lighting, women feel unsafe at night",
        "Fix the broken lamps, the street is dark at night",
        "Lighting at the bus stop so it is not so dark",
        "Night time lighting on the cycle path would help safety",
    ],
    "play": [
        "The children's playground equipment is broken and unsafe",
        "Keep the small play area open, toddlers need swings",
        "New swings and slides for the playground please",
        "Play equipment for young children is old and rusty",
        "Fix the broken slide in the children's play area",
        "Our kids need a bigger playground with climbing frames",
        "Do not close the play area, children play there every day",
        "Playground needs a fence so toddlers are safe from dogs",
        "Swings in the play park have been broken for months",
        "More play equipment for children with disabilities",
    ],
}
NON_ANSWERS = ["n/a", "nothing", "no comment", "see above"]
CAMPAIGN = "Save Hollybush Lane play area and keep the swings for our children"
CAMPAIGN_COPIES = 4


def add_response(consultation, text, *, agreement=None, option_index=None, age_band=None, sex=None):
    questions = {q.kind: q for q in consultation.questions}
    response = Response(consultation=consultation)
    db.session.add(response)
    if text is not None:
        response.answers.append(Answer(question=questions["free_text"], text=text))
    if agreement is not None:
        response.answers.append(Answer(question=questions["agreement"], scale_value=agreement))
    if option_index is not None:
        q = questions["single_choice"]
        response.answers.append(Answer(question=q, option=q.options[option_index]))
    db.session.flush()
    if age_band or sex:
        db.session.add(AboutYou(response_id=response.id, consultation_id=consultation.id, age_band=age_band, sex=sex))
        db.session.flush()
    return response


def build_consultation():
    """Parking comments come from young residents who disagree with the proposal."""
    consultation = factories.consultation(status="closed")
    for theme, texts in THEMES.items():
        for i, text in enumerate(texts):
            if theme == "parking":
                add_response(consultation, text, agreement=1 if i < 9 else 4, option_index=0,
                             age_band="18_24" if i < 11 else "75_plus", sex="female")
            else:
                add_response(consultation, text, agreement=4, option_index=1, age_band="45_54", sex="male")
    for text in NON_ANSWERS:
        add_response(consultation, text, agreement=3)
    for _ in range(CAMPAIGN_COPIES):
        add_response(consultation, CAMPAIGN, agreement=1)
    add_response(consultation, "   ", agreement=3)  # blank answers are not comments
    db.session.commit()
    return consultation


def free_text_question(consultation):
    return next(q for q in consultation.questions if q.kind == "free_text")


@pytest.fixture()
def consultation(db):
    return build_consultation()


@pytest.fixture()
def question(consultation):
    return free_text_question(consultation)


@pytest.fixture()
def actions(db):
    plan = ActionPlan(title="Fairer Futures Action Plan")
    specs = [
        ("1.1", "Light the main walking routes through our parks",
         "Install lighting on dark paths and footpaths so people feel safe at night."),
        ("1.2", "Cleaner parks: more bins and litter picking",
         "Bigger litter bins emptied more often, and fly tipping cleared within a day."),
        ("2.1", "Support small businesses on the high street",
         "Grants for shop fronts and business rates advice."),
    ]
    for position, (number, title, description) in enumerate(specs):
        plan.actions.append(Action(number=number, title=title, description=description, position=position))
    db.session.add(plan)
    db.session.commit()
    return plan.actions


def run(question, n_themes=4, seed=0):
    """Queue and run an analysis as an officer's click does (in-process after commit)."""
    from app.common.transaction import commit
    from app.themes import services

    analysis = services.start_analysis(question, n_themes, seed)
    commit()
    db.session.expire_all()
    return db.session.get(type(analysis), analysis.id)


def theme_with(question, word):
    """The current theme of the question whose key terms mention `word`."""
    from app.themes import services

    for theme in services.question_themes(question.id):
        if any(word in k for k in theme.keywords):
            return theme
    raise AssertionError(f"no theme about {word!r}: "
                         + "; ".join(f"{t.label} {t.keywords}" for t in services.question_themes(question.id)))


@pytest.fixture()
def analysed(question):
    analysis = run(question)
    assert analysis.status == "done", analysis.message
    return analysis
