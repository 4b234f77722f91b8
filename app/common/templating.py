"""Jinja set-up: GOV.UK Frontend macros, filters and values every page needs."""
from flask import current_app
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from app.common.timeutil import format_london, to_london
from app.notifications.phones import for_people


def register(app):
    app.jinja_loader = ChoiceLoader([
        app.jinja_loader,
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["london"] = format_london
    app.jinja_env.filters["london_date"] = lambda v: format_london(v, "%-d %B %Y")
    app.jinja_env.filters["to_london"] = to_london
    app.jinja_env.filters["pct"] = lambda v: f"{v:.0f}%" if v is not None else "–"
    app.jinja_env.filters["uk_phone"] = for_people  # "+447911123456" -> "07911 123456"

    @app.context_processor
    def _globals():
        return {
            "council_name": current_app.config["COUNCIL_NAME"],
            "service_name": current_app.config["SERVICE_NAME"],
            "small_number": current_app.config["SMALL_NUMBER_THRESHOLD"],
            # Lets shared templates link to a feature only once its blueprint exists.
            "url_rules": current_app.view_functions,
        }
