"""What a compass page shows, for the public page and the staff page alike."""
from flask import current_app

from app.places import charts, compass, services
from app.places.models import PlaceQuestion
from app.places.themes import THEMES
from app.consultations.models import Question
from app.extensions import db


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


def compass_page(survey, compare: str | None, *, published_only: bool) -> dict:
    threshold = current_app.config["SMALL_NUMBER_THRESHOLD"]
    given = compass.ratings(survey)
    groups = compass.by_group(survey, threshold, given)
    everyone = groups[0]
    everyone.label = f"{survey.place} ({survey.round_label})"
    others = [s for s in services.all_surveys(published_only) if s.id != survey.id]
    compare_with = next((s for s in others if s.id == _int(compare)), None)
    lines = [everyone] + ([compass.overall(compare_with, f"{compare_with.place} ({compare_with.round_label})")]
                          if compare_with else [])
    main_title = (f"Place Standard compass: {survey.place} and {compare_with.place}" if compare_with
                  else f"Place Standard compass: {survey.place}, {survey.round_label}")
    history = services.same_place(survey, published_only)
    over_time = compass.over_time(history) if len(history) > 1 else []
    group_lines = [g for g in groups[1:] if not g.suppressed]
    return {
        "survey": survey, "themes": THEMES, "threshold": threshold, "everyone": everyone,
        "lines": lines, "compare_with": compare_with, "others": others,
        "chart": charts.compass_markup(main_title, charts.describe(lines), lines),
        "groups": groups,
        "group_chart": charts.compass_markup(f"Place Standard compass by group: {survey.place}",
                                             charts.describe([everyone] + group_lines),
                                             [everyone] + group_lines) if group_lines else None,
        "over_time": over_time,
        "time_chart": charts.compass_markup(f"Place Standard compass over time: {survey.place}",
                                            charts.describe(over_time), over_time) if over_time else None,
    }


def comment_questions(survey) -> dict[str, int]:
    """{theme key: id of its comment question}, for links to the theme engine's pages."""
    return dict(db.session.execute(db.select(PlaceQuestion.theme, PlaceQuestion.question_id).where(
        PlaceQuestion.survey_id == survey.id, PlaceQuestion.part == "comment")).all())


def compass_image(survey) -> str:
    """The round's compass as an SVG document (for the ward page's image)."""
    line = compass.overall(survey, f"{survey.place} ({survey.round_label})")
    return charts.compass_svg(f"Place Standard compass: {survey.place}, {survey.round_label}",
                              charts.describe([line], with_table=False), ((line.label, tuple(line.values())),), standalone=True)


def ward_summary(ward) -> dict | None:
    """For the ward's public page: its latest published round, that round's compass line and
    how many rounds there are; None if the ward has none."""
    surveys = services.surveys_in_ward(ward.id, published_only=True)
    if not surveys:
        return None
    latest = surveys[0]  # newest first
    line = compass.overall(latest, f"{latest.place} ({latest.round_label})")
    return {"survey": latest, "line": line, "rounds": len(surveys),
            "description": charts.describe([line], with_table=False)}


def theme_counts(question_ids) -> dict[int, int]:
    """{comment question id: themes found in its comments} (merged-away themes not counted)."""
    from app.themes.models import Theme

    rows = db.session.execute(db.select(Theme.question_id, db.func.count(Theme.id)).where(
        Theme.question_id.in_(list(question_ids)), Theme.merged_into_id.is_(None)).group_by(Theme.question_id))
    return dict(rows.all())


def start_theme_analyses(survey) -> tuple[int, int]:
    """Queue the theme engine for each theme's comments that has any: (started, already running).
    The runs start once the caller commits."""
    from app.themes import services as themes

    started = busy = 0
    for question_id in comment_questions(survey).values():
        if db.session.scalar(themes.answers_query(question_id).with_only_columns(db.func.count()).order_by(None)) == 0:
            continue
        try:
            themes.start_analysis(db.session.get(Question, question_id), None, None)
            started += 1
        except themes.AnalysisBusy:
            busy += 1
    return started, busy
