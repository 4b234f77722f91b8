"""Application factory: create_app() is a list of small register_* steps."""
import os

from flask import Flask
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter

from config import DEV_SECRET_KEY, config_from_env


def create_app(config=None):
    from app.common.security import CleanRequest

    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = DatabaseInt
    for name, converter in (("default", TextWithoutNul), ("string", TextWithoutNul), ("path", PathWithoutNul)):
        app.url_map.converters[name] = converter
    app.request_class = CleanRequest
    app.config.from_object(config or config_from_env())
    _check_config(app)
    register_proxy_fix(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_security_headers(app)
    register_cli(app)
    register_operations(app)
    register_page_cache(app)
    return app


class DatabaseInt(IntegerConverter):
    """<int:...> ids stop at the database INTEGER limit: a huge id is a 404, not a database error."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


class TextWithoutNul(UnicodeConverter):
    """A URL segment with a NUL byte (%00) matches no route: a 404, never a PostgreSQL error on
    whatever slug or name lookup the view makes (PostgreSQL text can't hold NUL)."""

    def __init__(self, map, minlength=1, maxlength=None, length=None):
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]")


class PathWithoutNul(PathConverter):
    regex = "[^/\\x00][^\\x00]*?"


def _check_config(app):
    if app.config["ENV_NAME"] == "production" and not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in production (APP_ENV=production).")
    if app.config["ENV_NAME"] == "production" and (
            not app.config.get("EQUALITY_KEY") or app.config["EQUALITY_KEY"] == app.config.get("SECRET_KEY")):
        raise RuntimeError("EQUALITY_KEY must be set in production, different from SECRET_KEY "
                           "(it keeps \"About you\" answers apart from the people who gave them).")
    if app.config["ENV_NAME"] == "production" and app.config.get("SECRET_KEY") == DEV_SECRET_KEY:
        raise RuntimeError("SECRET_KEY in production must not be the published development value.")
    if app.config["ENV_NAME"] == "production" and not app.config.get("BASE_URL"):
        raise RuntimeError("BASE_URL must be set in production (APP_ENV=production), e.g. "
                           "https://haveyoursay.example.gov.uk: every link in emails, calendar files "
                           "and the API is built on it, never on the Host header a visitor sends.")
    if app.config.get("OIDC_ISSUER"):
        missing = [name for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_ALLOWED_EMAIL_DOMAINS")
                   if not app.config.get(name)]
        if missing:
            raise RuntimeError(f"Single sign-on (OIDC_ISSUER) also needs {', '.join(missing)}: see docs/deploy.md.")

    from app.notifications.notify import check_settings

    check_settings(app.config)
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        # Redis when there is one, so every worker process counts against the same limits.
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "council.sqlite3")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    # Accept the usual postgres:// forms and route them to psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if uri.startswith(prefix):
            app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri[len(prefix):]


def register_proxy_fix(app):
    """Behind TRUSTED_PROXIES reverse proxies, the client address (for limits and logs), scheme
    and host come from their X-Forwarded-* headers; with 0 those headers are ignored."""
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)


def register_extensions(app):
    from app.extensions import csrf, db, limiter, login_manager, migrate
    from app import models  # noqa: F401  (every model registered before Alembic looks)

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    from app.common import db_sqlite  # noqa: F401  (SQLite foreign keys on)


def register_blueprints(app):
    from app.accounts.routes import bp as accounts_bp
    from app.actions.routes import bp as actions_bp
    from app.api.routes import bp as api_bp
    from app.audit.routes import bp as audit_bp
    from app.consultations.routes import bp as consultations_bp
    from app.deliberation.routes import bp as deliberation_bp
    from app.deliberation.staff_routes import bp as deliberation_staff_bp
    from app.conversations.routes import bp as conversations_bp
    from app.main.routes import bp as main_bp
    from app.notifications.routes import bp as notifications_bp
    from app.panel.routes import bp as panel_bp
    from app.surgeries.routes import bp as surgeries_bp
    from app.tenants.routes import bp as tenants_bp
    from app.themes.routes import bp as themes_bp
    from app.wards.public_routes import bp as ward_pages_bp
    from app.tracker.routes import bp as tracker_bp
    from app.tracker.staff_routes import bp as tracker_staff_bp
    from app.wards.routes import bp as wards_bp
    from app.wards.update_routes import bp as ward_updates_bp
    from app.maps.routes import bp as maps_bp
    from app.places.routes import bp as places_bp
    from app.places.staff_routes import bp as places_staff_bp

    # One per line, so a new domain's blueprint is a one-line change.
    for bp in (
        main_bp,
        accounts_bp,
        wards_bp,
        consultations_bp,
        themes_bp,
        actions_bp,
        panel_bp,
        surgeries_bp,
        tracker_bp,
        tracker_staff_bp,
        api_bp,
        audit_bp,
        ward_pages_bp,
        ward_updates_bp,
        notifications_bp,
        deliberation_bp,
        deliberation_staff_bp,
        conversations_bp,
        tenants_bp,
        maps_bp,
        places_bp,
        places_staff_bp,
    ):
        app.register_blueprint(bp)


def register_errorhandlers(app):
    from app.main.errors import register

    register(app)


def register_operations(app):
    """Request ids and logs, health probes and metrics: what IT operations watch."""
    from app.common.logs import register as register_logging
    from app.operations import register as register_operations_endpoints

    register_logging(app)
    register_operations_endpoints(app)


def register_page_cache(app):
    """Last, so its before_request runs after the request id and timer are set, and its
    after_request sees the view's response first (app/common/pagecache.py)."""
    from app.common import pagecache

    pagecache.init_app(app)


def register_template_helpers(app):
    from app.common.templating import register

    register(app)


def register_security_headers(app):
    from app.common.security import register

    register(app)


def register_cli(app):
    from app.accounts.cli import register as register_accounts_cli
    from app.demo.cli import register as register_demo_cli
    from app.notifications.cli import register as register_notifications_cli
    from app.operations.cli import register as register_operations_cli

    register_accounts_cli(app)
    register_demo_cli(app)
    register_notifications_cli(app)
    register_operations_cli(app)
    # Domain CLI commands register themselves from their package's cli.py if present.
    for name in ("panel", "surgeries", "themes", "actions", "consultations", "audit"):
        try:
            module = __import__(f"app.{name}.cli", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"app.{name}.cli":
                raise
            continue
        module.register(app)
